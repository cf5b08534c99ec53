/* SPDX-License-Identifier: MIT */
/*
 * k_stack.c - stack options: a size that is not a page multiple (and tiny
 * with STACK_SIZE 4000), or large (64 MiB, every page touched), optionally
 * at a fixed address (the guard page's).  Checks kernel_stack_bottom/_len,
 * the entry rsp, and that the guard page below the stack is unmapped.
 */
#include "core.h"
#include "ktest.h"

#ifndef STACK_SIZE
#define STACK_SIZE 4000
#endif

#ifdef STACK_ADDR
ELFBOOT_CONFIG(boot_config, .kernel_stack_size = STACK_SIZE,
	       .kernel_stack = ELFBOOT_FIXED(STACK_ADDR),
	       .physical_memory = ELFBOOT_SOME_DYNAMIC);
#else
ELFBOOT_CONFIG(boot_config, .kernel_stack_size = STACK_SIZE,
	       .physical_memory = ELFBOOT_SOME_DYNAMIC);
#endif

void kmain(struct elfboot_boot_info *bi);
void kmain(struct elfboot_boot_info *bi)
{
	ktest_init();
	kputs("ktest: k_stack\n");
	ktest_common_checks(bi);
	kprintf("ktest: stack 0x%lx + %lu\n", bi->kernel_stack_bottom, bi->kernel_stack_len);
	CHECK_EQ(bi->kernel_stack_len, STACK_SIZE);
	CHECK_EQ(ktest_entry_rsp + 8, (bi->kernel_stack_bottom + STACK_SIZE) & ~15ull);
#ifdef STACK_ADDR
	CHECK_EQ(bi->kernel_stack_bottom, STACK_ADDR + 4096);
#endif
	uint64_t pa, fl, off = bi->physical_memory_offset.value;
	CHECK(!ktest_translate(off, bi->kernel_stack_bottom - 4096, &pa, &fl));
	volatile uint8_t *s = (volatile uint8_t *)(uintptr_t)bi->kernel_stack_bottom;
	for (uint64_t i = 0; i < STACK_SIZE; i += 4096)
		s[i] = (uint8_t)i;
	for (uint64_t i = 0; i < STACK_SIZE; i += 4096)
		CHECK_EQ(s[i], (uint8_t)i);
	kexit(1);
}
