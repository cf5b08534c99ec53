/* SPDX-License-Identifier: MIT */
/* k_higher.c - a higher-half kernel with dynamic_range_start in the upper
 * half: every Dynamic mapping (stack, boot info, framebuffer, physical
 * memory) must land at or above 0xffff800000000000. */
#include "ktest.h"

#define UPPER 0xffff800000000000ull

ELFBOOT_CONFIG(boot_config,
	.dynamic_range_start = ELFBOOT_SOME(UPPER),
	.physical_memory = ELFBOOT_SOME_DYNAMIC);

void kmain(struct elfboot_boot_info *bi);
void kmain(struct elfboot_boot_info *bi)
{
	ktest_init();
	kputs("ktest: k_higher\n");
	ktest_common_checks(bi);
	kprintf("ktest: boot info %p, stack 0x%lx, phys 0x%lx, fb 0x%lx\n", (void *)bi,
		bi->kernel_stack_bottom, bi->physical_memory_offset.value,
		bi->framebuffer.buffer_start);
	CHECK((uint64_t)(uintptr_t)bi >= UPPER);
	CHECK(bi->kernel_stack_bottom >= UPPER);
	CHECK(bi->physical_memory_offset.value >= UPPER);
	CHECK(bi->framebuffer.tag != ELFBOOT_SOME_TAG || bi->framebuffer.buffer_start >= UPPER);
	kexit(1);
}
