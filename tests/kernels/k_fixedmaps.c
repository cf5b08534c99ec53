/* SPDX-License-Identifier: MIT */
/* k_fixedmaps.c - every mapping at a fixed address: framebuffer, ramdisk,
 * boot info, physical memory, recursive entry (index 510), stack.  Each
 * lands exactly there. Booted with the 1 MiB test ramdisk. */
#include "core.h"
#include "ktest.h"

#define FB 0x0000500000000000ull
#define RD 0x0000600000000000ull
#define BI 0x0000700000000000ull
#define PM 0xffff900000000000ull
#define RC 0xffffff0000000000ull /* level-4 index 510 */
#define ST 0x0000400000000000ull

ELFBOOT_CONFIG(boot_config,
	.framebuffer = ELFBOOT_FIXED(FB),
	.ramdisk_memory = ELFBOOT_FIXED(RD),
	.boot_info = ELFBOOT_FIXED(BI),
	.kernel_stack = ELFBOOT_FIXED(ST),
	.physical_memory = ELFBOOT_SOME_FIXED(PM),
	.page_table_recursive = ELFBOOT_SOME_FIXED(RC));

void kmain(struct elfboot_boot_info *bi);
void kmain(struct elfboot_boot_info *bi)
{
	ktest_init();
	kputs("ktest: k_fixedmaps\n");
	ktest_common_checks(bi);
	CHECK_EQ((uint64_t)(uintptr_t)bi, BI);
	CHECK_EQ(bi->framebuffer.buffer_start & ~0xfffull, FB);
	CHECK_EQ(bi->ramdisk_addr.tag, ELFBOOT_SOME_TAG);
	CHECK_EQ(bi->ramdisk_addr.value, RD);
	CHECK(memcmp((const void *)(uintptr_t)RD, "EBRAMDSK", 8) == 0);
	CHECK_EQ(bi->physical_memory_offset.value, PM);
	CHECK_EQ(bi->recursive_index.value, 510);
	CHECK_EQ(bi->kernel_stack_bottom, ST + 4096);
	/* The physical map really is at PM: the kernel file's ELF magic. */
	CHECK(memcmp((const void *)(uintptr_t)(PM + bi->kernel_addr), "\177ELF", 4) == 0);
	kexit(1);
}
