/* SPDX-License-Identifier: MIT */
/*
 * alloc.c - physical frames for the kernel (segments, stack, page tables,
 * boot info).  First fit over the normalised map's MEM_FREE regions within
 * [min_addr, max_addr), skipping what it already handed out.  Every
 * allocation is recorded (merged when adjacent) so the final map can report
 * it as Bootloader memory.  Never hands out frames below min_addr (1 MiB at
 * boot: the first MiB holds the IVT, BDA and EBDA).
 */
#include "core.h"

void fa_init(struct frame_alloc *fa, const struct mem_region *map, uint32_t count,
	     uint64_t min_addr, uint64_t max_addr)
{
	memset(fa, 0, sizeof *fa);
	fa->map = map;
	fa->count = count;
	fa->min_addr = EB_ALIGN_UP(min_addr, EB_PAGE);
	fa->max_addr = EB_ALIGN_DOWN(max_addr, EB_PAGE);
}

static int record(struct frame_alloc *fa, uint64_t start, uint64_t end)
{
	uint32_t i = 0;
	while (i < fa->nrec && fa->rec[i].start < start)
		i++;
	/* Merge with the neighbours where they touch. */
	int left = i > 0 && fa->rec[i - 1].end == start;
	int right = i < fa->nrec && fa->rec[i].start == end;
	if (left && right) {
		fa->rec[i - 1].end = fa->rec[i].end;
		memmove(&fa->rec[i], &fa->rec[i + 1], (fa->nrec - i - 1) * sizeof fa->rec[0]);
		fa->nrec--;
	} else if (left) {
		fa->rec[i - 1].end = end;
	} else if (right) {
		fa->rec[i].start = start;
	} else {
		if (fa->nrec == FA_MAX_RECORDS)
			return eb_error("alloc: more than %d separate allocations", FA_MAX_RECORDS);
		memmove(&fa->rec[i + 1], &fa->rec[i], (fa->nrec - i) * sizeof fa->rec[0]);
		fa->rec[i].start = start;
		fa->rec[i].end = end;
		fa->nrec++;
	}
	return EB_OK;
}

int fa_alloc(struct frame_alloc *fa, uint64_t pages, uint64_t align, uint64_t *out)
{
	if (align < EB_PAGE)
		align = EB_PAGE;
	if (pages == 0 || pages > (1ull << 40) / EB_PAGE)
		return eb_error("alloc: bad request for %lu pages", pages);
	uint64_t len = pages * EB_PAGE;
	for (uint32_t i = 0; i < fa->count; i++) {
		const struct mem_region *r = &fa->map[i];
		if (r->kind != MEM_FREE)
			continue;
		uint64_t lo = r->start > fa->min_addr ? r->start : fa->min_addr;
		uint64_t hi = r->end < fa->max_addr ? r->end : fa->max_addr;
		hi = EB_ALIGN_DOWN(hi, EB_PAGE);
		uint64_t cand = EB_ALIGN_UP(lo, align);
		uint32_t k = 0;
		while (cand >= lo && cand < hi && hi - cand >= len) {
			/* Skip past any recorded allocation overlapping the candidate. */
			while (k < fa->nrec && fa->rec[k].end <= cand)
				k++;
			if (k < fa->nrec && fa->rec[k].start < cand + len) {
				cand = EB_ALIGN_UP(fa->rec[k].end, align);
				continue;
			}
			if (record(fa, cand, cand + len))
				return EB_ERR;
			*out = cand;
			return EB_OK;
		}
	}
	return eb_error("alloc: out of memory: no %lu KiB free block (align 0x%lx) between "
			"0x%lx and 0x%lx", len >> 10, align, fa->min_addr, fa->max_addr);
}
