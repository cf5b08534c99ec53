/* SPDX-License-Identifier: MIT */
/* test_vmm.c - page tables built over host memory, then walked. */
#include "t.h"
#include "arena.h"

static struct mem_region map[1];
static struct frame_alloc fa;
static struct vmm v;

static void fresh(int has_1g)
{
	arena_get();
	map[0] = (struct mem_region){ ARENA_BASE, ARENA_BASE + ARENA_SIZE, MEM_FREE, 7 };
	fa_init(&fa, map, 1, 0x100000, ~0ull);
	T_OK(vmm_init(&v, &fa, has_1g));
}

static void small_pages(void)
{
	fresh(0);
	uint64_t va = 0xffff800000001000ull, pa = ARENA_BASE + 0x800000, got, fl;
	T_OK(vmm_map(&v, va, pa, 3 * 4096, PTE_W | PTE_NX, 0, "test"));
	for (int i = 0; i < 3; i++) {
		T_EQ(vmm_translate(&v, va + i * 4096 + 5, &got, &fl), EB_OK);
		T_EQ(got, pa + i * 4096 + 5);
		T_CHECK((fl & PTE_P) && (fl & PTE_W) && (fl & PTE_NX) && !(fl & PTE_PS));
	}
	T_EQ(vmm_translate(&v, va - 4096, &got, &fl), EB_NOTFOUND);
	T_EQ(vmm_translate(&v, va + 3 * 4096, &got, &fl), EB_NOTFOUND);
	/* Intermediate entries: present, writable, never NX. */
	uint64_t *t = (uint64_t *)(uintptr_t)v.pml4;
	for (int level = 4; level > 1; level--) {
		uint64_t e = t[(va >> (12 + 9 * (level - 1))) & 511];
		T_CHECK((e & PTE_P) && (e & PTE_W) && !(e & PTE_NX) && !(e & PTE_PS));
		t = (uint64_t *)(uintptr_t)(e & PTE_ADDR);
	}
	T_EQ(v.tables, 4);
	/* Read-only executable page. */
	T_OK(vmm_map(&v, 0x400000, pa, 4096, 0, 0, "text"));
	T_OK(vmm_translate(&v, 0x400000, &got, &fl));
	T_CHECK(!(fl & PTE_W) && !(fl & PTE_NX));
}

static void overlap_and_bad_input(void)
{
	fresh(0);
	T_OK(vmm_map(&v, 0x200000, ARENA_BASE, 0x4000, PTE_W, 0, "first"));
	T_ERR(vmm_map(&v, 0x203000, ARENA_BASE, 0x2000, PTE_W, 0, "second"), "second at 0x203000 overlaps");
	T_ERR(vmm_map(&v, 0x200000, ARENA_BASE, 0x200000, PTE_W, 1, "huge"), "huge at 0x200000 overlaps");
	T_ERR(vmm_map(&v, 0x1001, ARENA_BASE, 4096, 0, 0, "odd"), "not page aligned");
	T_ERR(vmm_map(&v, 0x0000800000000000ull, ARENA_BASE, 4096, 0, 0, "hole"), "not canonical");
	T_ERR(vmm_map(&v, 0x00007ffffffff000ull, ARENA_BASE, 0x2000, 0, 0, "cross"), "not canonical");
	T_ERR(vmm_map(&v, 0x1000000, 1ull << 52, 4096, 0, 0, "far"), "beyond 52 bits");
}

static void huge_pages(void)
{
	uint64_t got, fl;
	fresh(0);
	T_OK(vmm_map(&v, 0xffff800000000000ull, 0, 4ull << 30, PTE_W | PTE_NX, 1, "phys"));
	T_OK(vmm_translate(&v, 0xffff800000000000ull + 0x12345678, &got, &fl));
	T_EQ(got, 0x12345678);
	T_CHECK(fl & PTE_PS);
	T_EQ(v.tables, 1 + 1 + 4); /* pml4, pdpt, 4 page directories of 2 MiB entries */
	fresh(1);
	T_OK(vmm_map(&v, 0xffff800000000000ull, 0, 4ull << 30, PTE_W | PTE_NX, 1, "phys"));
	T_OK(vmm_translate(&v, 0xffff800000000000ull + (3ull << 30) + 5, &got, &fl));
	T_EQ(got, (3ull << 30) + 5);
	T_CHECK(fl & PTE_PS);
	T_EQ(v.tables, 2); /* pml4 + one pdpt of 1 GiB entries */
	/* Unaligned start: 4 KiB pages up to the first 2 MiB boundary. */
	fresh(0);
	T_OK(vmm_map(&v, 0x1ff000, 0x1ff000, 0x201000, PTE_W, 1, "mixed"));
	T_OK(vmm_translate(&v, 0x1ff000, &got, &fl));
	T_CHECK(!(fl & PTE_PS));
	T_OK(vmm_translate(&v, 0x200000, &got, &fl));
	T_CHECK(fl & PTE_PS);
}

