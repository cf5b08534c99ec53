/* SPDX-License-Identifier: MIT */
/* k_panic.c - a kernel that must fail: the suite checks a failing kernel is
 * reported as failed (exit 0x11), not as a pass or a hang. */
#include "ktest.h"

ELFBOOT_CONFIG_DEFAULT(boot_config);

void kmain(struct elfboot_boot_info *bi);
void kmain(struct elfboot_boot_info *bi)
{
	ktest_init();
	kputs("ktest: k_panic\n");
	CHECK_EQ(bi->api_version.major, 99); /* deliberately false */
	kexit(1);
}
