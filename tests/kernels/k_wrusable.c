/* SPDX-License-Identifier: MIT */
/* k_wrusable.c - writes 0xff over every byte of every Usable region through
 * the physical-memory mapping, then keeps running and checks a few: proves
 * Usable memory holds nothing the kernel or its tables need (rb #445). */
#include "core.h"
#include "ktest.h"

ELFBOOT_CONFIG(boot_config, .physical_memory = ELFBOOT_SOME_DYNAMIC);

void kmain(struct elfboot_boot_info *bi);
void kmain(struct elfboot_boot_info *bi)
{
	ktest_init();
	kputs("ktest: k_wrusable\n");
	ktest_common_checks(bi);
	uint64_t off = bi->physical_memory_offset.value, total = 0;
	const struct elfboot_memory_region *r = elfboot_regions(bi);
	uint64_t n = bi->memory_regions_len;
	for (uint64_t i = 0; i < n; i++) {
		if (r[i].kind != ELFBOOT_REGION_USABLE)
			continue;
		memset((void *)(uintptr_t)(off + r[i].start), 0xff, r[i].end - r[i].start);
		total += r[i].end - r[i].start;
	}
	kprintf("ktest: wrote 0xff over %lu KiB of Usable memory; still running\n", total >> 10);
	/* Tables, boot info, stack and code survived: use them all again. */
	CHECK_EQ(bi->memory_regions_len, n);
	ktest_common_checks(bi);
	kexit(1);
}
