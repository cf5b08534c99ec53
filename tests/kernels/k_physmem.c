/* SPDX-License-Identifier: MIT */
/*
 * k_physmem.c - static kernel asking for a physical-memory mapping and a
 * recursive level-4 entry.  Through them it checks what no other view can:
 * page permissions per segment, the guard page, huge pages in the physical
 * map, that every page-table frame and every loaded frame is reported as
 * Bootloader memory, the RSDP signature, the kernel file in memory, RAM
 * reachable at the offset, and the recursive entry.
 */
#include "core.h"
#include "ktest.h"

ELFBOOT_CONFIG(boot_config,
	.physical_memory = ELFBOOT_SOME_DYNAMIC,
	.page_table_recursive = ELFBOOT_SOME_DYNAMIC);

static volatile uint64_t data_var = 0x1234;
static const uint64_t rodata_var = 0x5678;
static uint64_t off;
static const struct elfboot_boot_info *info;
static unsigned tables_seen;

static void check_loader_frame(uint64_t pa, const char *what)
{
	const struct elfboot_memory_region *r = ktest_region_of(info, pa);
	if (!r || r->kind != ELFBOOT_REGION_BOOTLOADER) {
		kprintf("  %s frame 0x%lx is in a region of kind %d\n", what, pa, r ? (int)r->kind : -1);
		kfail(__FILE__, __LINE__, "frame not reported as Bootloader");
	}
}

/* Every page-table frame reachable from CR3 must be Bootloader memory. */
static void walk_tables(uint64_t table, int level, unsigned skip_idx)
{
	check_loader_frame(table, "page table");
	tables_seen++;
	if (level == 1)
		return;
	const volatile uint64_t *t = (const volatile uint64_t *)(uintptr_t)(off + table);
	for (unsigned i = 0; i < 512; i++) {
		if (level == 4 && i == skip_idx)
			continue; /* the recursive entry */
		uint64_t e = t[i];
		if (!(e & PTE_P) || (e & PTE_PS))
			continue;
		walk_tables(e & PTE_ADDR, level - 1, skip_idx);
	}
}

static uint64_t flags_of(uint64_t va)
{
	uint64_t pa, fl;
	if (!ktest_translate(off, va, &pa, &fl)) {
		kprintf("  0x%lx is not mapped\n", va);
		kfail(__FILE__, __LINE__, "translate");
	}
	return fl;
}

