/* SPDX-License-Identifier: MIT */
/*
 * vmm.c - builds the kernel's 4-level page tables from scratch.  Tables are
 * allocated from the frame allocator and written through their physical
 * address (identity-mapped while the loader runs).  Intermediate entries are
 * always present+writable and never NX, so the leaf alone decides the
 * permission and recursive mappings keep working (rb #443).  Mapping over an
 * existing mapping is an error, never a silent clobber.
 */
#include "core.h"

#define GIB (1ull << 30)
#define MIB2 (2ull << 20)

static uint64_t *table(uint64_t phys)
{
	return (uint64_t *)(uintptr_t)phys;
}

static int new_table(struct vmm *v, uint64_t *out)
{
	if (fa_alloc(v->fa, 1, EB_PAGE, out))
		return EB_ERR;
	memset(table(*out), 0, EB_PAGE);
	v->tables++;
	return EB_OK;
}

int vmm_init(struct vmm *v, struct frame_alloc *fa, int has_1g)
{
	v->fa = fa;
	v->has_1g = has_1g;
	v->tables = 0;
	return new_table(v, &v->pml4);
}

static unsigned idx(uint64_t va, int level)
{
	return (unsigned)((va >> (12 + 9 * (level - 1))) & 511);
}

static int overlap(const char *what, uint64_t va)
{
	return eb_error("map: %s at 0x%lx overlaps an existing mapping", what, va);
}

int vmm_map(struct vmm *v, uint64_t va, uint64_t pa, uint64_t len, uint64_t flags, int huge,
	    const char *what)
{
	if ((va | pa | len) & (EB_PAGE - 1))
		return eb_error("map: %s: 0x%lx -> 0x%lx (+0x%lx) is not page aligned", what, va,
				pa, len);
	if (!eb_range_ok(va, len) || !eb_canonical(va) || (len && !eb_canonical(va + len - 1)) ||
	    (va < 0x0000800000000000ull && len && va + len - 1 >= 0x0000800000000000ull))
		return eb_error("map: %s: 0x%lx (+0x%lx) is not canonical", what, va, len);
	if ((pa + len) >> 52 || pa + len < pa)
		return eb_error("map: %s: physical 0x%lx (+0x%lx) beyond 52 bits", what, pa, len);
	flags &= PTE_W | PTE_NX | PTE_PWT | PTE_PCD | PTE_US;
	while (len) {
		uint64_t size = EB_PAGE;
		int leaf_level = 1;
		if (huge && v->has_1g && !((va | pa) & (GIB - 1)) && len >= GIB) {
			size = GIB;
			leaf_level = 3;
		} else if (huge && !((va | pa) & (MIB2 - 1)) && len >= MIB2) {
			size = MIB2;
			leaf_level = 2;
		}
		uint64_t *t = table(v->pml4);
		for (int level = 4; level > leaf_level; level--) {
			uint64_t *e = &t[idx(va, level)];
			if (!(*e & PTE_P)) {
				uint64_t nt;
				if (new_table(v, &nt))
					return EB_ERR;
				*e = nt | PTE_P | PTE_W;
			} else if (*e & PTE_PS) {
				return overlap(what, va);
			}
			t = table(*e & PTE_ADDR);
		}
		uint64_t *e = &t[idx(va, leaf_level)];
		if (*e & PTE_P)
			return overlap(what, va);
		*e = pa | flags | PTE_P | (leaf_level > 1 ? PTE_PS : 0);
		va += size;
		pa += size;
		len -= size;
	}
	return EB_OK;
}

/* Returns the leaf entry for va and its level, or 0. */
static uint64_t *walk(const struct vmm *v, uint64_t va, int *level_out)
{
	uint64_t *t = table(v->pml4);
	for (int level = 4; level >= 1; level--) {
		uint64_t *e = &t[idx(va, level)];
		if (!(*e & PTE_P))
			return 0;
		if (level == 1 || (*e & PTE_PS)) {
			*level_out = level;
			return e;
		}
		t = table(*e & PTE_ADDR);
	}
	return 0;
}

int vmm_translate(const struct vmm *v, uint64_t va, uint64_t *pa, uint64_t *flags)
{
	int level;
	uint64_t *e = walk(v, va, &level);
	if (!e)
		return EB_NOTFOUND;
	uint64_t size = 1ull << (12 + 9 * (level - 1));
	uint64_t base = *e & PTE_ADDR & ~(size - 1);
	*pa = base + (va & (size - 1));
	*flags = *e & ~PTE_ADDR;
	return EB_OK;
}

int vmm_protect(struct vmm *v, uint64_t va, uint64_t len, uint64_t set, uint64_t clear)
{
	for (uint64_t off = 0; off < len; off += EB_PAGE) {
		int level;
		uint64_t *e = walk(v, va + off, &level);
		if (!e || level != 1)
			return eb_error("map: cannot change protection at 0x%lx (%s)", va + off,
					e ? "huge page" : "not mapped");
		*e = (*e | set) & ~clear;
	}
	return EB_OK;
}
