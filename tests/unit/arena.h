/* SPDX-License-Identifier: MIT */
/*
 * arena.h - "physical memory" for host tests of the page-table builder and
 * loader: an mmap at a fixed low address, so physical == host virtual
 * (the identity mapping the core assumes) and addresses stay small.
 */
#ifndef ARENA_H
#define ARENA_H

#include <sys/mman.h>

#define ARENA_BASE 0x40000000ull
#define ARENA_SIZE (64ull << 20)

static inline uint8_t *arena_get(void)
{
	static uint8_t *a;
	if (!a) {
		void *p = mmap((void *)(uintptr_t)ARENA_BASE, ARENA_SIZE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (p != (void *)(uintptr_t)ARENA_BASE) {
			perror("arena mmap");
			exit(2);
		}
		a = p;
	}
	return a;
}

#endif
