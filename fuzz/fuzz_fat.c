/* SPDX-License-Identifier: MIT */
/*
 * fuzz_fat.c - the BIOS front end's GPT + FAT12/16/32 reader (stage2/fat.c,
 * included here so its static state can be reset between runs) over a disk
 * image that is the fuzz input.  disk_read() fails past the image's end, as
 * a BIOS read error would.  Per input: fat_mount, then fat_lookup and
 * fat_read of the files the loaders read (kernel-x86_64, boot.json,
 * EFI/BOOT/BOOTX64.EFI) and of a long name two directories down, each into
 * a buffer poisoned (ASan) right after the bytes plat_read_file allocates.
 *
 * Byte 0 of the image (stage1 code, which fat.c never reads) picks a mode:
 * bit 0 set: the harness rewrites the CRCs of both GPT copies (primary and
 * backup) before mounting, so mutated partition tables still reach the FAT
 * code (CRC checks are fuzzed with the bit clear); bit 1 set: disk_sectors()
 * says the size is unknown, as some BIOSes do.
 */
#include <sanitizer/asan_interface.h>
#include <string.h>

#include "../stage2/fat.c"
#include "fuzz.h"

#define DISK_MAX (4u << 20)
#define READ_MAX (16u << 20) /* larger files are skipped, not read */

static const uint8_t *disk;
static uint64_t disk_bytes;

/* Mode bit 0: the two GPT header sectors with their CRCs rewritten, laid
 * over the image (the CRC fields live in the headers, so only they change). */
static uint64_t patch_lba[2] = { ~0ull, ~0ull };
static uint8_t patch[2][512];

int disk_read(uint64_t lba, uint64_t count, void *dst)
{
	uint64_t sectors = disk_bytes / 512;
	if (lba > sectors || count > sectors - lba)
		return eb_error("disk: reading %lu sectors at LBA %lu failed (disk has %lu)",
				(unsigned long)count, (unsigned long)lba, (unsigned long)sectors);
	memcpy(dst, disk + lba * 512, count * 512);
	for (int i = 0; i < 2; i++)
		if (patch_lba[i] >= lba && patch_lba[i] - lba < count)
			memcpy((uint8_t *)dst + (patch_lba[i] - lba) * 512, patch[i], 512);
	return EB_OK;
}

/* The same for `bytes` from `lba` on, writing only those bytes (stage2's
 * contract for a file's last, partial sector). */
int disk_read_bytes(uint64_t lba, uint64_t bytes, void *dst)
{
	uint64_t sectors = disk_bytes / 512, count = (bytes + 511) / 512;
	if (lba > sectors || count > sectors - lba)
		return eb_error("disk: reading %lu bytes at LBA %lu failed (disk has %lu sectors)",
				(unsigned long)bytes, (unsigned long)lba, (unsigned long)sectors);
	for (uint64_t i = 0; i < count; i++) {
		const uint8_t *src = disk + (lba + i) * 512;
		for (int k = 0; k < 2; k++)
			if (patch_lba[k] == lba + i)
				src = patch[k];
		uint64_t n = bytes - i * 512 < 512 ? bytes - i * 512 : 512;
		memcpy((uint8_t *)dst + i * 512, src, n);
	}
	return EB_OK;
}

/* Mode bit 1: a BIOS that does not report the disk size (INT 13h AH=48h). */
static int size_unknown;

uint64_t disk_sectors(void)
{
	return size_unknown ? 0 : disk_bytes / 512;
}

/* Copies the GPT header at `lba` into patch[i] with its entry-array and
 * header CRCs rewritten (when the fields needed to find them lie inside the
 * image); returns the header's AlternateLBA. */
static uint64_t fix_gpt_crcs(int i, uint64_t lba)
{
	patch_lba[i] = ~0ull;
	if (lba >= disk_bytes / 512)
		return 0;
	uint8_t *h = patch[i];
	memcpy(h, disk + lba * 512, 512);
	patch_lba[i] = lba;
	struct gpt_header *gh = (struct gpt_header *)h;
	uint32_t hsize = gh->header_size;
	uint64_t elba = gh->entries_lba;
	uint64_t ebytes = (uint64_t)gh->n_entries * gh->entry_size;
	/* An entry array overlapping a header sector is left as it is. */
	if (ebytes <= sizeof gpt_entries && elba < disk_bytes / 512 &&
	    ebytes <= disk_bytes - elba * 512)
		gh->entries_crc32 = eb_crc32(disk + elba * 512, ebytes);
	if (hsize >= GPT_HEADER_SIZE && hsize <= 512) {
		gh->header_crc32 = 0;
		gh->header_crc32 = eb_crc32(h, hsize);
	}
	return gh->alternate_lba;
}

static void reset_fat(void)
{
	memset(&fs, 0, sizeof fs);
	fat_cache_first = ~0ull;
}

/* fat_read's destination: poisoned (ASan) except for the bytes
 * plat_read_file would allocate, so any write past them is caught. */
#define BUF_BYTES (READ_MAX + 128 * 512)
static uint8_t *buf;
static int verbose; /* FUZZ_VERBOSE=1 in the environment: say what was read */

static void read_one(const char *path)
{
	struct fat_file f;
	int st = fat_lookup(path, &f);
	FUZZ_CHECK(st == EB_OK || st == EB_ERR || st == EB_NOTFOUND, "lookup status %d", st);
	if (st != EB_OK || f.size == 0)
		return;
	/* fat_read fills exactly f.size bytes (source.h's contract): a buffer of
	 * exactly that, so ASan catches a write past the file's end. */
	uint64_t room = f.size;
	if (room > READ_MAX)
		return;
	ASAN_UNPOISON_MEMORY_REGION(buf, room);
	st = fat_read(&f, path, buf);
	if (verbose)
		fprintf(stderr, "fuzz_fat: %s: %u bytes from cluster %u: %s\n", path, f.size,
			f.first_cluster, st == EB_OK ? "read" : eb_last_error());
	ASAN_POISON_MEMORY_REGION(buf, room);
	FUZZ_CHECK(st == EB_OK || eb_last_error()[0], "fat_read failed without a message");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!buf) {
		buf = malloc(BUF_BYTES);
		ASAN_POISON_MEMORY_REGION(buf, BUF_BYTES);
		verbose = getenv("FUZZ_VERBOSE") != NULL;
	}
	if (size > DISK_MAX)
		return 0;
	disk = data;
	disk_bytes = size;
	size_unknown = size && (data[0] & 2);
	patch_lba[0] = patch_lba[1] = ~0ull;
	if (size && (data[0] & 1)) {
		uint64_t alt = fix_gpt_crcs(0, 1);
		fix_gpt_crcs(1, alt > 1 ? alt : size / 512 - 1);
	}
	reset_fat();
	if (fat_mount() != EB_OK) {
		if (verbose)
			fprintf(stderr, "fuzz_fat: mount: %s\n", eb_last_error());
		FUZZ_CHECK(eb_last_error()[0], "fat_mount failed without a message");
		return 0;
	}
	FUZZ_CHECK(fs.type == 12 || fs.type == 16 || fs.type == 32, "FAT%u", fs.type);
	FUZZ_CHECK(fs.part_sectors >= 1, "empty partition mounted");
	read_one("kernel-x86_64");
	read_one("boot.json");
	read_one("EFI/BOOT/BOOTX64.EFI");
	read_one("/dir/sub/long file name.txt");
	return 0;
}
