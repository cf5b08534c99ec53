/* SPDX-License-Identifier: MIT */
/*
 * test_requests.c - .elfboot-requests: the section checks of elf_parse
 * (each rule broken once), the dispatch (known id answered, unknown id and
 * too-new revision left 0, the file's slot contents overwritten), the
 * TIMESTAMPS response and where it lives, and a PIE's slot moving with the
 * load offset.  Kernels are built in memory (elfgen.h), loaded by
 * load_kernel over the arena as in test_load.c.
 */
#include "t.h"
#include "arena.h"
#include "elfgen.h"
#include "requests.h"

#define KFILE (ARENA_BASE + 0x10000)
#define REQ_UNKNOWN 0x6e1f3b0c8a2d5effull

static struct mem_region map[64];
static struct load_input in;
static struct load_result r;
static struct gen g;
static uint8_t cfgbytes[133];
static uint8_t *kfile;

/* The file offset of segment i (elfgen places them page-congruent). */
static uint64_t seg_off(int i)
{
	struct elf64_phdr ph;
	memcpy(&ph, kfile + g.phoff + 56 * (uint64_t)i, sizeof ph);
	return ph.p_offset;
}

static void put_record(uint64_t off, uint64_t magic, uint64_t id, uint32_t rev, uint64_t resp)
{
	struct elfboot_request q = { magic, id, rev, 0x55, resp };
	memcpy(kfile + off, &q, sizeof q);
}

/* A kernel whose data segment (segment 1) holds `n` records from vaddr
 * `at`: TIMESTAMPS rev 0, an unknown id, TIMESTAMPS rev 9, then more
 * TIMESTAMPS; each slot pre-filled with junk the loader must overwrite. */
static void build(int pie, const struct eb_config *c, uint64_t at_off, uint32_t n)
{
	uint8_t *a = arena_get();
	memset(a, 0x5a, ARENA_SIZE);
	config_serialize(c, cfgbytes);
	if (pie)
		gen_pie(&g, cfgbytes);
	else
		gen_static(&g, cfgbytes);
	g.seg[1].filesz = 0x800;
	g.nreq = 1;
	g.req.sh_type = 1; /* PROGBITS */
	g.req.sh_flags = SHF_ALLOC | 1;
	g.req.sh_addr = g.seg[1].vaddr + at_off;
	g.req.sh_size = 32ull * n;
	g.req.sh_addralign = 8;
	kfile = a + (KFILE - ARENA_BASE);
	uint64_t size = gen_build(&g, kfile, 0x40000);
	static const uint64_t ids[] = { ELFBOOT_REQ_TIMESTAMPS, REQ_UNKNOWN, ELFBOOT_REQ_TIMESTAMPS };
	static const uint32_t revs[] = { 0, 0, 9 };
	for (uint32_t i = 0; i < n; i++)
		put_record(seg_off(1) + at_off + 32 * i, ELFBOOT_REQUEST_MAGIC,
			   i < 3 ? ids[i] : ELFBOOT_REQ_TIMESTAMPS, i < 3 ? revs[i] : 0,
			   0xdead0000 + i);
	g.req.sh_offset = seg_off(1) + at_off;
	map[0] = (struct mem_region){ 0, 0x9f000, MEM_FREE, 7 };
	map[1] = (struct mem_region){ ARENA_BASE, ARENA_BASE + (40ull << 20), MEM_FREE, 7 };
	map[2] = (struct mem_region){ KFILE, KFILE + 0x40000, MEM_BUSY, 2 };
	/* TIMESTAMPS' inputs as a front end would have gathered them. */
	in = (struct load_input){ .kernel = { KFILE, size }, .map = map, .map_count = 3,
				  .map_cap = 64, .fw = FIRMWARE_UEFI, .alloc_max = ~0ull,
				  .has_1g = 1, .seed = 7, .tsc_entry = 1234, .tsc_hz = 2000000000,
				  .unix_seconds = 1795700000 };
}

static void build_static(uint32_t n)
{
	struct eb_config c;
	config_default(&c);
	build(0, &c, 0x40, n);
}

/* The 8 bytes at kernel virtual va, through the kernel's tables. */
static uint64_t read_va(uint64_t va)
{
	uint64_t pa, fl, v = 0xeeee;
	if (vmm_translate(&r.vmm, va, &pa, &fl) == EB_OK)
		memcpy(&v, (const void *)(uintptr_t)pa, 8);
	return v;
}

