/* SPDX-License-Identifier: MIT */
/*
 * sha256.h - SHA-256 (FIPS 180-4), streaming: init, any number of updates
 * of any length, final.  One implementation (common/sha256.c) for both
 * loaders (file pins, docs/trusted-boot.md) and the host tool (pins, the
 * reproducible images' seeds).  C, or SHA-NI once sha256_accel() allows it
 * (sha256_ni.asm); over caller memory; never fails.
 */
#ifndef ELFBOOT_SHA256_H
#define ELFBOOT_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_BYTES 32

struct sha256 {
	uint32_t h[8];
	uint64_t len;   /* bytes hashed so far */
	uint8_t buf[64];
	uint32_t fill;  /* bytes waiting in buf (< 64) */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *p, size_t n);
/* Hash whole blocks with the CPU's SHA extensions (sha256_ni.asm) from now
 * on if CPUID offers them (SHA, SSSE3, SSE4.1) and xmm_on says the caller
 * has SSE enabled (CR4.OSFXSR, CR0.EM and TS clear); 0: the C code.
 * Returns 1 if SHA-NI is used.  sha256_accelerated(): the current choice. */
int sha256_accel(int xmm_on);
int sha256_accelerated(void);
/* Pads and writes the digest; s must be initialised again before reuse. */
void sha256_final(struct sha256 *s, uint8_t out[SHA256_BYTES]);

#endif
