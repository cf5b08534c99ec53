/* SPDX-License-Identifier: MIT */
/* k_base.c - a PIE kernel with a fixed kernel_base: loaded exactly there. */
#include "core.h"
#include "ktest.h"

#define BASE 0x0000200000000000ull

ELFBOOT_CONFIG(boot_config, .kernel_base = ELFBOOT_FIXED(BASE));

extern const char __ehdr_start[];
static int target = 5;
int *volatile relocated_ptr = &target;

void kmain(struct elfboot_boot_info *bi);
void kmain(struct elfboot_boot_info *bi)
{
	ktest_init();
	kputs("ktest: k_base\n");
	ktest_common_checks(bi);
	CHECK_EQ(bi->kernel_image_offset, BASE);
	CHECK_EQ((uint64_t)(uintptr_t)__ehdr_start, BASE);
	CHECK(relocated_ptr == &target);
	CHECK_EQ(*relocated_ptr, 5);
	kexit(1);
}
