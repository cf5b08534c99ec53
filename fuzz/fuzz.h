/* SPDX-License-Identifier: MIT */
/*
 * fuzz.h - shared by the libFuzzer targets in fuzz/: the entry point's
 * prototype and FUZZ_CHECK, which turns a broken invariant into a crash
 * (abort) so libFuzzer saves the input that caused it.
 */
#ifndef ELFBOOT_FUZZ_H
#define ELFBOOT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* For a harness's own checking code: its comparisons would only feed
 * libFuzzer noise (and cost most of the time in fuzz_memmap's model). */
#define FUZZ_UNTRACED __attribute__((no_sanitize("coverage"), noinline))

#define FUZZ_CHECK(cond, ...)                                                         \
	do {                                                                          \
		if (!(cond)) {                                                        \
			fprintf(stderr, "fuzz: invariant broken at %s:%d: %s: ", __FILE__, \
				__LINE__, #cond);                                     \
			fprintf(stderr, __VA_ARGS__);                                 \
			fputc('\n', stderr);                                          \
			abort();                                                      \
		}                                                                     \
	} while (0)

#endif
