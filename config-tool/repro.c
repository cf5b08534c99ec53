/* SPDX-License-Identifier: MIT */
/*
 * repro.c - what makes images reproducible (docs/build-id.md): one timestamp
 * for every file and volume ($SOURCE_DATE_EPOCH, else a fixed epoch) and
 * GUIDs and serial numbers derived from a SHA-256 of the image's inputs
 * instead of random ones (common/sha256.c: the tool needs no crypto library).
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