static uint64_t slot(uint32_t i)
{
	return read_va(r.bi.kernel_image_offset + g.req.sh_addr + 32 * i + 24);
}

static int check(void)
{
	struct elf_image img;
	struct eb_config c;
	return kernel_check(kfile, g.size, &img, &c);
}

static void section_found(void)
{
	build_static(3);
	struct elf_image img;
	struct eb_config c;
	T_OK(kernel_check(kfile, g.size, &img, &c));
	T_EQ(img.req_count, 3);
	T_EQ(img.req_vaddr, g.req.sh_addr);
	T_EQ(img.req_offset, seg_off(1) + 0x40);
	struct elfboot_request q;
	req_record(&img, 1, &q);
	T_EQ(q.id, REQ_UNKNOWN);
	T_EQ(q.flags, 0x55);
	T_CHECK(req_wanted(&img, ELFBOOT_REQ_TIMESTAMPS));
	T_CHECK(!req_wanted(&img, ELFBOOT_REQ_SMP));
	/* No section: no records, and the kernel is fine. */
	g.nreq = 0;
	gen_build(&g, kfile, 0x40000);
	T_OK(kernel_check(kfile, g.size, &img, &c));
	T_EQ(img.req_count, 0);
	/* An empty section: the same. */
	build_static(0);
	T_OK(kernel_check(kfile, g.size, &img, &c));
	T_EQ(img.req_count, 0);
}

/* Each rule of the section, broken once: one clear error each. */
static void section_errors(void)
{
	build_static(3);
	g.req.sh_flags = 0;
	gen_build(&g, kfile, 0x40000);
	T_ERR(check(), ".elfboot-requests: 0xffffffff80002040+0x60 flags 0x0 type 1: not SHF_ALLOC");
	build_static(3);
	g.req.sh_type = SHT_NOBITS;
	gen_build(&g, kfile, 0x40000);
	T_ERR(check(), "type 8: not SHF_ALLOC, 8-aligned");
	build_static(3);
	g.req.sh_addr += 4;
	gen_build(&g, kfile, 0x40000);
	T_ERR(check(), "0xffffffff80002044+0x60");
	build_static(3);
	g.req.sh_size = 40;
	gen_build(&g, kfile, 0x40000);
	T_ERR(check(), "<= 64 32-byte records");
	build_static(3);
	g.req.sh_size = 65 * 32;
	gen_build(&g, kfile, 0x40000);
	T_ERR(check(), "0x820 flags");
	/* In the segment's .bss part, not its file bytes. */
	build_static(3);
	g.req.sh_addr = g.seg[1].vaddr + 0x1000;
	gen_build(&g, kfile, 0x40000);
	T_ERR(check(), ".elfboot-requests at 0xffffffff80003000 (+0x60) is not inside a "
		       "file-backed PT_LOAD");
	/* Outside every segment. */
	build_static(3);
	g.req.sh_addr = 0xffffffff90000000ull;
	gen_build(&g, kfile, 0x40000);
	T_ERR(check(), "is not inside a file-backed PT_LOAD");
	/* A record with a bad magic: named by index, address and value. */
	build_static(3);
	put_record(seg_off(1) + 0x40 + 64, 0x1122334455667788ull, ELFBOOT_REQ_TIMESTAMPS, 0, 0);
	T_ERR(check(), ".elfboot-requests: record 2 at 0xffffffff80002080 has magic "
		       "0x1122334455667788, not 0x5351455242464c45");
	/* Two sections of that name. */
	build_static(3);
	g.nreq = 2;
	gen_build(&g, kfile, 0x40000);
	T_ERR(check(), "two .elfboot-requests sections");
}

static void dispatch_rules(void)
{
	struct req_handler h = { 0 };
	T_EQ(req_handler_for(ELFBOOT_REQ_TIMESTAMPS, 0, &h), 1);
	T_EQ(h.id, ELFBOOT_REQ_TIMESTAMPS);
	T_CHECK(h.size && h.prepare && h.finish);
	memset(&h, 0, sizeof h);
	T_EQ(req_handler_for(ELFBOOT_REQ_TIMESTAMPS, h.max_revision + 1, &h), 0);
	T_EQ(h.id, ELFBOOT_REQ_TIMESTAMPS); /* known, but too new */
	memset(&h, 0, sizeof h);
	T_EQ(req_handler_for(REQ_UNKNOWN, 0, &h), 0);
	T_EQ(h.id, 0);
	T_CHECK(!strcmp(req_name(ELFBOOT_REQ_SMP), "SMP"));
	T_CHECK(req_name(REQ_UNKNOWN) == NULL);
	/* The pool estimate covers the answered records only, 16-aligned. */
	build_static(3);
	struct elf_image img;
	struct eb_config c;
	T_OK(kernel_check(kfile, g.size, &img, &c));
	T_EQ(req_estimate(&in, &img), 48);
	build_static(5); /* three answered TIMESTAMPS */
	T_OK(kernel_check(kfile, g.size, &img, &c));
	T_EQ(req_estimate(&in, &img), 3 * 48);
}

