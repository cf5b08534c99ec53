/* SPDX-License-Identifier: MIT */
/* test_memmap.c - normalisation, marking and export of the memory map. */
#include "t.h"

#define R(s, e, k, t) ((struct mem_region){ (s), (e), (k), (t) })

static void sorts_and_merges(void)
{
	struct mem_region m[16] = {
		R(0x200000, 0x300000, MEM_FREE, 7),
		R(0x0, 0x9f000, MEM_FREE, 7),
		R(0x100000, 0x200000, MEM_FREE, 7),
		R(0x9f000, 0xa0000, MEM_FIRMWARE, 2),
		R(0x500000, 0x500000, MEM_FREE, 7), /* empty: dropped */
	};
	uint32_t n = 5;
	T_OK(memmap_normalize(m, &n, 16));
	T_EQ(n, 3);
	T_EQ(m[0].start, 0);
	T_EQ(m[0].end, 0x9f000);
	T_EQ(m[1].kind, MEM_FIRMWARE);
	T_EQ(m[1].fw_type, 2);
	T_EQ(m[2].start, 0x100000); /* the hole 0xa0000-0x100000 stays a hole */
	T_EQ(m[2].end, 0x300000);
	T_EQ(m[2].fw_type, 0);
}

static void overlaps_restrictive_wins(void)
{
	/* E820 style: a reserved range inside a usable one, and two firmware
	 * types overlapping. */
	struct mem_region m[16] = {
		R(0x100000, 0x1000000, MEM_FREE, 1),
		R(0x400000, 0x500000, MEM_FIRMWARE, 2),
		R(0x480000, 0x600000, MEM_FIRMWARE, 3),
		R(0x800000, 0x900000, MEM_BUSY, 0),
	};
	uint32_t n = 4;
	T_OK(memmap_normalize(m, &n, 16));
	T_EQ(n, 6);
	T_EQ(m[1].start, 0x400000);
	T_EQ(m[1].end, 0x480000);
	T_EQ(m[1].fw_type, 2);
	T_EQ(m[2].start, 0x480000);
	T_EQ(m[2].end, 0x600000);
	T_EQ(m[2].fw_type, 3);
	T_EQ(m[4].kind, MEM_BUSY);
	for (uint32_t i = 1; i < n; i++)
		T_CHECK(m[i - 1].end <= m[i].start);
}

/* Firmware codes near 2^32 once ranked as 3 + code, which wrapped below
 * FREE: the reserved ranges came out usable. */
static void huge_fw_types_win(void)
{
	struct mem_region m[12] = {
		R(0x100000, 0x1000000, MEM_FREE, 7),
		R(0x200000, 0x300000, MEM_FIRMWARE, 0xffffffffu),
		R(0x400000, 0x500000, MEM_FIRMWARE, 0xfffffffdu),
		R(0x480000, 0x580000, MEM_FIRMWARE, 0xfffffffeu),
		R(0x800000, 0x900000, MEM_BOOTLOADER, 0),
		R(0x880000, 0x980000, MEM_FIRMWARE, 0xffffffffu),
	};
	uint32_t n = 6;
	T_OK(memmap_normalize(m, &n, 12));
	T_EQ(n, 9);
	T_EQ(m[1].start, 0x200000);
	T_EQ(m[1].kind, MEM_FIRMWARE);
	T_EQ(m[1].fw_type, 0xffffffffu);
	T_EQ(m[3].start, 0x400000);
	T_EQ(m[3].end, 0x480000);
	T_EQ(m[3].fw_type, 0xfffffffdu);
	T_EQ(m[4].end, 0x580000);
	T_EQ(m[4].fw_type, 0xfffffffeu); /* the higher code wins the overlap */
	T_EQ(m[6].kind, MEM_BOOTLOADER);
	T_EQ(m[6].end, 0x880000);
	T_EQ(m[7].kind, MEM_FIRMWARE);
	T_EQ(m[7].end, 0x980000);
	struct elfboot_memory_region out[16];
	int k = memmap_export(m, n, FIRMWARE_UEFI, out, 16);
	for (int i = 0; i < k; i++)
		if (out[i].kind == ELFBOOT_REGION_USABLE)
			T_CHECK(out[i].end <= 0x200000 || (out[i].start >= 0x300000 &&
							     out[i].end <= 0x400000) ||
				(out[i].start >= 0x580000 && out[i].end <= 0x800000) ||
				out[i].start >= 0x980000);
}

