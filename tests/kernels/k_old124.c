/* SPDX-License-Identifier: MIT */
/* k_old124.c - the 124-byte config of bootloader_api 0.11.1-0.11.10 (no
 * kernel_base), written out byte by byte: physical_memory Some(Dynamic),
 * stack 0x18000.  elfboot must read the old layout's offsets. */
#include "ktest.h"

#ifndef OLD_LEN
#define OLD_LEN 124
#endif

__attribute__((section(".bootloader-config"), used)) const uint8_t boot_config[OLD_LEN] = {
	0x74, 0x3C, 0xA9, 0x61, 0x09, 0x36, 0x46, 0xA0, 0xBB, 0x55, 0x5C, 0x15, 0x89, 0x15, 0x25, 0x3D,
	0, 0, 11, 0, OLD_LEN == 124 ? 10 : 0, 0, 0, /* version 0.11.x, not pre-release */
	0x00, 0x80, 0x01, 0, 0, 0, 0, 0,            /* 23: stack size 0x18000 */
	/* 31 kernel_stack, 40 boot_info, 49 framebuffer: Dynamic */
	[58] = 1,                                   /* physical_memory: Some(Dynamic) */
};

void kmain(struct elfboot_boot_info *bi);
void kmain(struct elfboot_boot_info *bi)
{
	ktest_init();
	kprintf("ktest: k_old%d\n", OLD_LEN);
	ktest_common_checks(bi);
	CHECK_EQ(bi->kernel_stack_len, 0x18000);
	CHECK_EQ(bi->physical_memory_offset.tag, ELFBOOT_SOME_TAG);
	kexit(1);
}