void kmain(struct elfboot_boot_info *bi);
void kmain(struct elfboot_boot_info *bi)
{
	ktest_init();
	kputs("ktest: k_physmem\n");
	ktest_common_checks(bi);
	info = bi;
	CHECK_EQ(bi->physical_memory_offset.tag, ELFBOOT_SOME_TAG);
	off = bi->physical_memory_offset.value;
	CHECK_EQ(off % (1ull << 39), 0);
	CHECK(off != 0);

	/* RSDP signature and the kernel file, read through the offset. */
	CHECK(memcmp((const void *)(uintptr_t)(off + bi->rsdp_addr.value), "RSD PTR ", 8) == 0);
	CHECK(memcmp((const void *)(uintptr_t)(off + bi->kernel_addr), "\177ELF", 4) == 0);

	/* Permissions from the segment flags. */
	uint64_t fl = flags_of((uint64_t)(uintptr_t)&kmain);
	CHECK(!(fl & PTE_W));
	CHECK(!(fl & PTE_NX));
	fl = flags_of((uint64_t)(uintptr_t)&data_var);
	CHECK(fl & PTE_W);
	CHECK(fl & PTE_NX);
	fl = flags_of((uint64_t)(uintptr_t)&rodata_var);
	CHECK(!(fl & PTE_W));
	CHECK(fl & PTE_NX);
	fl = flags_of(bi->kernel_stack_bottom);
	CHECK((fl & PTE_W) && (fl & PTE_NX));
	fl = flags_of((uint64_t)(uintptr_t)bi);
	CHECK((fl & PTE_W) && (fl & PTE_NX));
	uint64_t pa;
	CHECK(!ktest_translate(off, bi->kernel_stack_bottom - 4096, &pa, &fl)); /* guard */

	/* Loaded frames are Bootloader memory. */
	CHECK(ktest_translate(off, (uint64_t)(uintptr_t)&kmain, &pa, &fl));
	check_loader_frame(pa, "kernel text");
	CHECK(ktest_translate(off, (uint64_t)(uintptr_t)&data_var, &pa, &fl));
	check_loader_frame(pa, "kernel data");
	CHECK_EQ(*(volatile uint64_t *)(uintptr_t)(off + pa), 0x1234);
	CHECK(ktest_translate(off, bi->kernel_stack_bottom, &pa, &fl));
	check_loader_frame(pa, "stack");
	CHECK(ktest_translate(off, (uint64_t)(uintptr_t)bi, &pa, &fl));
	check_loader_frame(pa, "boot info");

	/* The physical map uses huge pages and reaches the top of RAM. */
	CHECK(ktest_translate(off, off, &pa, &fl));
	CHECK_EQ(pa, 0);
	CHECK(fl & PTE_PS);
	const struct elfboot_memory_region *r = elfboot_regions(bi);
	uint64_t top_usable = 0;
	for (uint64_t i = 0; i < bi->memory_regions_len; i++)
		if (r[i].kind == ELFBOOT_REGION_USABLE)
			top_usable = r[i].end;
	volatile uint64_t *probe = (volatile uint64_t *)(uintptr_t)(off + top_usable - 8);
	*probe = 0xdeadbeefcafef00dull;
	CHECK_EQ(*probe, 0xdeadbeefcafef00dull);

	/* Recursive entry: L4[idx] points at L4 itself; the table read through
	 * the recursive address equals the one read through the offset. */
	CHECK_EQ(bi->recursive_index.tag, ELFBOOT_SOME_TAG);
	uint64_t idx = bi->recursive_index.value, cr3 = read_cr3() & PTE_ADDR;
	CHECK(idx > 0 && idx < 512);
	uint64_t rva = idx << 39 | idx << 30 | idx << 21 | idx << 12;
	if (idx >= 256)
		rva |= 0xffff000000000000ull;
	const volatile uint64_t *via_rec = (const volatile uint64_t *)(uintptr_t)rva;
	const volatile uint64_t *via_off = (const volatile uint64_t *)(uintptr_t)(off + cr3);
	CHECK_EQ(via_rec[idx] & PTE_ADDR, cr3);
	for (int i = 0; i < 512; i++)
		CHECK_EQ(via_rec[i], via_off[i]);

	/* Editing through the recursive entry: point data_var's page-table
	 * entry at rodata_var's frame, flush, read, and put it back. */
	uint64_t dva = (uint64_t)(uintptr_t)&data_var, rpa;
	CHECK(ktest_translate(off, (uint64_t)(uintptr_t)&rodata_var, &rpa, &fl));
	uint64_t pte_va = idx << 39 | ((dva >> 39) & 511) << 30 | ((dva >> 30) & 511) << 21 |
			  ((dva >> 21) & 511) << 12 | ((dva >> 12) & 511) << 3;
	if (idx >= 256)
		pte_va |= 0xffff000000000000ull;
	volatile uint64_t *pte = (volatile uint64_t *)(uintptr_t)pte_va;
	uint64_t dpa;
	CHECK(ktest_translate(off, dva, &dpa, &fl));
	CHECK_EQ(*pte & PTE_ADDR, dpa & PTE_ADDR); /* the walk and the recursive view agree */
	uint64_t saved = *pte;
	*pte = (saved & ~PTE_ADDR) | (rpa & PTE_ADDR);
	__asm__ volatile("invlpg (%0)" : : "r"(dva) : "memory");
	uint64_t alias = *(volatile uint64_t *)(uintptr_t)((dva & ~0xfffull) | (rpa & 0xfff));
	*pte = saved;
	__asm__ volatile("invlpg (%0)" : : "r"(dva) : "memory");
	CHECK_EQ(alias, 0x5678);
	CHECK_EQ(data_var, 0x1234);

	walk_tables(cr3, 4, (unsigned)idx);
	kprintf("ktest: %u page tables, all in Bootloader memory\n", tables_seen);
	kexit(1);
}
