#!/usr/bin/env python3
# s2pack.py RAW PAYLOAD START OUT - packs stage2 (issue 9's 32 KiB budget for
# stage1 + stage2).  RAW is the linked image (objcopy -O binary) from START
# (stage2.ld's __stage2_start); its bytes below PAYLOAD (.entry: real-mode
# code and the unpacker, stage2/entry.asm) stay as they are, the rest is
# filtered (each call/jmp/jcc rel32 made absolute: x86_filter) and coded in
# mk/rcpack.py's format (LZ77 with an adaptive range coder; its header
# defines the stream), which `unpack` in entry.asm reads back.
# OUT = entry bytes + stream, padded to whole sectors; header +8 becomes
# OUT's length (what stage1/cdboot read) and +12 the unpacked length.
#
# The module also keeps stage2's first format (compress/decompress/Writer
# below), which BOOTX64.EFI's packed constants still use (mk/efipack.py,
# uefi/main.c's rodata_unpack, a small C decoder):
#   control bits come MSB first from a byte fetched whenever the previous
#   one is used up; literal and offset bytes come from the stream between.
#   0            one literal byte follows
#   1 G(h) b G(n) a match: offset = (h - 1) * 256 + b + 1, length n + 1
# G(v), v >= 1: Elias gamma, interleaved: for each bit of v below its top
# bit, a 1 and that bit; then a 0.  The unpacker stops at the unpacked
# length; nothing else marks the end.
import os
import struct
import sys

MAX_OFF = 1 << 16
CHAIN = 256



def gamma_bits(v):
    return 2 * (v.bit_length() - 1) + 1


def match_bits(off, n):
    h = ((off - 1) >> 8) + 1
    return 1 + gamma_bits(h) + 8 + gamma_bits(n - 1)


class Writer:
    def __init__(self):
        self.out = bytearray()
        self.ctl = None  # index of the control byte being filled
        self.nbits = 8

    def bit(self, b):
        if self.nbits == 8:
            self.ctl = len(self.out)
            self.out.append(0)
            self.nbits = 0
        if b:
            self.out[self.ctl] |= 0x80 >> self.nbits
        self.nbits += 1

    def gamma(self, v):
        assert v >= 1
        for i in range(v.bit_length() - 2, -1, -1):
            self.bit(1)
            self.bit((v >> i) & 1)
        self.bit(0)

    def byte(self, b):
        self.out.append(b)


def match_len(data, i, j):
    """Length of the common run at i and j (j < i), compared in chunks."""
    n, k = len(data), 0
    while i + k + 32 <= n and data[i + k:i + k + 32] == data[j + k:j + k + 32]:
        k += 32
    while i + k < n and data[i + k] == data[j + k]:
        k += 1
    return k


def matches(data):
    """Hash chains over byte pairs, for both formats' parses: a generator
    per position i (taken in order), which yields, nearest first, each
    offset that reaches further than every nearer one, with the lengths
    worth trying for it (every length up to its reach beyond the nearer
    ones', but of a long run only 64 and the whole)."""
    n, heads, prev = len(data), {}, [-1] * len(data)

    def at(i):
        if i + 2 > n:
            return
        key = data[i] | data[i + 1] << 8
        j, tries, reach = heads.get(key, -1), CHAIN, 1
        while j >= 0 and i - j <= MAX_OFF and tries:
            tries -= 1
            if i + reach < n and data[j + reach] == data[i + reach]:
                k = match_len(data, i, j)
                if k > reach:
                    yield i - j, range(reach + 1, k + 1) if k - reach <= 64 else \
                        list(range(reach + 1, reach + 65)) + [k]
                    reach = k
            j = prev[j]
        prev[i] = heads.get(key, -1)
        heads[key] = i
    return at


def compress(data):
    """Optimal parse for this code's costs (shortest path over positions):
    at each position the hash chain gives, nearest first, each offset that
    reaches further than every nearer one; every length up to that reach is
    tried with the nearest offset that has it."""
    n = len(data)
    at = matches(data)
    inf = float('inf')
    cost = [0] + [inf] * n
    step = [None] * (n + 1)  # how position k is best reached: (from, len, off)
    for i in range(n):
        c = cost[i] + 9
        if c < cost[i + 1]:
            cost[i + 1], step[i + 1] = c, (i, 1, 0)
        for off, lens in at(i):
            for ln in lens:
                c = cost[i] + match_bits(off, ln)
                if c < cost[i + ln]:
                    cost[i + ln], step[i + ln] = c, (i, ln, off)
    tokens, k = [], n
    while k:
        i, ln, off = step[k]
        tokens.append((i, ln, off))
        k = i
    w = Writer()
    for i, ln, off in reversed(tokens):
        if ln == 1:
            w.bit(0)
            w.byte(data[i])
        else:
            w.bit(1)
            w.gamma(((off - 1) >> 8) + 1)
            w.byte((off - 1) & 0xff)
            w.gamma(ln - 1)
    return bytes(w.out)


