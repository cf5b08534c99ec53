/* SPDX-License-Identifier: MIT */
/*
 * fuzz_load.c - the whole load on arbitrary kernel files: kernel_check, then
 * load_prepare + load_finish (common/load.c and everything under it) on the
 * simulated machine `elfboot config check` uses (config-tool/sim.c: RAM at
 * fixed host addresses that ASan leaves free, sized by the load, only the
 * touched pages resident and given back after each run).
 *
 * The input is the kernel file.  Its last byte (trailing bytes are legal in
 * an ELF file, and kernel_len is all it changes) varies the machine: bit 0
 * no framebuffer, bit 1 a ramdisk, bit 2 a 64 MiB machine instead of 4 GiB,
 * bits 3-7 the ASLR seed.  The machine is never sized by the load: a 1 TiB
 * stack (legal) would cost 2 GiB of page tables per run; here a load that
 * needs more than the machine fails with the loader's own out-of-memory
 * error, a path worth fuzzing too.  What a kernel would be handed is checked
 * for every successful load: the memory map sorted and disjoint, the
 * kernel file and the loader's frames never Usable, entry and stack where
 * they belong.  The same input loads the same way twice (the simulated
 * RAM really is clean between runs).
 */
#include <string.h>

#include "core.h"
#include "fuzz.h"
#include "sim.h"

static const struct elfboot_memory_region *region_of(const struct sim_result *s, uint64_t pa)
{
	for (uint32_t i = 0; i < s->nregions; i++)
		if (s->regions[i].start <= pa && pa < s->regions[i].end)
			return &s->regions[i];
	return NULL;
}

static void check_loaded(const struct sim_result *s, uint64_t size)
{
	const struct elfboot_boot_info *bi = &s->bi;
	FUZZ_CHECK(s->nregions > 0 && bi->memory_regions_len == s->nregions,
		   "%u regions copied of %lu", s->nregions, (unsigned long)bi->memory_regions_len);
	for (uint32_t i = 0; i < s->nregions; i++) {
		const struct elfboot_memory_region *r = &s->regions[i];
		FUZZ_CHECK(r->start < r->end, "region %u empty", i);
		FUZZ_CHECK(!(r->start & 4095) && !(r->end & 4095), "region %u not page aligned", i);
		if (i)
			FUZZ_CHECK(s->regions[i - 1].end <= r->start, "regions %u, %u overlap", i - 1, i);
	}
	FUZZ_CHECK(bi->kernel_len == size, "kernel_len %lu", (unsigned long)bi->kernel_len);
	/* The kernel file, the page tables and the hand-off page stay reserved. */
	const uint64_t keep[3] = { bi->kernel_addr, s->cr3, s->trampoline };
	for (int i = 0; i < 3; i++) {
		const struct elfboot_memory_region *r = region_of(s, keep[i]);
		FUZZ_CHECK(r && r->kind == ELFBOOT_REGION_BOOTLOADER,
			   "loader page 0x%lx is not Bootloader memory", (unsigned long)keep[i]);
	}
	if (bi->kernel_len > 1) {
		const struct elfboot_memory_region *r = region_of(s, bi->kernel_addr + size - 1);
		FUZZ_CHECK(r && r->kind == ELFBOOT_REGION_BOOTLOADER, "kernel file tail not reserved");
	}
	FUZZ_CHECK(s->image_lo < s->image_hi && s->entry >= s->image_lo && s->entry < s->image_hi,
		   "entry 0x%lx outside the image 0x%lx-0x%lx", (unsigned long)s->entry,
		   (unsigned long)s->image_lo, (unsigned long)s->image_hi);
	FUZZ_CHECK(eb_canonical(s->entry) && eb_canonical(s->stack_top - 1) &&
			   eb_canonical(s->boot_info_va), "non-canonical address handed over");
	FUZZ_CHECK(!(s->stack_top & 15) && s->stack_top > bi->kernel_stack_bottom &&
			   s->stack_top - bi->kernel_stack_bottom <= bi->kernel_stack_len,
		   "stack top 0x%lx, stack 0x%lx+0x%lx", (unsigned long)s->stack_top,
		   (unsigned long)bi->kernel_stack_bottom, (unsigned long)bi->kernel_stack_len);
	FUZZ_CHECK(!(s->cr3 & 4095) && !(s->trampoline & 4095), "cr3/trampoline not aligned");
}

static int same_result(const struct sim_result *a, const struct sim_result *b)
{
	return a->entry == b->entry && a->stack_top == b->stack_top &&
	       a->boot_info_va == b->boot_info_va && a->cr3 == b->cr3 &&
	       a->trampoline == b->trampoline && a->tables == b->tables &&
	       a->nregions == b->nregions &&
	       memcmp(&a->bi, &b->bi, sizeof a->bi) == 0 &&
	       memcmp(a->regions, b->regions, a->nregions * sizeof a->regions[0]) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sim_result res, again;
	if (size == 0)
		return 0;
	uint8_t m = data[size - 1];
	struct sim_opts o = { 0 };
	o.no_framebuffer = m & 1;
	o.ramdisk_size = (m & 2) ? (1u << 20) + 123 : 0;
	o.ram_size = (m & 4) ? 64ull << 20 : 4ull << 30;
	o.seed = 1 + (m >> 3);
	int rc = sim_load(data, size, &o, &res);
	FUZZ_CHECK(rc != SIM_HOST_FAIL, "host: %s", res.error);
	if (rc == SIM_BOOT_FAIL)
		FUZZ_CHECK(res.error[0], "boot failure without a message");
	if (rc != SIM_OK)
		return 0;
	check_loaded(&res, size);
	FUZZ_CHECK(sim_load(data, size, &o, &again) == SIM_OK && same_result(&res, &again),
		   "the same kernel loads differently the second time");
	return 0;
}
