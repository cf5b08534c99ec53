/* SPDX-License-Identifier: MIT */
/*
 * test_load.c - the whole platform-independent loader (load_kernel) over
 * host memory: a synthetic firmware map around an arena, synthetic kernels,
 * then every table walked and every BootInfo field checked.
 */
#include "t.h"
#include "arena.h"
#include "elfgen.h"

#define KFILE (ARENA_BASE + 0x10000)   /* where "firmware" put the kernel file */
#define FB (ARENA_BASE + (48ull << 20)) /* a fake framebuffer */

static struct mem_region map[64];
static struct load_input in;
static struct load_result r;
static struct gen g;
static uint8_t cfgbytes[133];

static void setup(const struct eb_config *c, int pie)
{
	uint8_t *a = arena_get();
	memset(a, 0x5a, ARENA_SIZE); /* dirty RAM: .bss must still come out zero */
	config_serialize(c, cfgbytes);
	if (pie)
		gen_pie(&g, cfgbytes);
	else
		gen_static(&g, cfgbytes);
	uint64_t n = gen_build(&g, a + (KFILE - ARENA_BASE), 0x40000);
	memset(&in, 0, sizeof in);
	in.kernel.addr = KFILE;
	in.kernel.size = n;
	uint32_t k = 0;
	map[k++] = (struct mem_region){ 0, 0x9f000, MEM_FREE, 7 };
	map[k++] = (struct mem_region){ 0x9f000, 0x100000, MEM_FIRMWARE, 0 };
	map[k++] = (struct mem_region){ ARENA_BASE, ARENA_BASE + (40ull << 20), MEM_FREE, 7 };
	map[k++] = (struct mem_region){ KFILE, KFILE + 0x40000, MEM_BUSY, 2 };
	map[k++] = (struct mem_region){ ARENA_BASE + (40ull << 20), ARENA_BASE + (48ull << 20), MEM_FIRMWARE, 9 };
	in.map = map;
	in.map_count = k;
	in.map_cap = 64;
	in.fw = FIRMWARE_UEFI;
	in.alloc_max = ~0ull;
	in.has_1g = 1;
	in.seed = 42;
	in.rsdp = 0xe0000;
	in.has_fb = 1;
	in.fb = (struct plat_framebuffer){ FB, 1024 * 768 * 4, 1024, 768, 1024, 4, ELFBOOT_PIXEL_BGR, 0, 0, 0 };
}

static uint64_t pa_of(uint64_t va, uint64_t *flags)
{
	uint64_t pa, fl;
	if (vmm_translate(&r.vmm, va, &pa, &fl) != EB_OK) {
		fprintf(stderr, "  0x%lx not mapped\n", (unsigned long)va);
		t_case_failed = 1;
		return 0;
	}
	if (flags)
		*flags = fl;
	return pa;
}

static uint8_t byte_at(uint64_t va)
{
	uint64_t pa = pa_of(va, 0);
	return pa ? *(uint8_t *)(uintptr_t)pa : 0xee;
}

static const struct elfboot_memory_region *region_of(uint64_t pa)
{
	const struct elfboot_boot_info *bi = r.boot_info;
	const struct elfboot_memory_region *reg =
		(const struct elfboot_memory_region *)((const uint8_t *)bi + sizeof *bi);
	for (uint64_t i = 0; i < bi->memory_regions_len; i++)
		if (pa >= reg[i].start && pa < reg[i].end)
			return &reg[i];
	return NULL;
}

