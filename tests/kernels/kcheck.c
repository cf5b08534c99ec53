/* SPDX-License-Identifier: MIT */
/* kcheck.c - checks every test kernel runs first (may use SSE). */
#include "core.h"
#include "ktest.h"

void ktest_common_checks(const struct elfboot_boot_info *bi)
{
	kprintf("ktest: boot info at %p, %lu regions\n", (const void *)bi, bi->memory_regions_len);
	/* Entry state (docs/PROTOCOL.md). */
	CHECK_EQ(ktest_entry_rdi, (uint64_t)(uintptr_t)bi);
	CHECK_EQ(ktest_entry_ret, 0);
	CHECK_EQ(ktest_entry_rbp, 0);
	CHECK_EQ(ktest_entry_rsp % 16, 8);
	CHECK(ktest_entry_rsp >= bi->kernel_stack_bottom);
	CHECK(ktest_entry_rsp < bi->kernel_stack_bottom + bi->kernel_stack_len);
	CHECK_EQ((bi->kernel_stack_bottom + bi->kernel_stack_len) - (ktest_entry_rsp + 8) < 16, 1);
	CHECK(read_cr0() & (1u << 16)); /* WP */
	CHECK(!(read_cr0() & (1u << 2))); /* EM off */
	CHECK(read_cr4() & (1u << 9));  /* OSFXSR */
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0xC0000080));
	CHECK(lo & (1u << 11)); /* EFER.NXE */
	uint64_t fl;
	__asm__ volatile("pushfq; pop %0" : "=r"(fl));
	CHECK(!(fl & (1u << 9))); /* interrupts off */
	uint16_t cs, ss;
	__asm__ volatile("mov %%cs, %0; mov %%ss, %1" : "=r"(cs), "=r"(ss));
	CHECK_EQ(cs, 0x08);
	CHECK_EQ(ss, 0x10);

	CHECK_EQ(bi->api_version.major, ELFBOOT_API_MAJOR);
	CHECK_EQ(bi->api_version.minor, ELFBOOT_API_MINOR);
	CHECK_EQ(bi->api_version.patch, ELFBOOT_API_PATCH);
	CHECK_EQ(bi->memory_regions, (uint64_t)(uintptr_t)bi + sizeof *bi);

	/* Regions: sorted, non-overlapping, valid kinds, Usable and Bootloader
	 * present, enough usable memory below 1 MiB left alone. */
	const struct elfboot_memory_region *r = elfboot_regions(bi);
	CHECK(bi->memory_regions_len > 4);
	uint64_t usable = 0, loader = 0, low_usable_pages = 0;
	for (uint64_t i = 0; i < bi->memory_regions_len; i++) {
		CHECK(r[i].start < r[i].end);
		if (i)
			CHECK(r[i - 1].end <= r[i].start);
		CHECK(r[i].kind <= ELFBOOT_REGION_UNKNOWN_BIOS);
		if (r[i].kind == ELFBOOT_REGION_USABLE) {
			usable += r[i].end - r[i].start;
			CHECK_EQ(r[i].value, 0);
			if (r[i].start < 0x100000) {
				uint64_t e = r[i].end < 0x100000 ? r[i].end : 0x100000;
				low_usable_pages += (e - r[i].start) / 4096;
			}
		}
		if (r[i].kind == ELFBOOT_REGION_BOOTLOADER)
			loader += r[i].end - r[i].start;
	}
	kprintf("ktest: %lu KiB usable, %lu KiB bootloader, %lu usable pages below 1 MiB\n",
		usable >> 10, loader >> 10, low_usable_pages);
	CHECK(usable > (16u << 20));
	CHECK(loader >= bi->kernel_len);
	CHECK(low_usable_pages > 16);

	/* The kernel file and ramdisk are Bootloader memory, never Usable. */
	const struct elfboot_memory_region *kr = ktest_region_of(bi, bi->kernel_addr);
	CHECK(kr && kr->kind == ELFBOOT_REGION_BOOTLOADER);
	CHECK(bi->kernel_len > 0);

	/* RSDP: present and not in Usable memory (k_physmem reads it). */
	CHECK_EQ(bi->rsdp_addr.tag, ELFBOOT_SOME_TAG);
	CHECK(bi->rsdp_addr.value != 0);
	const struct elfboot_memory_region *rr = ktest_region_of(bi, bi->rsdp_addr.value);
	CHECK(!rr || rr->kind != ELFBOOT_REGION_USABLE);

	/* SSE works (the compiler may use it anywhere). */
	volatile double x = 1.5;
	CHECK((int)(x * 4.0) == 6);

	/* The stack is writable all the way down to its bottom. */
	volatile uint8_t *bottom = (volatile uint8_t *)(uintptr_t)bi->kernel_stack_bottom;
	bottom[0] = 0xab;
	CHECK_EQ(bottom[0], 0xab);
}
