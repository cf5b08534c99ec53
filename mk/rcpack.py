#!/usr/bin/env python3
# rcpack.py - stage2's packed format since issue 10: LZ77 tokens coded bit by
# bit with an adaptive binary range coder (LZMA's idea; this coder, its
# model and its parse are our own).  compress/decompress here; the
# unpacker is `unpack` in stage2/entry.asm, which must match decompress.
#
# Range coder: 32-bit range and code, 12-bit probabilities (of a 0 bit),
# all starting at 2048 and moving 1/32 of the way towards each coded bit.
# A bit with probability p: bound = (range >> 12) * p; code < bound is a 0
# (range = bound), else a 1 (code -= bound, range -= bound).  While range
# < 2^24, range <<= 8 and code takes the next stream byte at its bottom.
# The decoder starts with range = 0xffffffff and code = the first 4 stream
# bytes, big-endian.
#
# Tokens, until the unpacked length is reached.  The model's tables are
# numbered below; s, the state: 0 at the start and after a literal that
# follows a literal, 1 after a literal that follows a match, 2 after a new
# offset's match, 3 after a repeated offset's; r0 is the last offset (1 at
# the start).
#   ISMATCH[s] 0        a literal: 8 bits MSB first, as a bit tree in
#                       LIT[prev >> 5] (prev: the last unpacked byte, 0 at
#                       the start)
#   ISMATCH[s] 1, ISREP[s] 1
#                       r0 again: length G(REPLEN) (>= 1)
#   ISMATCH[s] 1, ISREP[s] 0
#                       a new offset (r0 = it): length - 1 = G(LEN);
#                       offset - 1 = (G(OFFHI[q]) - 1) * 256 + 8 bits as a
#                       bit tree in OFFLO[hi > 1], q = min(length, 5) - 2
# G(T), a number v >= 1: for each bit of v below its top bit, a 1 coded with
# T[2i] and that bit with T[2i + 1] (i counts from 0); then a 0 with T[2i].
# At most 16 bits (i < 16) or the stream is damaged.
# compress's parse: shortest path over positions, the bits priced by the
# previous pass's counts; each position keeps the state and offsets of its
# best path.
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from s2pack import match_len, matches  # noqa: E402

PBITS = 12
PONE = 1 << PBITS
SHIFT = 5
PASSES = 8

# The model: one array of 16-bit probabilities; these are its tables' starts
# (entry.asm has the same numbers).
ISMATCH = 0
ISREP = 4
LEN = 8
REPLEN = LEN + 32
OFFHI = REPLEN + 32
OFFLO = OFFHI + 4 * 32
LIT = OFFLO + 2 * 256
NPROBS = LIT + 8 * 256
GAMMA_MAX = 16


class Damaged(Exception):
    pass


# The token grammar, once for the three coders: c.bit(index, b) codes b
# (encoder, pricer) or ignores it and returns the bit read (decoder).
def code_tree(c, base, v):
    """A byte as a bit tree at base."""
    m = 1
    for k in range(7, -1, -1):
        m = m * 2 + c.bit(base + m, (v >> k) & 1)
    return m & 0xff


def code_gamma(c, base, v):
    n, r, i = v.bit_length(), 1, 0
    while c.bit(base + 2 * i, int(i < n - 1)):
        r = r * 2 + c.bit(base + 2 * i + 1, (v >> max(n - 2 - i, 0)) & 1)
        i += 1
        if i >= GAMMA_MAX:
            raise Damaged('number longer than %d bits' % GAMMA_MAX)
    return r


def code_token(c, st, buf, i, tok):
    """One token at position i of buf (the bytes so far when decoding) in
    state st = [s, r0], which it updates; tok: (length, offset, rep) to
    code ((1, 0, False) a literal) or anything when decoding.  Returns the
    token coded: (1, the byte) or (length, -offset)."""
    ln, off, rep = tok
    s = st[0]
    if not c.bit(ISMATCH + s, int(off != 0)):
        v = code_tree(c, LIT + 256 * ((buf[i - 1] if i else 0) >> 5),
                      buf[i] if off == 0 and i < len(buf) else 0)
        st[0] = int(s >= 2)
        return 1, v
    if c.bit(ISREP + s, int(rep)):
        ln = code_gamma(c, REPLEN, max(ln, 1))
        st[0] = 3
        return ln, -st[1]
    ln = code_gamma(c, LEN, max(ln - 1, 1)) + 1
    hi = code_gamma(c, OFFHI + 32 * (min(ln, 5) - 2), ((max(off, 1) - 1) >> 8) + 1)
    lo = code_tree(c, OFFLO + 256 * (hi > 1), (max(off, 1) - 1) & 0xff)
    st[:] = 2, (hi - 1) * 256 + lo + 1
    return ln, -st[1]