static void timestamps_answered(void)
{
	build_static(5);
	T_OK(load_kernel(&in, &r));
	if (t_case_failed)
		return;
	const struct elfboot_boot_info *bi = r.boot_info;
	uint64_t resp = slot(0);
	T_EQ(slot(1), 0); /* unknown id: the file's junk cleared */
	T_EQ(slot(2), 0); /* revision 9: newer than this loader */
	T_CHECK(slot(3) && slot(4) && slot(3) != resp && slot(4) != slot(3));
	/* After BootInfo's regions, in the same mapping, 16-aligned. */
	T_EQ(resp, r.req_va);
	T_EQ(resp % 16, 0);
	T_CHECK(resp >= r.boot_info_va + sizeof *bi + bi->memory_regions_len * 24);
	T_EQ(r.req_used, 3 * 48);
	uint64_t pa, fl;
	T_OK(vmm_translate(&r.vmm, resp, &pa, &fl));
	T_CHECK(fl & PTE_NX);
	const struct elfboot_memory_region *reg =
		(const struct elfboot_memory_region *)((const uint8_t *)bi + sizeof *bi);
	int inside = 0;
	for (uint64_t i = 0; i < bi->memory_regions_len; i++)
		if (pa >= reg[i].start && pa + 48 <= reg[i].end)
			inside = reg[i].kind == ELFBOOT_REGION_BOOTLOADER;
	T_CHECK(inside);
	struct elfboot_timestamps_response t;
	memcpy(&t, (const void *)(uintptr_t)pa, sizeof t);
	T_EQ(t.revision, 0);
	T_EQ(t.tsc_loader_entry, 1234);
	T_CHECK(t.tsc_kernel_loaded > 1234 && t.tsc_kernel_loaded <= t.tsc_jump);
	T_EQ(t.tsc_hz, 2000000000);
	T_EQ(t.unix_seconds, 1795700000);
}

/* A PIE at a fixed base: the slot written is the one at base + vaddr. */
static void pie_slot_moves(void)
{
	struct eb_config c;
	config_default(&c);
	c.kernel_base.fixed = 1;
	c.kernel_base.addr = 0xffff900000000000ull;
	build(1, &c, 0x100, 3);
	T_OK(load_kernel(&in, &r));
	if (t_case_failed)
		return;
	T_EQ(r.bi.kernel_image_offset, 0xffff900000000000ull);
	T_EQ(slot(0), r.req_va);
	T_CHECK(slot(0) != 0);
	T_EQ(slot(1), 0);
	/* Nothing was written at the unrelocated address. */
	uint64_t pa, fl;
	T_EQ(vmm_translate(&r.vmm, g.req.sh_addr + 24, &pa, &fl), EB_NOTFOUND);
}

/* eb_unix_time against known dates, and its refusals. */
static void unix_time(void)
{
	T_EQ(eb_unix_time(1970, 1, 1, 0, 0, 0), 0);
	T_EQ(eb_unix_time(2000, 2, 29, 12, 0, 0), 951825600);
	T_EQ(eb_unix_time(2026, 11, 26, 14, 0, 0), 1795701600);
	T_EQ(eb_unix_time(2100, 3, 1, 0, 0, 0), 4107542400ll);
	T_EQ(eb_unix_time(1969, 12, 31, 23, 59, 59), -1);
	T_EQ(eb_unix_time(2026, 13, 1, 0, 0, 0), -1);
	T_EQ(eb_unix_time(2026, 0, 1, 0, 0, 0), -1);
	T_EQ(eb_unix_time(2026, 1, 0, 0, 0, 0), -1);
	T_EQ(eb_unix_time(2026, 1, 1, 24, 0, 0), -1);
}

int main(void)
{
	T_RUN(section_found);
	T_RUN(section_errors);
	T_RUN(dispatch_rules);
	T_RUN(timestamps_answered);
	T_RUN(pie_slot_moves);
	T_RUN(unix_time);
	return T_END();
}
