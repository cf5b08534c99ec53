/* SPDX-License-Identifier: MIT */
/* k_hang.c - a kernel that never ends: `elfboot run --timeout` must stop it
 * and say so by its exit status (tests/suites/run.sh). */
#include "ktest.h"

ELFBOOT_CONFIG_DEFAULT(boot_config);

void kmain(struct elfboot_boot_info *bi);
void kmain(struct elfboot_boot_info *bi)
{
	(void)bi;
	kputs("ktest: k_hang: running forever\n");
	for (;;)
		__asm__ volatile("cli; hlt");
}
