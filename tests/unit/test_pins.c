/* SPDX-License-Identifier: MIT */
/*
 * test_pins.c - the pin block (common/pins.c: its checks, the search the
 * tool runs over a loader file) and source_load() with pins on: a file
 * that matches, differs (both digests named), is missing or extra, with
 * the hash fed by the source in pieces, in a foreign buffer, out of order
 * or not at all (the second pass after read()), and pinned files never read.
 */
#include "t.h"
#include "pins.h"
#include "sha256.h"
#include "source.h"

/* ---- the block ---- */

static void set_entry(struct eb_pin_block *b, int i, const char *name, const void *data,
		      size_t n)
{
	memset(&b->entry[i], 0, sizeof b->entry[i]);
	snprintf(b->entry[i].name, EB_PIN_NAME, "%s", name);
	b->entry[i].flags = EB_PIN_FILE;
	struct sha256 s;
	sha256_init(&s);
	sha256_update(&s, data, n);
	sha256_final(&s, b->entry[i].sha256);
}

static void block_init(struct eb_pin_block *b)
{
	static const struct eb_pin_block empty = EB_PIN_BLOCK_INIT;
	*b = empty;
}

static void block_checks(void)
{
	struct eb_pin_block b;
	block_init(&b);
	T_OK(pin_block_check(&b)); /* empty: not pinned, and well formed */
	T_CHECK(!memcmp(b.magic, EB_PIN_MAGIC, 16));
	set_entry(&b, 0, "kernel-x86_64", "k", 1);
	set_entry(&b, 1, "ramdisk", "r", 1);
	b.count = 2;
	T_OK(pin_block_check(&b));
	b.version = 2;
	T_ERR(pin_block_check(&b), "pin block: version 2, this loader reads 1");
	b.version = EB_PIN_VERSION;
	b.count = EB_PIN_MAX + 1;
	T_ERR(pin_block_check(&b), "pin block: 9 entries, at most 8");
	b.count = 2;
	b.entry[1].name[0] = 0;
	T_ERR(pin_block_check(&b), "entry 1 has an empty or unterminated name");
	memset(b.entry[1].name, 'x', EB_PIN_NAME);
	T_ERR(pin_block_check(&b), "entry 1 has an empty or unterminated name");
	set_entry(&b, 1, "ramdisk", "r", 1);
	b.entry[1].flags = 0;
	T_ERR(pin_block_check(&b), "entry 1 ('ramdisk') has flags 0x0");
	b.entry[1].flags = EB_PIN_FILE | 2;
	T_ERR(pin_block_check(&b), "has flags 0x3");
	b.entry[1].flags = EB_PIN_FILE | EB_PIN_SEEN; /* the loader's own mark */
	T_OK(pin_block_check(&b));
	/* the lookup sees only the first `count` entries */
	set_entry(&b, 1, "ramdisk", "r", 1);
	T_CHECK(pin_find(&b, "ramdisk") == &b.entry[1]);
	b.count = 1;
	T_CHECK(pin_find(&b, "ramdisk") == NULL);
	T_CHECK(pin_find(&b, "kernel-x86_64") == &b.entry[0]);
	char h[65];
	pin_hex(b.entry[0].sha256, h); /* SHA-256("k") */
	T_CHECK(!strcmp(h, "8254c329a92850f6d539dd376f4816ee2764517da5e0235514af433164480d7a"));
}

static void block_search(void)
{
	static uint8_t file[8192];
	struct eb_pin_block b;
	block_init(&b);
	size_t off = 1;
	memset(file, 'e', sizeof file); /* the magic's first byte everywhere */
	T_EQ(pin_block_find(file, sizeof file, &off), EB_NOTFOUND);
	memcpy(file + 1001, &b, sizeof b);
	T_OK(pin_block_find(file, sizeof file, &off));
	T_EQ(off, 1001);
	/* cut inside the block: refused, nothing read past the end (ASan) */
	T_ERR(pin_block_find(file, 1001 + sizeof b - 1, &off), "runs past the end");
	T_OK(pin_block_find(file, 1001 + sizeof b, &off));
	memcpy(file + 5000, &b, 16);
	T_ERR(pin_block_find(file, sizeof file, &off), "two pin blocks (at bytes 1001 and 5000)");
	T_EQ(pin_block_find(file, 15, &off), EB_NOTFOUND);
}

