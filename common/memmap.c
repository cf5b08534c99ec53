/* SPDX-License-Identifier: MIT */
/*
 * memmap.c - the one normalised memory map: sorted, non-overlapping, merged.
 * Firmware maps can be unsorted and can overlap (E820 on real machines);
 * where entries overlap the more restrictive kind wins, so memory is never
 * reported free when any entry says otherwise.  Bounded: a map that does not
 * fit is an error, never a silent truncation.
 */
#include "core.h"

#define MEMMAP_SCRATCH 2048

static uint64_t bounds[MEMMAP_SCRATCH];
static struct mem_region scratch[MEMMAP_SCRATCH];

/* Whether a wins over b where they overlap: FIRMWARE > BOOTLOADER > BUSY >
 * FREE; among firmware types the higher code wins, as Linux's E820
 * sanitiser does.  Kind first, then fw_type: one sum of both wraps for
 * codes near 2^32 and would rank them below FREE. */
static int outranks(const struct mem_region *a, const struct mem_region *b)
{
	if (a->kind != b->kind)
		return a->kind > b->kind;
	return a->kind == MEM_FIRMWARE && a->fw_type > b->fw_type;
}

int memmap_normalize(struct mem_region *map, uint32_t *count, uint32_t cap)
{
	uint32_t n = *count, nb = 0;
	if (2 * (uint64_t)n > MEMMAP_SCRATCH)
		return eb_error("memory map: %u entries, more than the %u elfboot handles", n,
				MEMMAP_SCRATCH / 2);
	for (uint32_t i = 0; i < n; i++) {
		if (map[i].end <= map[i].start)
			continue;
		bounds[nb++] = map[i].start;
		bounds[nb++] = map[i].end;
	}
	for (uint32_t i = 1; i < nb; i++) { /* insertion sort */
		uint64_t v = bounds[i];
		uint32_t j = i;
		while (j > 0 && bounds[j - 1] > v) {
			bounds[j] = bounds[j - 1];
			j--;
		}
		bounds[j] = v;
	}
	uint32_t out = 0;
	for (uint32_t b = 0; b + 1 < nb; b++) {
		uint64_t lo = bounds[b], hi = bounds[b + 1];
		if (lo == hi)
			continue;
		const struct mem_region *win = 0;
		for (uint32_t i = 0; i < n; i++)
			if (map[i].start <= lo && map[i].end >= hi && map[i].end > map[i].start &&
			    (!win || outranks(&map[i], win)))
				win = &map[i];
		if (!win)
			continue; /* a hole between entries */
		uint32_t fw_type = win->kind == MEM_FIRMWARE ? win->fw_type : 0;
		if (out && scratch[out - 1].end == lo && scratch[out - 1].kind == win->kind &&
		    scratch[out - 1].fw_type == fw_type) {
			scratch[out - 1].end = hi;
			continue;
		}
		scratch[out].start = lo;
		scratch[out].end = hi;
		scratch[out].kind = win->kind;
		scratch[out].fw_type = fw_type;
		out++;
	}
	if (out > cap)
		return eb_error("memory map: %u entries after normalising, room for %u", out, cap);
	memcpy(map, scratch, out * sizeof *map);
	*count = out;
	return EB_OK;
}

int memmap_add(struct mem_region *map, uint32_t *count, uint32_t cap,
	       const struct mem_region *add, uint32_t n)
{
	/* Compared without the sum, which wraps in 32 bits. */
	if (*count > cap || n > cap - *count)
		return eb_error("memory map: %lu entries, room for %u",
				(uint64_t)*count + n, cap);
	memcpy(map + *count, add, n * sizeof *add);
	*count += n;
	return memmap_normalize(map, count, cap);
}

int memmap_export(const struct mem_region *map, uint32_t count, enum firmware_kind fw,
		  struct elfboot_memory_region *out, uint32_t cap)
{
	/* out may be NULL: then only count. */
	uint32_t n = 0, pkind = 0, pvalue = 0;
	uint64_t pend = 0;
	for (uint32_t i = 0; i < count; i++) {
		uint32_t kind, value = 0;
		switch (map[i].kind) {
		case MEM_FREE:
		case MEM_BUSY:
			kind = ELFBOOT_REGION_USABLE;
			break;
		case MEM_BOOTLOADER:
			kind = ELFBOOT_REGION_BOOTLOADER;
			break;
		default:
			kind = fw == FIRMWARE_UEFI ? ELFBOOT_REGION_UNKNOWN_UEFI
						   : ELFBOOT_REGION_UNKNOWN_BIOS;
			value = map[i].fw_type;
		}
		if (n && pend == map[i].start && pkind == kind && pvalue == value) {
			pend = map[i].end;
			if (out)
				out[n - 1].end = pend;
			continue;
		}
		if (n == cap)
			return -1;
		if (out) {
			out[n].start = map[i].start;
			out[n].end = map[i].end;
			out[n].kind = kind;
			out[n].value = value;
		}
		pend = map[i].end;
		pkind = kind;
		pvalue = value;
		n++;
	}
	return (int)n;
}
