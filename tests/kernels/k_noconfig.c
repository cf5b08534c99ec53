/* SPDX-License-Identifier: MIT */
/* k_noconfig.c - no .bootloader-config: elfboot must refuse it by name. */
#include "ktest.h"

void kmain(struct elfboot_boot_info *bi);
void kmain(struct elfboot_boot_info *bi)
{
	(void)bi;
	kputs("ktest: k_noconfig must never run\n");
	kexit(0);
}
