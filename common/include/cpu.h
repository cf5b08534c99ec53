/* SPDX-License-Identifier: MIT */
/* cpu.h - the few x86_64 instructions the loader needs (not firmware). */
#ifndef ELFBOOT_CPU_H
#define ELFBOOT_CPU_H

#include <stdint.h>

static inline void cpu_cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

static inline uint64_t cpu_rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static inline int cpu_has_1g_pages(void)
{
	uint32_t a, b, c, d;
	cpu_cpuid(0x80000000u, &a, &b, &c, &d);
	if (a < 0x80000001u)
		return 0;
	cpu_cpuid(0x80000001u, &a, &b, &c, &d);
	return (d >> 26) & 1;
}

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* Entropy for ASLR, from every source there is: RDSEED and RDRAND when the
 * CPU has them (retried, as the SDM advises), the TSC, and the PIT's
 * running counter (latched), all mixed. */
static inline uint64_t cpu_entropy(void)
{
	uint32_t a, b, c, d, max;
	uint64_t v = cpu_rdtsc() * 0x9e3779b97f4a7c15ull;
	outb(0x43, 0x00); /* latch PIT counter 0 */
	uint64_t pit = inb(0x40);
	pit |= (uint64_t)inb(0x40) << 8;
	v ^= pit * 0xbf58476d1ce4e5b9ull;
	cpu_cpuid(0, &max, &b, &c, &d);
	cpu_cpuid(1, &a, &b, &c, &d);
	int has_rdrand = (c >> 30) & 1, has_rdseed = 0;
	if (max >= 7) {
		cpu_cpuid(7, &a, &b, &c, &d);
		has_rdseed = (b >> 18) & 1;
	}
	for (int i = 0; has_rdseed && i < 10; i++) {
		uint64_t r;
		uint8_t ok;
		__asm__ volatile("rdseed %0; setc %1" : "=r"(r), "=qm"(ok));
		if (ok) {
			v ^= r;
			break;
		}
	}
	for (int i = 0; has_rdrand && i < 10; i++) {
		uint64_t r;
		uint8_t ok;
		__asm__ volatile("rdrand %0; setc %1" : "=r"(r), "=qm"(ok));
		if (ok) {
			v = (v ^ r) * 0x94d049bb133111ebull;
			break;
		}
	}
	return v ^ (cpu_rdtsc() << 17);
}

#endif