/* Checks every load must satisfy. */
static void common_checks(void)
{
	const struct elfboot_boot_info *bi = r.boot_info;
	uint64_t fl;
	T_EQ(bi->api_version.minor, 11);
	T_EQ(pa_of(r.boot_info_va, 0), (uint64_t)(uintptr_t)bi);
	T_EQ(bi->memory_regions, r.boot_info_va + 232);
	T_EQ(bi->kernel_addr, KFILE);
	T_EQ(bi->kernel_len, in.kernel.size);
	T_EQ(bi->rsdp_addr.tag, ELFBOOT_SOME_TAG);
	T_EQ(bi->rsdp_addr.value, 0xe0000);
	/* Regions: sorted, disjoint; loader frames and the kernel file are
	 * Bootloader; firmware types kept; below 1 MiB untouched. */
	const struct elfboot_memory_region *reg =
		(const struct elfboot_memory_region *)((const uint8_t *)bi + sizeof *bi);
	for (uint64_t i = 1; i < bi->memory_regions_len; i++)
		T_CHECK(reg[i - 1].end <= reg[i].start);
	T_EQ(reg[0].kind, ELFBOOT_REGION_USABLE);
	T_EQ(reg[0].end, 0x9f000);
	T_EQ(reg[1].kind, ELFBOOT_REGION_UNKNOWN_UEFI);
	T_EQ(region_of(KFILE)->kind, ELFBOOT_REGION_BOOTLOADER);
	T_EQ(region_of(ARENA_BASE + (41ull << 20))->value, 9);
	for (uint32_t i = 0; i < r.fa.nrec; i++) {
		const struct elfboot_memory_region *x = region_of(r.fa.rec[i].start);
		T_CHECK(x && x->kind == ELFBOOT_REGION_BOOTLOADER && x->end >= r.fa.rec[i].end);
	}
	T_EQ(region_of(r.cr3)->kind, ELFBOOT_REGION_BOOTLOADER);
	/* Stack: guard page unmapped, stack writable+NX, top 16-aligned. */
	T_EQ(vmm_translate(&r.vmm, bi->kernel_stack_bottom - 4096, &fl, &fl), EB_NOTFOUND);
	pa_of(bi->kernel_stack_bottom, &fl);
	T_CHECK((fl & PTE_W) && (fl & PTE_NX));
	pa_of(r.stack_top - 8, &fl);
	T_EQ(r.stack_top % 16, 0);
	T_EQ(r.stack_top, bi->kernel_stack_bottom + bi->kernel_stack_len);
	T_EQ(region_of(pa_of(bi->kernel_stack_bottom, 0))->kind, ELFBOOT_REGION_BOOTLOADER);
	/* Hand-off page: identity, executable, read-only, outside the kernel. */
	T_EQ(pa_of(r.trampoline, &fl), r.trampoline);
	T_CHECK(!(fl & PTE_NX) && !(fl & PTE_W));
	/* Framebuffer. */
	T_EQ(bi->framebuffer.tag, ELFBOOT_SOME_TAG);
	T_EQ(pa_of(bi->framebuffer.buffer_start + 4096 * 10, &fl), FB + 4096 * 10);
	T_CHECK((fl & PTE_W) && (fl & PTE_NX));
	T_EQ(bi->framebuffer.info.width, 1024);
	T_EQ(bi->framebuffer.info.pixel_format.tag, ELFBOOT_PIXEL_BGR);
}

static void static_kernel(void)
{
	struct eb_config c;
	config_default(&c);
	setup(&c, 0);
	T_OK(load_kernel(&in, &r));
	if (t_case_failed)
		return;
	common_checks();
	const struct elfboot_boot_info *bi = r.boot_info;
	uint64_t fl;
	T_EQ(r.entry, 0xffffffff80000010ull);
	T_EQ(bi->kernel_image_offset, 0);
	T_EQ(bi->kernel_stack_len, 0x14000);
	T_EQ(byte_at(0xffffffff80000000ull), 0x90);
	T_EQ(byte_at(0xffffffff800017ffull), 0x90);
	T_EQ(byte_at(0xffffffff80001800ull), 0); /* tail of the text page */
	pa_of(0xffffffff80000000ull, &fl);
	T_CHECK(!(fl & PTE_W) && !(fl & PTE_NX));
	T_EQ(byte_at(0xffffffff800020ffull), 0xab);
	T_EQ(byte_at(0xffffffff80002100ull), 0); /* .bss is zero on dirty RAM */
	T_EQ(byte_at(0xffffffff80004fffull), 0);
	pa_of(0xffffffff80002000ull, &fl);
	T_CHECK((fl & PTE_W) && (fl & PTE_NX));
	T_EQ(region_of(pa_of(0xffffffff80002000ull, 0))->kind, ELFBOOT_REGION_BOOTLOADER);
	T_EQ(bi->physical_memory_offset.tag, ELFBOOT_NONE_TAG);
	T_EQ(bi->recursive_index.tag, ELFBOOT_NONE_TAG);
	T_EQ(bi->tls_template.tag, ELFBOOT_NONE_TAG);
	T_CHECK(r.boot_info_va >= (1ull << 39)); /* a Dynamic slot, not slot 0 */
}

