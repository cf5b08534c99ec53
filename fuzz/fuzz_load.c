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
 * no framebuffer, bit 1 a ramdisk, bits 2-3 the RAM (256 MiB, 64 MiB, 4 GiB:
 * low RAM plus high RAM at 32 TiB, or 1022 MiB), bits 4-7 the ASLR seed.  The machine is never sized by the load: a 1 TiB
 * stack (legal) would cost 2 GiB of page tables per run, and mapping is
 * page by page; here a load that needs more than the machine fails with the
 * loader's own out-of-memory error, a path worth fuzzing too.  What a kernel would be handed is checked
 * for every successful load: the memory map sorted and disjoint, the
 * kernel file and the loader's frames never Usable, entry and stack where
 * they belong.  The same input loads the same way twice (the simulated
 * RAM really is clean between runs).
 */
#include <string.h>

#include "core.h"
#include "fuzz.h"
#include "sim.h"

FUZZ_UNTRACED static const struct elfboot_memory_region *region_of(const struct sim_result *s, uint64_t pa)
{
	for (uint32_t i = 0; i < s->nregions; i++)
		if (s->regions[i].start <= pa && pa < s->regions[i].end)
			return &s->regions[i];
	return NULL;
}

FUZZ_UNTRACED static void check_loaded(const struct sim_result *s, uint64_t size, const struct sim_opts *o)
{
	const struct elfboot_boot_info *bi = &s->bi;
	FUZZ_CHECK(s->nregions > 0 && bi->memory_regions_len == s->nregions,
		   "%u regions copied of %lu", s->nregions, (unsigned long)bi->memory_regions_len);
	for (uint32_t i = 0; i < s->nregions; i++) {
		const struct elfboot_memory_region *r = &s->regions[i];
		FUZZ_CHECK(r->start < r->end, "region %u empty", i);
		FUZZ_CHECK(r->kind <= ELFBOOT_REGION_UNKNOWN_BIOS && r->kind != ELFBOOT_REGION_UNKNOWN_UEFI,
			   "region %u kind %u on a BIOS machine", i, r->kind);
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
	/* What the machine had is what the kernel is told. */
	FUZZ_CHECK(bi->framebuffer.tag == (o->no_framebuffer ? ELFBOOT_NONE_TAG : ELFBOOT_SOME_TAG),
		   "framebuffer tag %u", bi->framebuffer.tag);
	FUZZ_CHECK(bi->ramdisk_addr.tag == (o->ramdisk_size ? ELFBOOT_SOME_TAG : ELFBOOT_NONE_TAG) &&
			   bi->ramdisk_len == o->ramdisk_size, "ramdisk tag %u, length %lu",
		   bi->ramdisk_addr.tag, (unsigned long)bi->ramdisk_len);
	FUZZ_CHECK(bi->api_version.major == ELFBOOT_API_MAJOR, "api version");
}

FUZZ_UNTRACED static int same_result(const struct sim_result *a, const struct sim_result *b)
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
	static const uint64_t ram[4] = { 256ull << 20, 64ull << 20, 4ull << 30, SIM_LOW_SIZE };
	o.ram_size = ram[(m >> 2) & 3];
	o.seed = 1 + (m >> 4);
	static int verbose = -1; /* FUZZ_VERBOSE=1: say how each load went */
	if (verbose < 0)
		verbose = getenv("FUZZ_VERBOSE") != NULL;
	int rc = sim_load(data, size, &o, &res);
	if (verbose)
		fprintf(stderr, "fuzz_load: mode 0x%02x: %s%s\n", m,
			rc == SIM_OK ? "loaded" : rc == SIM_BOOT_FAIL ? "would fail: " : "sim status ",
			res.error);
	FUZZ_CHECK(rc != SIM_HOST_FAIL, "host: %s", res.error);
	if (rc == SIM_BOOT_FAIL)
		FUZZ_CHECK(res.error[0], "boot failure without a message");
	if (rc != SIM_OK)
		return 0;
	check_loaded(&res, size, &o);
	FUZZ_CHECK(sim_load(data, size, &o, &again) == SIM_OK && same_result(&res, &again),
		   "the same kernel loads differently the second time");
	return 0;
}
