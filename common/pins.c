/* SPDX-License-Identifier: MIT */
/*
 * pins.c - reading the pin block (pins.h): its checks, the lookup by file
 * name and the hex form of a digest, shared by the loaders (which trust
 * only a block that passes the checks) and the tool (which finds and
 * patches the block in the loader files).
 */
#include "core.h"
#include "pins.h"

int pin_block_check(const struct eb_pin_block *b)
{
	if (b->version != EB_PIN_VERSION)
		return eb_error("pin block: version %u, this loader reads %u", b->version,
				EB_PIN_VERSION);
	if (b->count > EB_PIN_MAX)
		return eb_error("pin block: %u entries, at most %u", b->count, EB_PIN_MAX);
	for (uint32_t i = 0; i < b->count; i++) {
		const struct eb_pin_entry *e = &b->entry[i];
		if (!e->name[0] || e->name[EB_PIN_NAME - 1])
			return eb_error("pin block: entry %u has an empty or unterminated name", i);
		if ((e->flags & ~EB_PIN_SEEN) != EB_PIN_FILE)
			return eb_error("pin block: entry %u ('%s') has flags 0x%x", i, e->name,
					e->flags);
		/* A name pinned twice needs no check of its own: the lookup
		 * finds the first, the second is never matched, and the boot
		 * stops at source_pins_unread(). */
	}
	return EB_OK;
}

struct eb_pin_entry *pin_find(struct eb_pin_block *b, const char *name)
{
	for (uint32_t i = 0; i < b->count; i++) /* count checked by pin_block_check */
		if (!strcmp(b->entry[i].name, name))
			return &b->entry[i];
	return NULL;
}

void pin_hex(const uint8_t d[32], char out[65])
{
	for (unsigned i = 0; i < 64; i++) /* high nibble first */
		out[i] = "0123456789abcdef"[d[i / 2] >> (~i & 1) * 4 & 15];
	out[64] = 0;
}

int pin_block_find(const uint8_t *buf, size_t n, size_t *off)
{
	int found = 0;
	for (size_t i = 0; i + 16 <= n; i++) {
		if (buf[i] != 'e' || memcmp(buf + i, EB_PIN_MAGIC, 16))
			continue;
		if (found++)
			return eb_error("two pin blocks (at bytes %lu and %lu)", (uint64_t)*off,
					(uint64_t)i);
		*off = i;
	}
	if (!found)
		return EB_NOTFOUND;
	if (n - *off < sizeof(struct eb_pin_block))
		return eb_error("the pin block at byte %lu runs past the end", (uint64_t)*off);
	return EB_OK;
}