static void pie_kernel(void)
{
	struct eb_config c;
	config_default(&c);
	c.has_physical_memory = 1;
	c.has_recursive = 1;
	c.physical_memory = (struct eb_mapping){ 1, 0xffff800000000000ull };
	setup(&c, 1);
	T_OK(load_kernel(&in, &r));
	if (t_case_failed)
		return;
	common_checks();
	const struct elfboot_boot_info *bi = r.boot_info;
	uint64_t off = bi->kernel_image_offset, v = 0;
	T_CHECK(off != 0 && (off + 0x1000) % (1ull << 39) == 0); /* image starts a slot */
	T_EQ(r.entry, off + 0x1000);
	memcpy(&v, (void *)(uintptr_t)pa_of(off + 0x3000, 0), 8);
	T_EQ(v, off + 0x1000);
	memcpy(&v, (void *)(uintptr_t)pa_of(off + 0x3008, 0), 8);
	T_EQ(v, off + 0x3010);
	/* Physical memory map at the fixed offset, huge pages, reaches RAM. */
	T_EQ(bi->physical_memory_offset.value, 0xffff800000000000ull);
	uint64_t fl;
	T_EQ(pa_of(0xffff800000000000ull + ARENA_BASE + 0x1234, &fl), ARENA_BASE + 0x1234);
	T_CHECK((fl & PTE_PS) && (fl & PTE_W) && (fl & PTE_NX));
	/* Recursive entry. */
	T_EQ(bi->recursive_index.tag, ELFBOOT_SOME_TAG);
	uint64_t *pml4 = (uint64_t *)(uintptr_t)r.cr3;
	T_EQ(pml4[bi->recursive_index.value] & PTE_ADDR, r.cr3);
	T_CHECK(bi->recursive_index.value != 0 && bi->recursive_index.value != 256);
}

static void fixed_base_and_aslr(void)
{
	struct eb_config c;
	config_default(&c);
	c.kernel_base = (struct eb_mapping){ 1, 0x200000000000ull };
	setup(&c, 1);
	T_OK(load_kernel(&in, &r));
	T_EQ(r.boot_info->kernel_image_offset, 0x200000000000ull);
	T_EQ(r.entry, 0x200000001000ull);
	/* ASLR: the same kernel lands elsewhere with another seed. */
	config_default(&c);
	c.aslr = 1;
	int moved = 0;
	uint64_t first = 0;
	for (uint64_t s = 1; s < 8; s++) {
		setup(&c, 1);
		in.seed = s * 0x9e3779b97f4a7c15ull;
		T_OK(load_kernel(&in, &r));
		if (!first)
			first = r.boot_info->kernel_image_offset;
		else if (first != r.boot_info->kernel_image_offset)
			moved = 1;
	}
	T_CHECK(moved);
}

/* A non-PIE kernel linked right where the loader's frames are: the hand-off
 * page must be placed where the kernel maps nothing (rb #331). */
static void trampoline_avoids_kernel(void)
{
	struct eb_config c;
	config_default(&c);
	setup(&c, 0);
	g.seg[0].vaddr = ARENA_BASE;
	g.seg[0].memsz = g.seg[0].filesz = 0x400000;
	g.seg[1].vaddr = ARENA_BASE + 0x400000;
	g.entry = ARENA_BASE + 0x10;
	uint64_t n = gen_build(&g, arena_get() + (KFILE - ARENA_BASE), 0x800000);
	in.kernel.size = n;
	map[3].end = KFILE + 0x800000;
	T_OK(load_kernel(&in, &r));
	T_CHECK(r.trampoline >= ARENA_BASE + 0x405000 || r.trampoline < ARENA_BASE);
	uint64_t fl;
	T_EQ(pa_of(r.trampoline, &fl), r.trampoline);
}

/* UEFI's way: frames only from a pool reserved before leaving the firmware,
 * then the final map (different from the first) goes into BootInfo. */
