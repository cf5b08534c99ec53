/* SPDX-License-Identifier: MIT */
/* k_exit.c - `make bench`'s kernel: exits QEMU (PASS) the moment it runs,
 * after one serial line with the TSC: under QEMU's -icount that is the
 * virtual time since reset, the same on a loaded machine as on an idle one
 * (bench.sh's virtual figures). */
#include "cpu.h"
#include "ktest.h"

ELFBOOT_CONFIG_DEFAULT(boot_config);

void kmain(struct elfboot_boot_info *bi);
void kmain(struct elfboot_boot_info *bi)
{
	(void)bi;
	kprintf("bench: tsc %lu\n", cpu_rdtsc());
	__asm__ volatile("outb %0, $0xf4" : : "a"((uint8_t)0x10));
	for (;;)
		__asm__ volatile("cli; hlt");
}
