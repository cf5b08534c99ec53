/* SPDX-License-Identifier: MIT */
/*
 * ktest.h - support for elfboot's QEMU test kernels: COM1 output, exit
 * through isa-debug-exit (0x10 pass -> QEMU status 33, 0x11 fail -> 35),
 * CHECK() that fails the boot with file:line and the values, an exception
 * handler that turns any CPU fault into a failure, and helpers that walk
 * the kernel's own page tables through a physical-memory mapping.
 */
#ifndef KTEST_H
#define KTEST_H

#include <stdint.h>

#include "elfboot.h"

void kputs(const char *s);
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void kexit(int pass);
__attribute__((noreturn)) void kfail(const char *file, int line, const char *what);
void ktest_init(void);  /* installs the fault handlers */

#define CHECK(cond)                                                           \
	do {                                                                  \
		if (!(cond))                                                  \
			kfail(__FILE__, __LINE__, #cond);                     \
	} while (0)
#define CHECK_EQ(a, b)                                                        \
	do {                                                                  \
		uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);              \
		if (a_ != b_) {                                               \
			kprintf("  %s = 0x%lx, %s = 0x%lx\n", #a, a_, #b, b_); \
			kfail(__FILE__, __LINE__, #a " == " #b);              \
		}                                                             \
	} while (0)

/* What _start recorded before any C code ran. */
extern uint64_t ktest_entry_rsp, ktest_entry_ret, ktest_entry_rbp, ktest_entry_rdi;

/* Checks shared by every test kernel (entry state, regions, stack...). */
void ktest_common_checks(const struct elfboot_boot_info *bi);

/* The region containing phys, or 0. */
const struct elfboot_memory_region *ktest_region_of(const struct elfboot_boot_info *bi,
						    uint64_t phys);

/* With a physical-memory mapping at `off`, translate va through CR3.
 * Returns 1 and fills *pa and *flags (leaf, incl. PS for huge) if mapped. */
int ktest_translate(uint64_t off, uint64_t va, uint64_t *pa, uint64_t *flags);

static inline uint64_t read_cr0(void) { uint64_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline uint64_t read_cr3(void) { uint64_t v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline uint64_t read_cr4(void) { uint64_t v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }

#endif
