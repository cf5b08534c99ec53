/* SPDX-License-Identifier: MIT */
/* k_sentinel.c - booted with tests' boot.json: its _test_sentinel reaches
 * BootInfo and its framebuffer minimum (1280x1024) overrides the kernel's
 * own (none). */
#include "ktest.h"

ELFBOOT_CONFIG_DEFAULT(boot_config);

void kmain(struct elfboot_boot_info *bi);
void kmain(struct elfboot_boot_info *bi)
{
	ktest_init();
	kputs("ktest: k_sentinel\n");
	ktest_common_checks(bi);
	CHECK_EQ(bi->_test_sentinel, 0xfeedfacecafebeefull);
	CHECK_EQ(bi->framebuffer.tag, ELFBOOT_SOME_TAG);
	CHECK(bi->framebuffer.info.width >= 1280);
	CHECK(bi->framebuffer.info.height >= 1024);
	kexit(1);
}
