/* SPDX-License-Identifier: MIT */
/*
 * sha256-bench.c - `make bench-sha`: MB/s of common/sha256.c's C code and of
 * its SHA-NI path (sha256_ni.asm) on this host, hashing one 256 MiB buffer
 * (a pinned ramdisk's size) in 2 MiB updates, as the UEFI loader reads it.
 * Built -Oz like the loaders.  Best of three runs per path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sha256.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Seconds to hash p[0..n), the best of three; the digest's first byte
 * goes to *d (so the work is not optimised away, and paths compare). */
static double run(const unsigned char *p, size_t n, unsigned char d[SHA256_BYTES])
{
	double best = 1e9;
	for (int r = 0; r < 3; r++) {
		struct sha256 s;
		double t0 = now();
		sha256_init(&s);
		for (size_t at = 0; at < n; at += 2 << 20)
			sha256_update(&s, p + at, n - at < (2u << 20) ? n - at : 2u << 20);
		sha256_final(&s, d);
		double t = now() - t0;
		if (t < best)
			best = t;
	}
	return best;
}

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 256;
	size_t n = mib << 20;
	unsigned char *p = malloc(n), dc[SHA256_BYTES], dn[SHA256_BYTES];
	if (!p || !n) {
		fprintf(stderr, "sha256-bench: error: no memory for %zu MiB\n", mib);
		return 1;
	}
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 2654435761u >> 13);
	sha256_accel(0);
	double tc = run(p, n, dc);
	printf("sha256 C code: %zu MiB in %.3f s, %.0f MB/s\n", mib, tc, n / tc / 1e6);
	if (!sha256_accel(1)) {
		printf("sha256 SHA-NI: SKIP (the CPU lacks SHA, SSSE3 or SSE4.1)\n");
		return 0;
	}
	double tn = run(p, n, dn);
	printf("sha256 SHA-NI: %zu MiB in %.3f s, %.0f MB/s (%.1fx)\n", mib, tn, n / tn / 1e6, tc / tn);
	if (memcmp(dc, dn, sizeof dc)) {
		fprintf(stderr, "sha256-bench: error: the two paths' digests differ\n");
		return 1;
	}
	free(p);
	return 0;
}