static void pool_then_final_map(void)
{
	struct eb_config c;
	config_default(&c);
	c.has_physical_memory = 1;
	setup(&c, 1);
	struct elf_image img;
	struct eb_config cc;
	T_OK(kernel_check((const void *)(uintptr_t)in.kernel.addr, in.kernel.size, &img, &cc));
	uint64_t need = load_estimate(&in, &img, &cc);
	T_CHECK(need >= 0x14000 + 0x3000 && need < (8ull << 20));
	in.pool_addr = ARENA_BASE + (32ull << 20);
	in.pool_size = need;
	T_OK(load_prepare(&in, &img, &cc, &r));
	for (uint32_t i = 0; i < r.fa.nrec; i++)
		T_CHECK(r.fa.rec[i].start >= in.pool_addr && r.fa.rec[i].end <= in.pool_addr + need);
	/* The "final" map: firmware boot memory is free now. */
	map[0] = (struct mem_region){ 0, 0x9f000, MEM_FREE, 7 };
	map[1] = (struct mem_region){ 0x9f000, 0x100000, MEM_FIRMWARE, 0 };
	map[2] = (struct mem_region){ ARENA_BASE, ARENA_BASE + (40ull << 20), MEM_BUSY, 4 };
	map[3] = (struct mem_region){ ARENA_BASE + (40ull << 20), ARENA_BASE + (48ull << 20), MEM_FIRMWARE, 9 };
	in.map_count = 4;
	T_OK(load_finish(&in, &r));
	common_checks();
	T_EQ(region_of(in.pool_addr)->kind, ELFBOOT_REGION_BOOTLOADER);
	T_EQ(region_of(in.pool_addr + need - 1)->kind, ELFBOOT_REGION_USABLE); /* unused tail */
	/* A pool that is too small fails in prepare, while the firmware runs. */
	setup(&c, 1);
	in.pool_addr = ARENA_BASE + (32ull << 20);
	in.pool_size = 0x8000;
	T_ERR(load_prepare(&in, &img, &cc, &r), "out of memory");
}

/* frames_zeroed: over RAM that already reads as zero the load is still
 * right, and fresh frames are really left alone (dirty RAM stays dirty in
 * .bss and the stack, which proves the clearing was skipped). */
static void frames_zeroed(void)
{
	struct eb_config c;
	config_default(&c);
	setup(&c, 0);
	/* Zero everything but the kernel file, as fresh anonymous memory is. */
	uint8_t *a = arena_get();
	memset(a, 0, KFILE - ARENA_BASE);
	memset(a + (KFILE - ARENA_BASE) + in.kernel.size, 0,
	       ARENA_SIZE - (KFILE - ARENA_BASE) - in.kernel.size);
	in.frames_zeroed = 1;
	T_OK(load_kernel(&in, &r));
	if (t_case_failed)
		return;
	common_checks();
	T_EQ(byte_at(0xffffffff800017ffull), 0x90);
	T_EQ(byte_at(0xffffffff80001800ull), 0);
	T_EQ(byte_at(0xffffffff800020ffull), 0xab);
	T_EQ(byte_at(0xffffffff80002100ull), 0);
	T_EQ(byte_at(0xffffffff80004fffull), 0);
	T_EQ(byte_at(r.stack_top - 1), 0);
	/* Dirty RAM with the flag: the loader did not clear fresh frames. */
	setup(&c, 0);
	in.frames_zeroed = 1;
	T_OK(load_kernel(&in, &r));
	T_EQ(byte_at(0xffffffff800020ffull), 0xab); /* file data still copied */
	T_EQ(byte_at(0xffffffff80004fffull), 0x5a);
	T_EQ(byte_at(r.stack_top - 1), 0x5a);
	T_EQ(r.boot_info->kernel_stack_len, 0x14000); /* boot info still cleared+filled */
	/* The boot-info page is still cleared: the slack after the regions. */
	const uint8_t *slack = (const uint8_t *)r.boot_info + sizeof *r.boot_info +
			       r.boot_info->memory_regions_len * 24;
	T_EQ(slack[0] | slack[23], 0);
}

/* Sizes and addresses near 2^64 and zero lengths: each once wrapped into a
 * zero slot count (va_take wrote past its candidate array) or a bad map. */
