/* SPDX-License-Identifier: MIT */
/*
 * t.h - the host unit-test harness.  Each T_CASE prints "PASS name" or
 * "FAIL name" (tests/run-all.sh counts them); a failed check prints where
 * and what.  Tests include the core unchanged (built with the host compiler,
 * also under ASan/UBSan).
 */
#ifndef T_H
#define T_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

static int t_case_failed, t_failed_cases, t_cases;

#define T_CHECK(c)                                                                    \
	do {                                                                          \
		if (!(c)) {                                                           \
			fprintf(stderr, "  %s:%d: check failed: %s\n", __FILE__, __LINE__, #c); \
			t_case_failed = 1;                                            \
		}                                                                     \
	} while (0)

#define T_EQ(a, b)                                                                    \
	do {                                                                          \
		unsigned long long a_ = (unsigned long long)(a), b_ = (unsigned long long)(b); \
		if (a_ != b_) {                                                       \
			fprintf(stderr, "  %s:%d: %s = 0x%llx, expected %s = 0x%llx\n", __FILE__, \
				__LINE__, #a, a_, #b, b_);                            \
			t_case_failed = 1;                                            \
		}                                                                     \
	} while (0)

/* expr must fail with EB_ERR and a message containing `want`. */
#define T_ERR(expr, want)                                                             \
	do {                                                                          \
		int r_ = (expr);                                                      \
		if (r_ != EB_ERR || !strstr(eb_last_error(), (want))) {               \
			fprintf(stderr, "  %s:%d: %s: got %d \"%s\", expected an error with \"%s\"\n", \
				__FILE__, __LINE__, #expr, r_, r_ == EB_ERR ? eb_last_error() : "", want); \
			t_case_failed = 1;                                            \
		}                                                                     \
	} while (0)

#define T_OK(expr)                                                                    \
	do {                                                                          \
		int r_ = (expr);                                                      \
		if (r_ != EB_OK) {                                                    \
			fprintf(stderr, "  %s:%d: %s failed: %s\n", __FILE__, __LINE__, #expr, \
				eb_last_error());                                     \
			t_case_failed = 1;                                            \
		}                                                                     \
	} while (0)

#define T_RUN(fn)                                                                     \
	do {                                                                          \
		t_case_failed = 0;                                                    \
		fn();                                                                 \
		t_cases++;                                                            \
		if (t_case_failed)                                                    \
			t_failed_cases++;                                             \
		printf("%s %s\n", t_case_failed ? "FAIL" : "PASS", #fn);              \
	} while (0)

/* Hex text ("7c3a..") to bytes, for vectors written out by hand. */
static inline size_t t_unhex(const char *h, uint8_t *out)
{
	size_t n = 0;
	for (; h[0] && h[1]; h += 2) {
		unsigned v;
		sscanf(h, "%2x", &v);
		out[n++] = (uint8_t)v;
	}
	return n;
}

#define T_END() (t_failed_cases ? 1 : 0)

#endif
