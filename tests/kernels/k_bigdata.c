/* SPDX-License-Identifier: MIT */
/* k_bigdata.c - a kernel with 64 MiB of initialised data (k_bigdata_blob.S
 * includes tests/mkpattern.py's output): every byte must arrive intact. */
#include "ktest.h"

ELFBOOT_CONFIG_DEFAULT(boot_config);

extern const uint8_t blob_start[], blob_end[];

void kmain(struct elfboot_boot_info *bi);
void kmain(struct elfboot_boot_info *bi)
{
	ktest_init();
	kputs("ktest: k_bigdata\n");
	ktest_common_checks(bi);
	uint64_t n = (uint64_t)(blob_end - blob_start);
	CHECK_EQ(n, 64ull << 20);
	for (uint64_t i = 0; i < n; i++)
		if (blob_start[i] != (uint8_t)((i * 7 + 3) % 251)) {
			kprintf("  byte %lu is 0x%x\n", i, blob_start[i]);
			kfail(__FILE__, __LINE__, "initialised data");
		}
	CHECK(bi->kernel_len > n);
	kprintf("ktest: %lu MiB of data verified\n", n >> 20);
	kexit(1);
}
