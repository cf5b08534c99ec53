/* SPDX-License-Identifier: MIT */
/*
 * fuzz_iso.c - the ISO 9660 reader (common/iso9660.c) over a medium that is
 * the fuzz input; reads past its end fail, as a firmware read error would.
 * Per input: iso_mount, then iso_lookup and iso_read of the files the
 * loaders read (kernel-x86_64, ramdisk, boot.json), each into a buffer
 * poisoned (ASan) right after the file's bytes: the reader must never write
 * past them, and every extent it reads must lie inside the medium.
 * Byte 0 (system area, never read by the reader) bit 0 set: the medium's
 * size is unknown (blocks = 0), as some firmware reports it.
 * Build (with fuzz/fuzz.h from the fuzz tree): FUZZ_SRC_iso := $(FUZZ_CORE).
 */
#include <sanitizer/asan_interface.h>
#include <string.h>

#include "core.h"
#include "fuzz.h"
#include "iso9660.h"

#define MEDIUM_MAX (4u << 20)
#define READ_MAX (8u << 20) /* larger files are skipped, not read */

static const uint8_t *medium;
static uint64_t medium_blocks;

static int fuzz_read(void *ctx, uint64_t lba, uint64_t count, void *dst)
{
	(void)ctx;
	FUZZ_CHECK(count > 0, "read of 0 blocks at %lu", (unsigned long)lba);
	if (lba > medium_blocks || count > medium_blocks - lba)
		return eb_error("read of %lu blocks at %lu past the medium's %lu",
				(unsigned long)count, (unsigned long)lba,
				(unsigned long)medium_blocks);
	memcpy(dst, medium + lba * ISO_BLOCK, count * ISO_BLOCK);
	return EB_OK;
}

static uint8_t *buf;
static struct iso_vol vol;

static void read_one(const char *name)
{
	struct iso_file f;
	int st = iso_lookup(&vol, name, &f);
	FUZZ_CHECK(st == EB_OK || st == EB_ERR || st == EB_NOTFOUND, "lookup status %d", st);
	if (st == EB_ERR)
		FUZZ_CHECK(eb_last_error()[0], "lookup failed without a message");
	if (st != EB_OK || f.size > READ_MAX)
		return;
	FUZZ_CHECK((uint64_t)f.lba + (f.size + ISO_BLOCK - 1) / ISO_BLOCK <= vol.vol_blocks,
		   "'%s' at block %u, %u bytes, accepted outside the %u-block volume", name, f.lba,
		   f.size, vol.vol_blocks);
	ASAN_UNPOISON_MEMORY_REGION(buf, f.size);
	st = iso_read(&vol, &f, buf);
	ASAN_POISON_MEMORY_REGION(buf, READ_MAX);
	FUZZ_CHECK(st == EB_OK || eb_last_error()[0], "iso_read failed without a message");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!buf) {
		buf = malloc(READ_MAX);
		ASAN_POISON_MEMORY_REGION(buf, READ_MAX);
	}
	if (size > MEDIUM_MAX)
		return 0;
	medium = data;
	medium_blocks = size / ISO_BLOCK;
	struct iso_dev dev = { NULL, fuzz_read, size && (data[0] & 1) ? 0 : medium_blocks };
	int st = iso_mount(&vol, &dev);
	FUZZ_CHECK(st == EB_OK || st == EB_ERR || st == EB_NOTFOUND, "mount status %d", st);
	if (st != EB_OK) {
		FUZZ_CHECK(st == EB_NOTFOUND || eb_last_error()[0], "mount failed without a message");
		return 0;
	}
	FUZZ_CHECK(vol.root_size > 0 && vol.root_lba > 16, "root at %u, %u bytes", vol.root_lba,
		   vol.root_size);
	read_one("kernel-x86_64");
	read_one("ramdisk");
	read_one("boot.json");
	return 0;
}