static void mark_and_capacity(void)
{
	struct mem_region m[4] = { R(0x100000, 0x1000000, MEM_FREE, 7) };
	uint32_t n = 1;
	struct mem_region b1 = R(0x200000, 0x300000, MEM_BOOTLOADER, 0);
	struct mem_region b2 = R(0x400000, 0x500000, MEM_BOOTLOADER, 0);
	T_OK(memmap_add(m, &n, 4, &b1, 1));
	T_EQ(n, 3);
	T_EQ(m[1].kind, MEM_BOOTLOADER);
	T_ERR(memmap_add(m, &n, 4, &b2, 1), "room for 4");
	/* count + n wrapped in 32 bits and passed the capacity check. */
	T_ERR(memmap_add(m, &n, 4, &b2, 0xffffffffu), "4294967299 entries, room for 4");
	T_EQ(n, 4); /* untouched */
	struct mem_region big[2000];
	for (int i = 0; i < 1500; i++)
		big[i] = R((uint64_t)i * 0x2000, (uint64_t)i * 0x2000 + 0x1000, MEM_FREE, 7);
	n = 1500;
	T_ERR(memmap_normalize(big, &n, 2000), "1500 entries, more than the 1024");
}

static void export_kinds(void)
{
	struct mem_region m[8] = {
		R(0x0, 0x1000, MEM_FIRMWARE, 6),
		R(0x1000, 0x9f000, MEM_FREE, 0),
		R(0x9f000, 0xa0000, MEM_BUSY, 0),
		R(0x100000, 0x200000, MEM_BOOTLOADER, 0),
		R(0x200000, 0x300000, MEM_FIRMWARE, 9),
	};
	struct elfboot_memory_region out[8];
	int n = memmap_export(m, 5, FIRMWARE_UEFI, out, 8);
	T_EQ(n, 4); /* FREE and BUSY merge into one Usable */
	T_EQ(out[0].kind, ELFBOOT_REGION_UNKNOWN_UEFI);
	T_EQ(out[0].value, 6);
	T_EQ(out[1].kind, ELFBOOT_REGION_USABLE);
	T_EQ(out[1].end, 0xa0000);
	T_EQ(out[2].kind, ELFBOOT_REGION_BOOTLOADER);
	T_EQ(out[3].value, 9);
	n = memmap_export(m, 5, FIRMWARE_BIOS, out, 8);
	T_EQ(out[0].kind, ELFBOOT_REGION_UNKNOWN_BIOS);
	T_EQ(memmap_export(m, 5, FIRMWARE_BIOS, out, 3), -1);
	T_EQ(memmap_export(m, 5, FIRMWARE_BIOS, NULL, 100), 4);
}

static void allocator(void)
{
	struct mem_region m[8] = {
		R(0x0, 0x9f000, MEM_FREE, 7),          /* below 1 MiB: never used */
		R(0x100000, 0x103000, MEM_FREE, 7),    /* 3 pages */
		R(0x103000, 0x200000, MEM_BUSY, 2),
		R(0x200000, 0x800000, MEM_FREE, 7),
	};
	struct frame_alloc fa;
	fa_init(&fa, m, 4, 0x100000, ~0ull);
	uint64_t a, b, c2, d;
	T_OK(fa_alloc(&fa, 2, 4096, &a));
	T_EQ(a, 0x100000);
	T_OK(fa_alloc(&fa, 2, 4096, &b)); /* does not fit in the last page */
	T_EQ(b, 0x200000);
	T_OK(fa_alloc(&fa, 1, 4096, &c2)); /* first fit goes back down */
	T_EQ(c2, 0x102000);
	T_OK(fa_alloc(&fa, 1, 0x200000, &d));
	T_EQ(d, 0x400000);
	T_EQ(fa.nrec, 3); /* 0x100000-0x103000, 0x200000-0x202000, 0x400000-... */
	T_ERR(fa_alloc(&fa, 0x1000, 4096, &d), "out of memory");
	fa_init(&fa, m, 4, 0x100000, 0x300000);
	T_OK(fa_alloc(&fa, 256, 4096, &d));
	T_EQ(d, 0x200000);
	T_ERR(fa_alloc(&fa, 4, 4096, &d), "out of memory"); /* max_addr honoured */
}

int main(void)
{
	T_RUN(sorts_and_merges);
	T_RUN(overlaps_restrictive_wins);
	T_RUN(huge_fw_types_win);
	T_RUN(mark_and_capacity);
	T_RUN(export_kinds);
	T_RUN(allocator);
	return T_END();
}