/* ---- source_load with pins ---- */

#define NFILES 3
static const char *const names[NFILES] = { "kernel-x86_64", "ramdisk", "boot.json" };
static const uint64_t sizes[NFILES] = { 5000, 70001, 17 };
static int present[NFILES];
static uint8_t salt; /* changes the contents the medium holds */
enum feed { FEED_NONE, FEED_PIECES, FEED_FOREIGN, FEED_SKIP };
static enum feed feed_mode;

static uint8_t content(int f, uint64_t i)
{
	return (uint8_t)(i * 7 + (uint64_t)f * 13 + (i >> 8) + salt);
}

static int which(const char *name)
{
	for (int i = 0; i < NFILES; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

static int fake_size(const char *name, uint64_t *bytes)
{
	int f = which(name);
	if (f < 0 || !present[f])
		return EB_NOTFOUND;
	*bytes = sizes[f];
	return EB_OK;
}

/* Fills dst in pieces as a disk transfer would, telling source_filled as
 * feed_mode says. */
static int fake_read(const char *name, void *dst, uint64_t bytes)
{
	int f = which(name);
	uint8_t *out = dst, scratch[512];
	uint64_t piece = 1000;
	for (uint64_t off = 0; off < bytes; off += piece) {
		uint64_t n = bytes - off < piece ? bytes - off : piece;
		for (uint64_t i = 0; i < n; i++)
			out[off + i] = content(f, off + i);
		if (feed_mode == FEED_PIECES)
			source_filled(out + off, n);
		if (feed_mode == FEED_FOREIGN) { /* metadata in another buffer: ignored */
			memset(scratch, 0x5a, sizeof scratch);
			source_filled(scratch, sizeof scratch);
			source_filled(out + off, n);
		}
		if (feed_mode == FEED_SKIP && off != 3000) /* one piece never told */
			source_filled(out + off, n);
	}
	return EB_OK;
}

/* Every file lands in the one arena; a refused one's is given back. */
static uint8_t arena[80 * 1024];
static uint64_t freed_addr, freed_bytes;

static int fake_alloc(uint64_t bytes, uint64_t *addr)
{
	*addr = (uint64_t)(uintptr_t)arena;
	return bytes <= sizeof arena ? EB_OK : eb_error("no free pages");
}

static void fake_free(uint64_t addr, uint64_t bytes)
{
	freed_addr = addr;
	freed_bytes = bytes;
}

static const struct file_source src = { "disk", fake_size, fake_read };
static const struct file_alloc mem = { fake_alloc, fake_free };

/* A block pinning the files as they are now (salt), present ones only. */
static void pin_medium(struct eb_pin_block *b)
{
	static uint8_t buf[80 * 1024];
	block_init(b);
	for (int f = 0; f < NFILES; f++) {
		if (!present[f])
			continue;
		for (uint64_t i = 0; i < sizes[f]; i++)
			buf[i] = content(f, i);
		set_entry(b, (int)b->count++, names[f], buf, sizes[f]);
	}
}

static void pinned_files_match(void)
{
	static struct eb_pin_block b;
	static const enum feed modes[] = { FEED_NONE, FEED_PIECES, FEED_FOREIGN, FEED_SKIP };
	for (unsigned m = 0; m < sizeof modes / sizeof modes[0]; m++) {
		feed_mode = modes[m];
		salt = 0;
		present[0] = present[1] = present[2] = 1;
		pin_medium(&b);
		T_OK(source_pins(&b));
		T_CHECK(source_pinned());
		struct plat_file pf;
		for (int f = 0; f < NFILES; f++) {
			T_OK(source_load(&src, &mem, names[f], &pf));
			T_EQ(pf.size, sizes[f]);
		}
		T_OK(source_pins_unread());
		for (int f = 0; f < NFILES; f++)
			T_CHECK(b.entry[f].flags & EB_PIN_SEEN);
	}
}

static void pinned_files_refused(void)
{
	static struct eb_pin_block b;
	struct plat_file pf;
	feed_mode = FEED_PIECES;
	salt = 0;
	present[0] = present[1] = present[2] = 1;
	pin_medium(&b);
	T_OK(source_pins(&b));
	char want[65], got[65], msg[300];
	pin_hex(b.entry[1].sha256, want);
	salt = 1; /* the medium changed after pinning */
	static uint8_t buf[80 * 1024];
	for (uint64_t i = 0; i < sizes[1]; i++)
		buf[i] = content(1, i);
	struct sha256 s;
	uint8_t d[32];
	sha256_init(&s);
	sha256_update(&s, buf, sizes[1]);
	sha256_final(&s, d);
	pin_hex(d, got);
	snprintf(msg, sizeof msg,
		 "disk: 'ramdisk' does not match its pin: expected sha256 %s, got %s", want, got);
	freed_addr = freed_bytes = 0;
	T_ERR(source_load(&src, &mem, "ramdisk", &pf), msg);
	T_EQ(freed_addr, (uintptr_t)arena); /* its memory given back */
	T_EQ(freed_bytes, sizes[1]);
	T_CHECK(!(b.entry[1].flags & EB_PIN_SEEN));
	/* the same without the source's help (the second pass) */
	feed_mode = FEED_NONE;
	T_ERR(source_load(&src, &mem, "ramdisk", &pf), msg);
	feed_mode = FEED_SKIP;
	T_ERR(source_load(&src, &mem, "ramdisk", &pf), msg);
	T_ERR(source_pins_unread(), "pin: 'kernel-x86_64' is pinned but was not read");

	/* missing: pinned, then deleted from the medium */
	salt = 0;
	present[1] = 0;
	T_ERR(source_load(&src, &mem, "ramdisk", &pf), "disk: 'ramdisk' is pinned but missing");
	/* extra: on the medium, not pinned */
	present[1] = 1;
	present[2] = 0;
	pin_medium(&b);
	T_OK(source_pins(&b));
	present[2] = 1;
	T_ERR(source_load(&src, &mem, "boot.json", &pf),
	      "disk: 'boot.json' is not pinned (an extra file)");
	/* absent and not pinned: as without pins (an optional file) */
	present[2] = 0;
	T_EQ(source_load(&src, &mem, "boot.json", &pf), EB_NOTFOUND);
	/* a name pinned twice: the first entry matches, the second is never
	 * read, and the boot stops there */
	present[0] = present[1] = present[2] = 1;
	pin_medium(&b);
	b.entry[2] = b.entry[1];
	T_OK(source_pins(&b));
	for (int f = 0; f < 2; f++)
		T_OK(source_load(&src, &mem, names[f], &pf));
	T_ERR(source_pins_unread(), "pin: 'ramdisk' is pinned but was not read");
	/* a malformed block is refused, and does not turn pinning off */
	b.version = 9;
	T_ERR(source_pins(&b), "pin block: version 9");
	T_CHECK(source_pinned());
}

static void unpinned_is_as_before(void)
{
	static struct eb_pin_block b;
	block_init(&b);
	T_OK(source_pins(&b));
	T_CHECK(!source_pinned());
	present[0] = present[1] = present[2] = 1;
	salt = 5;
	struct plat_file pf;
	for (int f = 0; f < NFILES; f++)
		T_OK(source_load(&src, &mem, names[f], &pf));
	present[1] = 0;
	T_EQ(source_load(&src, &mem, "ramdisk", &pf), EB_NOTFOUND);
	T_OK(source_pins_unread());
}

int main(void)
{
	T_RUN(block_checks);
	T_RUN(block_search);
	T_RUN(pinned_files_match);
	T_RUN(pinned_files_refused);
	T_RUN(unpinned_is_as_before);
	return T_END();
}
