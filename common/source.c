/* SPDX-License-Identifier: MIT */
/*
 * source.c - source_load(): the two steps every front end's plat_read_file()
 * takes, whatever the medium (source.h): ask the source for the size,
 * refuse an empty file, let the front end allocate, ask the source to fill
 * it.  One place for the checks and the wording of their errors, and for
 * the file pins (pins.h): with a pinned loader every file is hashed as the
 * source fills it and refused unless it matches its pin.
 */
#include "core.h"
#include "pins.h"
#include "sha256.h"
#include "source.h"

static struct eb_pin_block *pins; /* NULL: the front end has no block */
static struct sha256 hash;
/* The file being read: the next byte the hash wants, and its end. */
static const uint8_t *feed_next, *feed_end;

int source_pins(struct eb_pin_block *b)
{
	if (pin_block_check(b))
		return EB_ERR;
	pins = b->count ? b : NULL;
	return EB_OK;
}

int source_pinned(void)
{
	return pins != NULL;
}

void source_filled(const void *p, uint64_t n)
{
	/* Only the file's next bytes, in order: sources also read
	 * directories and FAT sectors, into other buffers. */
	if (p == feed_next && n <= (uint64_t)(feed_end - feed_next)) {
		sha256_update(&hash, p, n);
		feed_next += n;
	}
}

int source_pins_unread(void)
{
	for (uint32_t i = 0; pins && i < pins->count; i++)
		if (!(pins->entry[i].flags & EB_PIN_SEEN))
			return eb_error("pin: '%s' is pinned but was not read (missing, or not "
					"named in boot.json)", pins->entry[i].name);
	return EB_OK;
}

/* After the read: the hash of what the source did not hand over as it
 * went (a whole-file firmware call), then the comparison. */
static int pin_verify(const char *medium, const char *name, struct eb_pin_entry *pin)
{
	sha256_update(&hash, feed_next, (size_t)(feed_end - feed_next));
	uint8_t got[32];
	sha256_final(&hash, got);
	if (memcmp(got, pin->sha256, 32)) {
		char want_hex[65], got_hex[65];
		pin_hex(pin->sha256, want_hex);
		pin_hex(got, got_hex);
		return eb_error("%s: '%s' does not match its pin: expected sha256 %s, got %s",
				medium, name, want_hex, got_hex);
	}
	pin->flags |= EB_PIN_SEEN;
	return EB_OK;
}

int source_load(const struct file_source *src, const struct file_alloc *mem, const char *name,
		struct plat_file *out)
{
	uint64_t bytes = 0, addr = 0;
	int st = src->size(name, &bytes);
	struct eb_pin_entry *pin = pins ? pin_find(pins, name) : NULL;
	if (pins && st == EB_NOTFOUND && pin)
		return eb_error("%s: '%s' is pinned but missing", src->medium, name);
	if (pins && st == EB_OK && !pin)
		return eb_error("%s: '%s' is not pinned (an extra file)", src->medium, name);
	if (st != EB_OK)
		return st;
	/* An empty kernel or ramdisk is a mistake worth a clear line, not
	 * "bad magic" later or a zero-length mapping. */
	if (bytes == 0)
		return eb_error("%s: file '%s' is empty", src->medium, name);
	if (mem->alloc(bytes, &addr))
		return eb_error("%s: no memory for '%s' (%lu bytes): %s", src->medium, name, bytes,
				eb_last_error());
	if (pin) {
		sha256_init(&hash);
		feed_next = (const uint8_t *)(uintptr_t)addr;
		feed_end = feed_next + bytes;
	}
	st = src->read(name, (void *)(uintptr_t)addr, bytes);
	if (st == EB_OK && pin)
		st = pin_verify(src->medium, name, pin);
	feed_next = NULL; /* no file being read: source_filled() takes nothing */
	if (st != EB_OK) {
		if (mem->free)
			mem->free(addr, bytes);
		return EB_ERR;
	}
	out->addr = addr;
	out->size = bytes;
	return EB_OK;
}