def decompress(stream, n, literals=None):
    """The unpacker's algorithm, to check every packed image at build time.
    literals, a list: gets the stream offset of each literal byte (the
    tests damage one)."""
    out = bytearray()
    pos, ctl, left = 0, 0, 0

    def bit():
        nonlocal pos, ctl, left
        if not left:
            ctl, left = stream[pos], 8
            pos += 1
        left -= 1
        return (ctl >> left) & 1

    def gamma():
        v = 1
        while bit():
            v = v * 2 + bit()
        return v

    while len(out) < n:
        if not bit():
            if literals is not None:
                literals.append(pos)
            out.append(stream[pos])
            pos += 1
        else:
            h = gamma()
            off = (h - 1) * 256 + stream[pos] + 1
            pos += 1
            ln = gamma() + 1
            for _ in range(ln):
                out.append(out[-off])
    return bytes(out[:n])


def x86_filter(data, base, sign):
    """Each call/jmp/jcc rel32 (e8/e9 and its 4 bytes, 0f 8x and its 4) with
    its operand made absolute (sign 1: + the next instruction's address,
    base being the first byte's) or back (sign -1); the scan skips the
    operands either way, so both directions see the same opcodes."""
    d, i, n = bytearray(data), 0, len(data)
    while i + 5 <= n:
        at = i + 1 if d[i] & 0xfe == 0xe8 else \
            i + 2 if d[i] == 0x0f and i + 6 <= n and d[i + 1] & 0xf0 == 0x80 else 0
        if at:
            v = struct.unpack_from('<I', d, at)[0]
            struct.pack_into('<I', d, at, (v + sign * (base + at + 4)) & 0xffffffff)
            i = at + 4
        else:
            i += 1
    return bytes(d)


def pack(body, base):
    """body (linked at base) -> the stream entry.asm's unpack reads; checked
    by unpacking it as unpack does."""
    import rcpack  # here: rcpack imports this module (efipack does not need it)
    stream = rcpack.compress(x86_filter(body, base, 1))
    try:
        back = x86_filter(rcpack.decompress(stream, len(body)), base, -1)
    except rcpack.Damaged as e:
        back = str(e)
    if back != body:
        sys.exit("s2pack: error: the packed stream does not unpack to the image")
    return stream


def unpack(stream, n, base):
    """pack's inverse, as entry.asm's unpack does it (raises
    rcpack.Damaged)."""
    import rcpack
    return x86_filter(rcpack.decompress(stream, n), base, -1)


def main():
    import rcpack
    raw_path, out_path = sys.argv[1], sys.argv[4]
    entry_size = int(sys.argv[2], 16) - int(sys.argv[3], 16)
    raw = open(raw_path, 'rb').read()
    entry, body = bytearray(raw[:entry_size]), raw[entry_size:]
    stream = pack(body, int(sys.argv[2], 16))
    # entry.asm first moves the stream to the bounce buffer (layout.h's
    # BOUNCE_SIZE, 64 KiB, whose top holds the model) and refuses a longer
    # one at boot (the sector padding counts): refuse it here.
    room = 0x10000 - 2 * rcpack.NPROBS
    if (entry_size + len(stream) + 511) // 512 * 512 - entry_size > room:
        sys.exit("s2pack: error: the packed stream is %d bytes, more than the "
                 "%d the bounce buffer has for it" % (len(stream), room))
    total = (entry_size + len(stream) + 511) // 512 * 512
    struct.pack_into('<II', entry, 8, total, len(body))
    out = bytes(entry) + stream
    out += bytes(total - len(out))
    tmp = out_path + '.tmp'
    with open(tmp, 'wb') as f:
        f.write(out)
    os.replace(tmp, out_path)
    print("stage2: %d bytes packed to %d (+ %d of .entry)" % (len(body), len(stream), entry_size))


if __name__ == '__main__':
    main()
