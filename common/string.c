/* SPDX-License-Identifier: MIT */
/*
 * string.c - the libc memory functions for freestanding builds (the host
 * tool and unit tests use the host libc instead).  The compiler may emit
 * calls to these on its own, so they keep their standard names.  Bulk copies
 * use `rep movsb`/`rep stosb`, which current CPUs run at full memory speed.
 */
#include "core.h"

void *memcpy(void *restrict d, const void *restrict s, size_t n)
{
	void *r = d;
	/* Quadwords first: as fast as movsb on hardware, and 8x fewer
	 * iterations where string instructions are emulated (QEMU TCG). */
	size_t q = n / 8, b = n % 8;
	__asm__ volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(q) : : "memory");
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(b) : : "memory");
	return r;
}

void *memmove(void *d, const void *s, size_t n)
{
	if ((uintptr_t)d <= (uintptr_t)s || (uintptr_t)d >= (uintptr_t)s + n)
		return memcpy(d, s, n);
	uint8_t *dp = (uint8_t *)d + n - 1;
	const uint8_t *sp = (const uint8_t *)s + n - 1;
	__asm__ volatile("std; rep movsb; cld" : "+D"(dp), "+S"(sp), "+c"(n) : : "memory");
	return d;
}

void *memset(void *d, int c, size_t n)
{
	void *r = d;
	size_t q = n / 8, b = n % 8;
	uint64_t v = (uint8_t)c * 0x0101010101010101ull;
	__asm__ volatile("rep stosq" : "+D"(d), "+c"(q) : "a"(v) : "memory");
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(b) : "a"(v) : "memory");
	return r;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}