static void protect(void)
{
	uint64_t got, fl;
	fresh(0);
	T_OK(vmm_map(&v, 0x600000, ARENA_BASE, 0x3000, PTE_W | PTE_NX, 0, "data"));
	T_OK(vmm_protect(&v, 0x601000, 0x1000, 0, PTE_W));
	T_OK(vmm_translate(&v, 0x601000, &got, &fl));
	T_CHECK(!(fl & PTE_W));
	T_OK(vmm_translate(&v, 0x600000, &got, &fl));
	T_CHECK(fl & PTE_W);
	T_ERR(vmm_protect(&v, 0x900000, 0x1000, 0, PTE_W), "not mapped");
	T_OK(vmm_map(&v, 0x40000000, 0, 0x200000, 0, 1, "huge"));
	T_ERR(vmm_protect(&v, 0x40000000, 0x1000, 0, PTE_W), "huge page");
}

static void slots(void)
{
	struct eb_config c;
	struct va_slots s;
	uint64_t va;
	unsigned n;
	config_default(&c);
	va_slots_init(&s, &c, 1);
	T_OK(va_take(&s, 1, &va, "a"));
	T_EQ(va, 1ull << 39); /* slot 0 is never handed out */
	T_OK(va_take(&s, 2, &va, "b"));
	T_EQ(va, 2ull << 39);
	c.has_dyn_start = 1;
	c.dyn_start = 0xffff800000000000ull;
	va_slots_init(&s, &c, 1);
	T_OK(va_take(&s, 1, &va, "c"));
	T_EQ(va, 0xffff800000000000ull);
	va_mark(&s, 0xffff808000000000ull, 1); /* slot 257 */
	T_OK(va_take(&s, 1, &va, "d"));
	T_EQ(va, 0xffff810000000000ull);
	c.has_dyn_end = 1;
	c.dyn_end = 0xffff82ffffffffffull; /* slots 256..261 */
	va_slots_init(&s, &c, 1);
	T_OK(va_take(&s, 6, &va, "e"));
	T_ERR(va_take(&s, 1, &va, "f"), "no 1 free level-4 slot(s) in the dynamic range for f");
	/* Zero slots made every index a candidate and wrote past cand[512];
	 * more than a half cannot be placed. */
	config_default(&c);
	va_slots_init(&s, &c, 1);
	T_ERR(va_take(&s, 0, &va, "zero"), "zero needs 0 level-4 slots");
	T_ERR(va_take(&s, 257, &va, "big"), "big needs 257 level-4 slots");
	T_ERR(va_take_len(&s, 0, &va, &n, "empty"), "empty has length 0");
	/* The old round-up sum wrapped to 0 slots for lengths near 2^64. */
	T_ERR(va_take_len(&s, 0xffffffff80002000ull, &va, &n, "huge"),
	      "huge of 0xffffffff80002000 bytes needs 33554432 level-4 slots");
	T_ERR(va_take_len(&s, (1ull << 47) + 1, &va, &n, "half+1"), "needs 257 level-4 slots");
	T_OK(va_take_len(&s, 1ull << 47, &va, &n, "half"));
	T_EQ(n, 256);
	T_EQ(va, 0xffff800000000000ull);
	T_OK(va_take_len(&s, 1, &va, &n, "one byte"));
	T_EQ(n, 1);
	T_EQ(va, 1ull << 39);
	/* ASLR spreads the choice. */
	config_default(&c);
	c.aslr = 1;
	uint64_t first = 0;
	int differ = 0;
	for (uint64_t seed = 1; seed < 40; seed++) {
		va_slots_init(&s, &c, seed * 0x9e3779b97f4a7c15ull);
		T_OK(va_take(&s, 1, &va, "g"));
		T_CHECK(va != 0);
		if (!first)
			first = va;
		else if (va != first)
			differ = 1;
	}
	T_CHECK(differ);
}

int main(void)
{
	T_RUN(small_pages);
	T_RUN(overlap_and_bad_input);
	T_RUN(huge_pages);
	T_RUN(protect);
	T_RUN(slots);
	return T_END();
}
