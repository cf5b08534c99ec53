/* SPDX-License-Identifier: MIT */
/*
 * sha256.c - SHA-256 after FIPS 180-4 (sha256.h).  The loader hashes whole
 * ramdisks with it while it reads them, so the compression function is
 * the hot loop: eight working variables in registers, a 16-word rolling
 * message schedule, whole 64-byte blocks hashed straight from the caller;
 * or, once sha256_accel() allows it, the SHA-NI code (sha256_ni.asm).
 */
#include "core.h"
#include "sha256.h"

/* Also sha256_ni.asm's round constants (one table in the loaders). */
extern const uint32_t sha256_k[64];
const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
	0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
	0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
	0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
	0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	0xc67178f2,
};

static inline uint32_t ror(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

/* sha256_ni.asm, linked into the loaders and the unit tests.  Host
 * programs without it (kpatch, the fuzzers, the seam check) get this weak
 * stand-in, so they keep the C code and never call the weak, undefined
 * sha256_ni_blocks (a weak definition, not a tested weak address: that
 * would cost BOOTX64.EFI a GOT entry and a relocation). */
void sha256_ni_blocks(uint32_t h[8], const void *p, size_t n) __attribute__((weak));
int sha256_ni_cpu(void);
__attribute__((weak)) int sha256_ni_cpu(void)
{
	return 0;
}

static int ni; /* sha256_accel() chose sha256_ni_blocks */

int sha256_accel(int xmm_on)
{
	ni = xmm_on && sha256_ni_cpu();
	return ni;
}

int sha256_accelerated(void)
{
	return ni;
}

/* Hashes n whole blocks at p. */
static void blocks(uint32_t h[8], const uint8_t *p, size_t n)
{
	if (ni) {
		sha256_ni_blocks(h, p, n);
		return;
	}
	for (; n; n--, p += 64) {
		uint32_t w[16];
		uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6],
			 k = h[7];
		for (unsigned i = 0; i < 64; i++) {
			uint32_t x;
			if (i < 16) {
				x = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
				    (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
			} else {
				/* w[i] from w[i-16], w[i-15], w[i-7], w[i-2], kept mod 16 */
				uint32_t w15 = w[(i - 15) & 15], w2 = w[(i - 2) & 15];
				x = w[i & 15] + w[(i - 7) & 15] +
				    (ror(w15, 7) ^ ror(w15, 18) ^ (w15 >> 3)) +
				    (ror(w2, 17) ^ ror(w2, 19) ^ (w2 >> 10));
			}
			w[i & 15] = x;
			uint32_t t1 = k + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + (g ^ (e & (f ^ g))) +
				      sha256_k[i] + x;
			uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) | (c & (a | b)));
			k = g;
			g = f;
			f = e;
			e = d + t1;
			d = c;
			c = b;
			b = a;
			a = t1 + t2;
		}
		h[0] += a;
		h[1] += b;
		h[2] += c;
		h[3] += d;
		h[4] += e;
		h[5] += f;
		h[6] += g;
		h[7] += k;
	}
}

void sha256_init(struct sha256 *s)
{
	static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
					0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	memcpy(s->h, iv, sizeof iv);
	s->len = 0;
	s->fill = 0;
}

void sha256_update(struct sha256 *s, const void *data, size_t n)
{
	const uint8_t *p = data;
	s->len += n;
	if (s->fill) { /* top up the partial block first */
		size_t take = 64 - s->fill < n ? 64 - s->fill : n;
		memcpy(s->buf + s->fill, p, take);
		s->fill += (uint32_t)take;
		p += take;
		n -= take;
		if (s->fill < 64)
			return;
		blocks(s->h, s->buf, 1);
		s->fill = 0;
	}
	blocks(s->h, p, n / 64); /* straight from the caller's memory: no copy */
	p += n & ~(size_t)63;
	n &= 63;
	memcpy(s->buf, p, n);
	s->fill = (uint32_t)n;
}

void sha256_final(struct sha256 *s, uint8_t out[SHA256_BYTES])
{
	/* 0x80, zeros up to 56 mod 64, then the length in bits, big-endian:
	 * a byte at a time (at most 72 calls; fewer bytes of loader code). */
	uint64_t bits = s->len * 8;
	uint8_t b = 0x80;
	do {
		sha256_update(s, &b, 1);
		b = 0;
	} while (s->fill != 56);
	for (int i = 56; i >= 0; i -= 8) {
		b = (uint8_t)(bits >> i);
		sha256_update(s, &b, 1);
	}
	for (int i = 0; i < 8; i++) { /* big-endian words */
		uint32_t v = __builtin_bswap32(s->h[i]);
		memcpy(out + 4 * i, &v, 4);
	}
}