class Encoder:
    def __init__(self):
        self.low, self.range, self.out = 0, 0xffffffff, bytearray()
        self.p = [PONE // 2] * NPROBS

    def bit(self, i, b):
        p = self.p[i]
        bound = (self.range >> PBITS) * p
        if b:
            self.low += bound
            self.range -= bound
            self.p[i] = p - (p >> SHIFT)
        else:
            self.range = bound
            self.p[i] = p + ((PONE - p) >> SHIFT)
        if self.low >> 32:  # carry into the bytes already written
            self.low &= 0xffffffff
            k = len(self.out) - 1
            while self.out[k] == 0xff:
                self.out[k] = 0
                k -= 1
            self.out[k] += 1
        while self.range < 1 << 24:
            self.out.append(self.low >> 24)
            self.low = (self.low << 8) & 0xffffffff
            self.range <<= 8
        return b

    def finish(self):
        for _ in range(4):
            self.out.append(self.low >> 24)
            self.low = (self.low << 8) & 0xffffffff
        return bytes(self.out)


class Decoder:
    def __init__(self, stream):
        if len(stream) < 4:
            raise Damaged('stream shorter than 4 bytes')
        self.s, self.pos = stream, 4
        self.code, self.range = int.from_bytes(stream[:4], 'big'), 0xffffffff
        self.p = [PONE // 2] * NPROBS

    def bit(self, i, _):
        p = self.p[i]
        bound = (self.range >> PBITS) * p
        if self.code < bound:
            self.range = bound
            self.p[i] = p + ((PONE - p) >> SHIFT)
            b = 0
        else:
            self.code -= bound
            self.range -= bound
            self.p[i] = p - (p >> SHIFT)
            b = 1
        while self.range < 1 << 24:
            if self.pos >= len(self.s):
                raise Damaged('read past the stream end')
            self.range = self.range << 8 & 0xffffffff
            self.code = (self.code << 8 | self.s[self.pos]) & 0xffffffff
            self.pos += 1
        return b


def decompress(stream, n):
    """The unpacker's algorithm, step for step (the build checks every
    packed image with it); a stream that would read past its end, copy from
    before the output's start or past its end raises Damaged."""
    d, st, out = Decoder(stream), [0, 1], bytearray()
    while len(out) < n:
        ln, v = code_token(d, st, out, len(out), (0, 0, False))
        if ln == 1 and v >= 0:
            out.append(v)
            continue
        off = -v
        if off > len(out) or ln > n - len(out):
            raise Damaged('match of %d at offset %d, %d bytes out' % (ln, off, len(out)))
        for _ in range(ln):
            out.append(out[-off])
    return bytes(out)


class Pricer:
    """Bit costs (in 1/16 bits) for the parse: each context's probability as
    the last pass's counts set it (a stationary guess at the adaptive
    model); c.bit adds to c.total."""

    def __init__(self, counts=None):
        counts = counts or [[1, 1] for _ in range(NPROBS)]
        self.cost = [(int(-16 * math.log2(z / (z + o))), int(-16 * math.log2(o / (z + o))))
                     for z, o in counts]
        self.total, self.memo = 0, {}

    def bit(self, i, b):
        self.total += self.cost[i][b]
        return b

    def of(self, f, *args):
        self.total = 0
        f(self, *args)
        return self.total

    def gamma(self, base, v):
        k = (base, v)
        if k not in self.memo:
            self.memo[k] = self.of(code_gamma, base, v)
        return self.memo[k]


class Counter:
    """Counts each context's bits, for the next pass's prices."""

    def __init__(self):
        self.c = [[1, 1] for _ in range(NPROBS)]

    def bit(self, i, b):
        self.c[i][b] += 1
        return b


def parse(data, pr):
    """Shortest path over positions with the prices pr (see the header)."""
    n = len(data)
    inf = float('inf')
    cost = [0] + [inf] * n
    step = [None] * (n + 1)  # (from, (length, offset, rep))
    st = [None] * (n + 1)
    st[0] = (0, 1)
    litc = [pr.of(code_tree, LIT + 256 * ((data[i - 1] if i else 0) >> 5), data[i]) for i in range(n)]
    at = matches(data)
    for i in range(n):
        s, r = st[i]
        ci = cost[i]
        c = ci + pr.cost[ISMATCH + s][0] + litc[i]
        if c < cost[i + 1]:
            cost[i + 1], step[i + 1], st[i + 1] = c, (i, (1, 0, False)), (int(s >= 2), r)
        mc = ci + pr.cost[ISMATCH + s][1]
        k = match_len(data, i, i - r) if r <= i else 0
        if k:
            base = mc + pr.cost[ISREP + s][1]
            for ln in range(1, k + 1) if k <= 64 else list(range(1, 65)) + [k]:
                c = base + pr.gamma(REPLEN, ln)
                if c < cost[i + ln]:
                    cost[i + ln], step[i + ln], st[i + ln] = c, (i, (ln, r, True)), (3, r)
        mc += pr.cost[ISREP + s][0]
        for off, lens in at(i):
            oc = [mc + pr.gamma(OFFHI + 32 * q, ((off - 1) >> 8) + 1) +
                  pr.of(code_tree, OFFLO + 256 * (off > 256), (off - 1) & 0xff) for q in range(4)]
            for ln in lens:
                c = oc[min(ln, 5) - 2] + pr.gamma(LEN, ln - 1)
                if c < cost[i + ln]:
                    cost[i + ln], step[i + ln], st[i + ln] = c, (i, (ln, off, False)), (2, off)
    tokens, k = [], n
    while k:
        tokens.append(step[k])
        k = step[k][0]
    tokens.reverse()
    return tokens


def emit(data, tokens, c):
    st = [0, 1]
    for i, (ln, off, rep) in tokens:
        # A new offset equal to the last: cheaper as a repeat.
        code_token(c, st, data, i, (ln, off, rep or off == st[1]))


def compress(data, passes=PASSES):
    pr, best = Pricer(), None
    for _ in range(passes):
        tokens = parse(data, pr)
        enc = Encoder()
        emit(data, tokens, enc)
        out = enc.finish()
        if best is None or len(out) < len(best):
            best = out
        cnt = Counter()
        emit(data, tokens, cnt)
        pr = Pricer(cnt.c)
    return best
