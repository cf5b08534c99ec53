/* SPDX-License-Identifier: MIT */
/*
 * vaspace.c - hands out level-4 slots (512 GiB each) to Dynamic mappings,
 * as bootloader_api does: each Dynamic mapping takes whole free slots inside
 * the configured dynamic range, the first free one or, with aslr, a random
 * one.  Slot 0 is never handed out, so nothing lands at virtual 0.
 */
#include "core.h"

#define SLOT (1ull << 39)

uint64_t va_slot_base(unsigned slot)
{
	uint64_t va = (uint64_t)slot << 39;
	return slot >= 256 ? va | 0xffff000000000000ull : va;
}

static unsigned slot_of(uint64_t va)
{
	return (unsigned)((va >> 39) & 511);
}

void va_slots_init(struct va_slots *s, const struct eb_config *cfg, uint64_t seed)
{
	memset(s, 0, sizeof *s);
	s->aslr = cfg->aslr;
	s->seed = seed | 1;
	s->used[0] = 1;
	for (unsigned i = 0; i < 512; i++) {
		uint64_t base = va_slot_base(i), last = base + (SLOT - 1);
		if (cfg->has_dyn_start && base < cfg->dyn_start)
			s->used[i] = 1;
		if (cfg->has_dyn_end && last > cfg->dyn_end)
			s->used[i] = 1;
	}
}

void va_mark(struct va_slots *s, uint64_t va, uint64_t len)
{
	if (!len)
		return;
	uint64_t last = va + len - 1;
	for (unsigned i = slot_of(va);; i = (i + 1) & 511) {
		s->used[i] = 1;
		if (i == slot_of(last))
			break;
	}
}

static uint64_t next_random(struct va_slots *s)
{
	/* xorshift64*, seeded from the CPU's entropy by the caller */
	s->seed ^= s->seed >> 12;
	s->seed ^= s->seed << 25;
	s->seed ^= s->seed >> 27;
	return s->seed * 0x2545f4914f6cdd1dull;
}

uint64_t va_random_offset(struct va_slots *s, unsigned n, uint64_t len, uint64_t align)
{
	uint64_t span = (uint64_t)n * SLOT;
	if (!s->aslr || len >= span || !align)
		return 0;
	uint64_t choices = (span - len) / align + 1;
	return (next_random(s) % choices) * align;
}

int va_take(struct va_slots *s, unsigned n, uint64_t *va, const char *what)
{
	/* n == 0 would make every index a candidate (513 of them); more than a
	 * half cannot be placed without crossing the non-canonical hole. */
	if (n == 0 || n > 256)
		return eb_error("map: %s needs %u level-4 slots; 1 to 256 (one canonical "
				"half) can be placed", what, n);
	unsigned cand[512], nc = 0;
	for (unsigned i = 0; i + n <= 512; i++) {
		/* Never span the non-canonical hole between slots 255 and 256. */
		if (i < 256 && i + n > 256)
			continue;
		unsigned k = 0;
		while (k < n && !s->used[i + k])
			k++;
		if (k == n)
			cand[nc++] = i;
	}
	if (!nc)
		return eb_error("map: no %u free level-4 slot(s) in the dynamic range for %s", n,
				what);
	unsigned pick = cand[s->aslr ? next_random(s) % nc : 0];
	for (unsigned k = 0; k < n; k++)
		s->used[pick + k] = 1;
	*va = va_slot_base(pick);
	return EB_OK;
}

int va_take_len(struct va_slots *s, uint64_t len, uint64_t *va, unsigned *n, const char *what)
{
	if (len == 0)
		return eb_error("map: %s has length 0", what);
	/* Whole slots, counted without the round-up sum that wraps near 2^64. */
	uint64_t slots = len / SLOT + (len % SLOT != 0);
	if (slots > 256)
		return eb_error("map: %s of 0x%lx bytes needs %lu level-4 slots, more than "
				"one canonical half (256)", what, len, slots);
	*n = (unsigned)slots;
	return va_take(s, *n, va, what);
}
