/* SPDX-License-Identifier: MIT */
/*
 * repro.c - what makes images reproducible (docs/build-id.md): one timestamp
 * for every file and volume ($SOURCE_DATE_EPOCH, else a fixed epoch) and
 * GUIDs and serial numbers derived from a SHA-256 of the image's inputs
 * instead of random ones.  SHA-256 is written out here (FIPS 180-4) so the
 * tool needs no crypto library.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tool.h"

/* 1980-01-01 00:00:00 UTC: the earliest time a FAT directory entry holds,
 * so a date that plainly means "no date", and the same in every build
 * (a kernel's mtime would differ between two checkouts of one tree). */
#define REPRO_DEFAULT_EPOCH 315532800LL

static const uint32_t K[64] = {
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

static uint32_t ror(uint32_t x, int n)
{
	return (x >> n) | (x << (32 - n));
}

static void block(struct sha256 *s, const uint8_t *p)
{
	uint32_t w[64], v[8];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	memcpy(v, s->h, sizeof v);
	for (int i = 0; i < 64; i++) {
		uint32_t t1 = v[7] + (ror(v[4], 6) ^ ror(v[4], 11) ^ ror(v[4], 25)) +
			      ((v[4] & v[5]) ^ (~v[4] & v[6])) + K[i] + w[i];
		uint32_t t2 = (ror(v[0], 2) ^ ror(v[0], 13) ^ ror(v[0], 22)) +
			      ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));
		memmove(v + 1, v, 7 * sizeof v[0]);
		v[4] += t1;
		v[0] = t1 + t2;
	}
	for (int i = 0; i < 8; i++)
		s->h[i] += v[i];
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
	while (n) {
		if (s->fill == 0 && n >= 64) {
			block(s, p);
			p += 64;
			n -= 64;
			continue;
		}
		size_t take = 64 - s->fill < n ? 64 - s->fill : n;
		memcpy(s->buf + s->fill, p, take);
		s->fill += take;
		p += take;
		n -= take;
		if (s->fill == 64) {
			block(s, s->buf);
			s->fill = 0;
		}
	}
}

void sha256_final(struct sha256 *s, uint8_t out[32])
{
	uint64_t bits = s->len * 8;
	uint8_t pad[72] = { 0x80 };
	size_t padn = (s->fill < 56 ? 56 : 120) - s->fill;
	for (int i = 0; i < 8; i++)
		pad[padn + i] = (uint8_t)(bits >> (56 - 8 * i));
	sha256_update(s, pad, padn + 8);
	for (int i = 0; i < 8; i++)
		for (int k = 0; k < 4; k++)
			out[4 * i + k] = (uint8_t)(s->h[i] >> (24 - 8 * k));
}

/* One lane of the content digest: a multiply-rotate mix, 8 bytes a step. */
static uint64_t lane(uint64_t l, const uint8_t *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	l ^= w * 0x9e3779b97f4a7c15ull;
	l = l << 27 | l >> 37;
	return l * 0xc2b2ae3d27d4eb4full + 0x165667b19e3779f9ull;
}

/* Fills buf from fd as far as it goes: every chunk but the last is whole. */
static ssize_t read_full(int fd, uint8_t *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

int hash_file(struct sha256 *s, const char *tag, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return tool_error("cannot open '%s': %s", path, strerror(errno));
	/* The tag and a separator keep "a"+"bc" apart from "ab"+"c". */
	sha256_update(s, tag, strlen(tag) + 1);
	/* The contents go through four 64-bit lanes, then SHA-256 takes the
	 * lanes, the tail and the length: a seed needs inputs that differ to
	 * differ, not collision resistance, and SHA-256 over a 256 MiB
	 * ramdisk took seconds where this takes a fraction of one. */
	static uint8_t buf[1 << 16];
	uint64_t l[4] = { 1, 2, 3, 4 }, total = 0;
	ssize_t r;
	while ((r = read_full(fd, buf, sizeof buf)) > 0) {
		size_t whole = (size_t)r & ~(size_t)31;
		for (size_t i = 0; i < whole; i += 32)
			for (int k = 0; k < 4; k++)
				l[k] = lane(l[k], buf + i + 8 * k);
		sha256_update(s, buf + whole, (size_t)r - whole); /* the last chunk's tail */
		total += (uint64_t)r;
		if ((size_t)r < sizeof buf)
			break;
	}
	int e = errno;
	close(fd);
	if (r < 0)
		return tool_error("cannot read '%s': %s", path, strerror(e));
	uint8_t fin[40];
	memcpy(fin, l, 32);
	memcpy(fin + 32, &total, 8);
	sha256_update(s, fin, sizeof fin);
	return 0;
}

long long repro_epoch(void)
{
	const char *env = getenv("SOURCE_DATE_EPOCH");
	long long t = REPRO_DEFAULT_EPOCH;
	if (env && *env) {
		char *end;
		errno = 0;
		t = strtoll(env, &end, 10);
		/* FAT holds 1980-2107; ISO 9660 from 1900.  Refuse what a FAT
		 * directory entry cannot hold rather than wrap it. */
		if (errno || *end || t < REPRO_DEFAULT_EPOCH || t > 4354819199LL) {
			tool_error("SOURCE_DATE_EPOCH '%s' is not a time in 1980-2107 (seconds since "
				   "1970, UTC)", env);
			return -1;
		}
	}
	char v[32];
	snprintf(v, sizeof v, "%lld", t);
	/* mtools writes local time: with TZ=UTC0 the same epoch gives the same
	 * bytes on every machine. */
	setenv("SOURCE_DATE_EPOCH", v, 1);
	setenv("TZ", "UTC0", 1);
	return t;
}

void repro_guid(const uint8_t seed[32], unsigned index, uint8_t out[16])
{
	struct sha256 s;
	uint8_t h[32];
	sha256_init(&s);
	sha256_update(&s, "elfboot guid", 13);
	sha256_update(&s, seed, 32);
	uint8_t i4[4] = { (uint8_t)index, (uint8_t)(index >> 8), (uint8_t)(index >> 16),
			  (uint8_t)(index >> 24) };
	sha256_update(&s, i4, 4);
	sha256_final(&s, h);
	memcpy(out, h, 16);
	/* Version 4 and the RFC 4122 variant bits in the GUID's stored
	 * (mixed-endian) layout: byte 7 is the high byte of the third field. */
	out[7] = (uint8_t)((out[7] & 0x0f) | 0x40);
	out[8] = (uint8_t)((out[8] & 0x3f) | 0x80);
}

int repro_seed(const char *kind, const char *const *files, int nfiles, long long epoch,
	       uint8_t seed[32])
{
	struct sha256 s;
	sha256_init(&s);
	sha256_update(&s, kind, strlen(kind) + 1);
	char e[32];
	snprintf(e, sizeof e, "%lld", epoch);
	sha256_update(&s, e, strlen(e) + 1);
	for (int i = 0; i < nfiles; i++) {
		char tag[16];
		snprintf(tag, sizeof tag, "file%d", i);
		if (!files[i])
			sha256_update(&s, "-", 2);
		else if (hash_file(&s, tag, files[i]))
			return 1;
	}
	sha256_final(&s, seed);
	return 0;
}
