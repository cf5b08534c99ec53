#!/usr/bin/env python3
# rcpack.py - stage2's packed format since issue 10: LZ77 tokens coded bit by
# bit with an adaptive binary range coder.  compress/decompress here; the
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
# Tokens, until the unpacked length is reached (the model's tables are
# numbered below; s = 1 after a match, 0 after a literal or at the start):
#   ISMATCH[s] 0        a literal: 8 bits MSB first, as a bit tree in
#                       LIT[prev >> 5] (prev: the last unpacked byte, 0 at
#                       the start)
#   ISMATCH[s] 1, ISREP[s] 1
#                       the last offset again (1 at the start): length
#                       G(REPLEN) (>= 1)
#   ISMATCH[s] 1, ISREP[s] 0
#                       a new offset, offset - 1 = (G(OFFHI) - 1) * 256 +
#                       8 bits as a bit tree in OFFLO; length G(LEN) + 1
# G(T), a number v >= 1: for each bit of v below its top bit, a 1 coded with
# T[2i] and that bit with T[2i + 1] (i counts from 0); then a 0 with T[2i].
# At most 16 bits (i < 16) or the stream is damaged.
import math

PBITS = 12
PONE = 1 << PBITS
SHIFT = 5
MAX_OFF = 1 << 16
CHAIN = 256

# The model: one array of 16-bit probabilities; these are its tables' starts
# (entry.asm has the same numbers).
ISMATCH = 0
ISREP = 2
LEN = 4
REPLEN = LEN + 32
OFFHI = REPLEN + 32
OFFLO = OFFHI + 32
LIT = OFFLO + 256
NPROBS = LIT + 8 * 256
GAMMA_MAX = 16


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

    def tree(self, base, v, nbits):
        m = 1
        for k in range(nbits - 1, -1, -1):
            b = (v >> k) & 1
            self.bit(base + m, b)
            m = m * 2 + b

    def gamma(self, base, v):
        assert 1 <= v < 1 << GAMMA_MAX
        n = v.bit_length()
        for i in range(n - 1):
            self.bit(base + 2 * i, 1)
            self.bit(base + 2 * i + 1, (v >> (n - 2 - i)) & 1)
        self.bit(base + 2 * (n - 1), 0)

    def finish(self):
        for _ in range(4):
            self.out.append(self.low >> 24)
            self.low = (self.low << 8) & 0xffffffff
        return bytes(self.out)


class Damaged(Exception):
    pass


