/* SPDX-License-Identifier: MIT */
/* k_aslr.c - a PIE with aslr on: prints where it landed; the test boots it
 * twice and requires different addresses.  Fixed mappings stay put. */
#include "ktest.h"

ELFBOOT_CONFIG(boot_config, .aslr = 1, .boot_info = ELFBOOT_FIXED(0x0000300000000000ull));

void kmain(struct elfboot_boot_info *bi);
void kmain(struct elfboot_boot_info *bi)
{
	ktest_init();
	kputs("ktest: k_aslr\n");
	ktest_common_checks(bi);
	CHECK_EQ((uint64_t)(uintptr_t)bi, 0x0000300000000000ull);
	kprintf("ktest: aslr layout image=0x%lx stack=0x%lx\n", bi->kernel_image_offset,
		bi->kernel_stack_bottom);
	kexit(1);
}