static void wraparound(void)
{
	struct eb_config c;
	config_default(&c);
	/* A PIE spanning nearly all of the address space (kernel_check refuses
	 * it now; the loader must too if handed one). */
	setup(&c, 1);
	struct elf_image img;
	struct eb_config cc;
	T_OK(kernel_check((const void *)(uintptr_t)in.kernel.addr, in.kernel.size, &img, &cc));
	img.vmax = 0xffffffff80002000ull; /* vmin 0x1000 */
	T_ERR(load_prepare(&in, &img, &cc, &r),
	      "kernel image of 0xffffffff80001000 bytes needs 33554432 level-4 slots");
	/* A zero-size framebuffer. */
	setup(&c, 0);
	in.fb.byte_len = 0;
	T_ERR(load_kernel(&in, &r), "framebuffer at physical 0x43000000 has length 0");
	/* A framebuffer whose end rounds up past 2^64. */
	setup(&c, 0);
	in.fb.phys = 0xffffffffffffe000ull;
	in.fb.byte_len = 0x1800;
	T_ERR(load_kernel(&in, &r), "framebuffer at physical 0xffffffffffffe000 + 0x1800 lies "
				    "beyond the 52-bit physical address space");
	/* A firmware map entry ending near 2^64: the physical-memory map's top
	 * once rounded up to 0. */
	c.has_physical_memory = 1;
	setup(&c, 0);
	map[in.map_count++] = (struct mem_region){ 0xfffffff000000000ull, 0xfffffffffffff000ull,
						   MEM_FIRMWARE, 2 };
	T_ERR(load_kernel(&in, &r), "memory map reaches 0xfffffffffffff000, beyond");
	/* A ramdisk of a fixed address whose end wraps. */
	config_default(&c);
	c.ramdisk_memory = (struct eb_mapping){ 1, 0xfffffffffffff000ull };
	setup(&c, 0);
	in.ramdisk.addr = ARENA_BASE + (36ull << 20);
	in.ramdisk.size = 0x2000;
	T_ERR(load_kernel(&in, &r), "map: ramdisk at 0xfffffffffffff000 + 0x2000 wraps");
	/* Fixed mappings that would run past 2^64 (audited: already refused). */
	config_default(&c);
	c.has_physical_memory = 1;
	c.physical_memory = (struct eb_mapping){ 1, 0xffffffffc0000000ull };
	setup(&c, 0);
	T_ERR(load_kernel(&in, &r), "physical memory map at 0xffffffffc0000000 + 0x100000000 wraps");
	config_default(&c);
	c.kernel_stack = (struct eb_mapping){ 1, 0xfffffffffffff000ull };
	setup(&c, 0);
	T_ERR(load_kernel(&in, &r), "kernel stack at 0xfffffffffffff000 + 0x15000 wraps");
}

static void errors(void)
{
	struct eb_config c;
	config_default(&c);
	c.kernel_stack = (struct eb_mapping){ 1, 0xffffffff80001000ull };
	setup(&c, 0);
	T_ERR(load_kernel(&in, &r), "guard page at 0xffffffff80001000 is already mapped");
	config_default(&c);
	c.kernel_stack = (struct eb_mapping){ 1, 0xffffffff7ffff000ull };
	setup(&c, 0);
	T_ERR(load_kernel(&in, &r), "kernel stack at 0xffffffff80000000 overlaps an existing mapping");
	config_default(&c);
	c.kernel_stack_size = 64ull << 20; /* more than the arena has free */
	setup(&c, 0);
	T_ERR(load_kernel(&in, &r), "kernel stack of 65536 KiB: alloc: out of memory");
	config_default(&c);
	c.boot_info = (struct eb_mapping){ 1, 0xffff800000000000ull };
	c.has_recursive = 1;
	c.recursive = (struct eb_mapping){ 1, 0xffff800000000000ull };
	setup(&c, 0);
	T_ERR(load_kernel(&in, &r), "recursive index 256 (0xffff800000000000) is already in use");
	config_default(&c);
	c.has_dyn_start = c.has_dyn_end = 1;
	c.dyn_start = 0x8000000000ull;
	c.dyn_end = 0x10000000000ull - 1; /* one slot only */
	setup(&c, 0);
	T_ERR(load_kernel(&in, &r), "no 1 free level-4 slot(s)");
	/* A broken kernel never gets this far. */
	config_default(&c);
	setup(&c, 0);
	in.kernel.size = 100;
	T_ERR(load_kernel(&in, &r), "program headers at 0x40 lie outside the 100-byte file");
}

int main(void)
{
	T_RUN(static_kernel);
	T_RUN(pie_kernel);
	T_RUN(fixed_base_and_aslr);
	T_RUN(trampoline_avoids_kernel);
	T_RUN(pool_then_final_map);
	T_RUN(frames_zeroed);
	T_RUN(wraparound);
	T_RUN(errors);
	return T_END();
}
