/* SPDX-License-Identifier: MIT */
/* k_bigmem.c - booted with 5 GiB: RAM above 4 GiB is reported Usable, the
 * PCI hole below 4 GiB is not, and the physical-memory mapping reaches the
 * last usable byte above 4 GiB. */
#include "core.h"
#include "ktest.h"

ELFBOOT_CONFIG(boot_config, .physical_memory = ELFBOOT_SOME_DYNAMIC);

void kmain(struct elfboot_boot_info *bi);
void kmain(struct elfboot_boot_info *bi)
{
	ktest_init();
	kputs("ktest: k_bigmem\n");
	ktest_common_checks(bi);
	const struct elfboot_memory_region *r = elfboot_regions(bi);
	uint64_t usable = 0, high = 0, top = 0;
	for (uint64_t i = 0; i < bi->memory_regions_len; i++) {
		if (r[i].kind != ELFBOOT_REGION_USABLE)
			continue;
		usable += r[i].end - r[i].start;
		if (r[i].start >= (4ull << 30))
			high += r[i].end - r[i].start;
		top = r[i].end;
		/* Nothing usable in the top of the PCI hole. */
		CHECK(r[i].end <= 0xe0000000ull || r[i].start >= (4ull << 30));
	}
	kprintf("ktest: %lu MiB usable, %lu MiB above 4 GiB, top 0x%lx\n", usable >> 20, high >> 20,
		top);
	CHECK(usable > (4500ull << 20));
	CHECK(high >= (2ull << 30));
	volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)(bi->physical_memory_offset.value + top - 8);
	*p = 0x0123456789abcdefull;
	CHECK_EQ(*p, 0x0123456789abcdefull);
	kexit(1);
}