def decompress(stream, n):
    """The unpacker's algorithm, step for step (the build checks every
    packed image with it); a stream that would read past its end, copy from
    before the output's start or past its end raises Damaged."""
    pos = 4
    if len(stream) < 4:
        raise Damaged('stream shorter than 4 bytes')
    code, rng = int.from_bytes(stream[:4], 'big'), 0xffffffff
    p = [PONE // 2] * NPROBS

    def bit(i):
        nonlocal code, rng, pos
        bound = (rng >> PBITS) * p[i]
        if code < bound:
            rng = bound
            p[i] += (PONE - p[i]) >> SHIFT
            b = 0
        else:
            code -= bound
            rng -= bound
            p[i] -= p[i] >> SHIFT
            b = 1
        while rng < 1 << 24:
            if pos >= len(stream):
                raise Damaged('read past the stream end')
            rng = rng << 8 & 0xffffffff
            code = (code << 8 | stream[pos]) & 0xffffffff
            pos += 1
        return b

    def gamma(base):
        v, i = 1, 0
        while bit(base + 2 * i):
            v = v * 2 + bit(base + 2 * i + 1)
            i += 1
            if i >= GAMMA_MAX:
                raise Damaged('number longer than %d bits' % GAMMA_MAX)
        return v

    out, s, off = bytearray(), 0, 1
    while len(out) < n:
        if not bit(ISMATCH + s):
            m, base = 1, LIT + 256 * ((out[-1] if out else 0) >> 5)
            while m < 256:
                m = m * 2 + bit(base + m)
            out.append(m & 0xff)
            s = 0
            continue
        if bit(ISREP + s):
            ln = gamma(REPLEN)
        else:
            hi = gamma(OFFHI)
            m = 1
            while m < 256:
                m = m * 2 + bit(OFFLO + m)
            off = (hi - 1) * 256 + (m & 0xff) + 1
            ln = gamma(LEN) + 1
        if off > len(out) or ln > n - len(out):
            raise Damaged('match of %d at offset %d, %d bytes out' % (ln, off, len(out)))
        for _ in range(ln):
            out.append(out[-off])
        s = 1
    return bytes(out)


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


class Prices:
    """Bit costs (in 1/16 bits) for the parse: each context's probability as
    the last pass's token counts set it (a stationary guess at the adaptive
    model)."""

    def __init__(self, counts=None):
        self.c = [[1, 1] for _ in range(NPROBS)] if counts is None else counts
        self.cost = []
        for z, o in self.c:
            t = z + o
            self.cost.append((int(-16 * math.log2(z / t)), int(-16 * math.log2(o / t))))

    def gamma(self, base, v):
        n, c = v.bit_length(), 0
        for i in range(n - 1):
            c += self.cost[base + 2 * i][1] + self.cost[base + 2 * i + 1][(v >> (n - 2 - i)) & 1]
        return c + self.cost[base + 2 * (n - 1)][0]

    def tree(self, base, v, nbits):
        m, c = 1, 0
        for k in range(nbits - 1, -1, -1):
            b = (v >> k) & 1
            c += self.cost[base + m][b]
            m = m * 2 + b
        return c


class Counter(Encoder):
    """An encoder that only counts each context's bits (for the next pass's
    prices)."""

    def __init__(self):
        self.c = [[1, 1] for _ in range(NPROBS)]

    def bit(self, i, b):
        self.c[i][b] += 1


def parse(data, pr):
    """Shortest path over positions with the prices pr; each position keeps
    the state (last token a match) and the last offset of its best path, and
    the costs going on from it use those (an approximation: other paths
    might reach it with a better offset to repeat)."""
    n = len(data)
    inf = float('inf')
    cost = [0] + [inf] * n
    step = [None] * (n + 1)  # (from, length, offset, rep)
    state, last = [0] * (n + 1), [1] * (n + 1)
    litc = [0] * n
    for i in range(n):
        base = LIT + 256 * ((data[i - 1] if i else 0) >> 5)
        litc[i] = pr.tree(base, data[i], 8)
    at = matches(data)
    for i in range(n):
        s, r, ci = state[i], last[i], cost[i]
        c = ci + pr.cost[ISMATCH + s][0] + litc[i]
        if c < cost[i + 1]:
            cost[i + 1], step[i + 1] = c, (i, 1, 0, False)
            state[i + 1], last[i + 1] = 0, r
        mc = ci + pr.cost[ISMATCH + s][1]
        # The last offset again.
        if r <= i:
            k = match_len(data, i, i - r)
            if k:
                base = mc + pr.cost[ISREP + s][1]
                lens = range(1, k + 1) if k <= 64 else list(range(1, 65)) + [k]
                for ln in lens:
                    c = base + pr.gamma(REPLEN, ln)
                    if c < cost[i + ln]:
                        cost[i + ln], step[i + ln] = c, (i, ln, r, True)
                        state[i + ln], last[i + ln] = 1, r
        mc += pr.cost[ISREP + s][0]
        for off, lens in at(i):
            oc = mc + pr.gamma(OFFHI, ((off - 1) >> 8) + 1) + pr.tree(OFFLO, (off - 1) & 0xff, 8)
            for ln in lens:
                c = oc + pr.gamma(LEN, ln - 1)
                if c < cost[i + ln]:
                    cost[i + ln], step[i + ln] = c, (i, ln, off, False)
                    state[i + ln], last[i + ln] = 1, off
    tokens, k = [], n
    while k:
        t = step[k]
        tokens.append(t)
        k = t[0]
    tokens.reverse()
    return tokens


def emit(data, tokens, enc):
    s, last = 0, 1
    for i, ln, off, rep in tokens:
        if ln == 1 and not off:
            enc.bit(ISMATCH + s, 0)
            enc.tree(LIT + 256 * ((data[i - 1] if i else 0) >> 5), data[i], 8)
            s = 0
            continue
        enc.bit(ISMATCH + s, 1)
        if off == last:  # the parse may find an equal new offset: cheaper
            enc.bit(ISREP + s, 1)
            enc.gamma(REPLEN, ln)
        else:
            enc.bit(ISREP + s, 0)
            enc.gamma(OFFHI, ((off - 1) >> 8) + 1)
            enc.tree(OFFLO, (off - 1) & 0xff, 8)
            enc.gamma(LEN, ln - 1)
        s, last = 1, off


def compress(data, passes=3):
    pr, best = Prices(), None
    for _ in range(passes):
        tokens = parse(data, pr)
        enc = Encoder()
        emit(data, tokens, enc)
        out = enc.finish()
        if best is None or len(out) < len(best):
            best = out
        cnt = Counter()
        emit(data, tokens, cnt)
        pr = Prices(cnt.c)
    return best
