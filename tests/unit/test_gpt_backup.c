/* SPDX-License-Identifier: MIT */
/*
 * test_gpt_backup.c - stage2's GPT reader (stage2/fat.c, built unchanged on
 * the host over an in-memory disk): the backup GPT is used when the primary
 * header or entry array is damaged, found through AlternateLBA or the last
 * sector, and a disk with both damaged gets one error naming both.  Also
 * fat_read() filling exactly the file's bytes (source.h's contract).
 */
#include "t.h"
#include "../../stage2/fat.c"

#define SECTORS 200
#define PRIMARY_ESP 40 /* the two tables name different ESPs, so the error */
#define BACKUP_ESP 50  /* from the (absent) FAT says which table was used */

static uint8_t disk[SECTORS * 512];
static uint64_t reported_sectors; /* what disk_sectors() says; 0 = unknown */

int disk_read(uint64_t lba, uint64_t count, void *dst)
{
	if (lba > SECTORS || count > SECTORS - lba)
		return eb_error("disk: reading %lu sectors at LBA %lu failed", (unsigned long)count,
				(unsigned long)lba);
	memcpy(dst, disk + lba * 512, count * 512);
	return EB_OK;
}

int disk_read_bytes(uint64_t lba, uint64_t bytes, void *dst)
{
	uint64_t count = (bytes + 511) / 512;
	if (lba > SECTORS || count > SECTORS - lba)
		return eb_error("disk: reading %lu bytes at LBA %lu failed", (unsigned long)bytes,
				(unsigned long)lba);
	memcpy(dst, disk + lba * 512, bytes);
	return EB_OK;
}

uint64_t disk_sectors(void)
{
	return reported_sectors;
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static void header(uint64_t my, uint64_t alt, uint64_t entries, uint64_t esp_lba)
{
	uint8_t *e = disk + entries * 512, *h = disk + my * 512;
	memset(e, 0, 32 * 512);
	memcpy(e, esp_guid, 16);
	put64(e + 32, esp_lba);
	put64(e + 40, esp_lba + 9);
	memset(h, 0, 512);
	memcpy(h, "EFI PART", 8);
	put32(h + 8, 0x10000);
	put32(h + 12, 92);
	put64(h + 24, my);
	put64(h + 32, alt);
	put64(h + 72, entries);
	put32(h + 80, 128);
	put32(h + 84, 128);
	put32(h + 88, eb_crc32(e, 128 * 128));
	put32(h + 16, eb_crc32(h, 92));
}

static void fresh(void)
{
	memset(disk, 0, sizeof disk);
	header(1, SECTORS - 1, 2, PRIMARY_ESP);
	header(SECTORS - 1, 1, SECTORS - 33, BACKUP_ESP);
	reported_sectors = SECTORS;
}

static void intact_uses_primary(void)
{
	fresh();
	T_ERR(fat_mount(), "ESP at LBA 40 ");
}

static void damaged_header_uses_last_sector(void)
{
	fresh();
	disk[512 + 60] ^= 1;
	T_ERR(fat_mount(), "ESP at LBA 50 ");
	/* Without a disk size there is no way to the backup: say so. */
	reported_sectors = 0;
	T_ERR(fat_mount(), "primary GPT damaged (header CRC mismatch");
	T_ERR(fat_mount(), "disk size is unknown");
}

static void damaged_entries_use_alternate_lba(void)
{
	fresh();
	disk[2 * 512 + 60] ^= 1;
	reported_sectors = 0; /* the primary header's AlternateLBA is enough */
	T_ERR(fat_mount(), "ESP at LBA 50 ");
	/* A sane header naming itself (or LBA 0) as its backup is refused. */
	put64(disk + 512 + 32, 1);
	put32(disk + 512 + 16, 0);
	put32(disk + 512 + 16, eb_crc32(disk + 512, 92));
	T_ERR(fat_mount(), "backup LBA 1 is invalid");
}

static void both_damaged_one_error(void)
{
	fresh();
	disk[512 + 60] ^= 1;
	disk[(SECTORS - 1) * 512 + 60] ^= 1;
	T_ERR(fat_mount(), "disk: primary GPT damaged (header CRC mismatch");
	T_ERR(fat_mount(), "and backup GPT at LBA 199 damaged (header CRC mismatch");
	fresh();
	disk[2 * 512 + 60] ^= 1;
	disk[(SECTORS - 33) * 512] ^= 1;
	T_ERR(fat_mount(), "(entry array CRC mismatch");
	T_ERR(fat_mount(), "backup GPT at LBA 199 damaged (entry array CRC mismatch");
}

static void backup_checked_like_primary(void)
{
	/* A backup header that is not where it says it is. */
	fresh();
	disk[512] = 'X';
	header(SECTORS - 1, 1, SECTORS - 33, BACKUP_ESP);
	put64(disk + (SECTORS - 1) * 512 + 24, 7);
	put32(disk + (SECTORS - 1) * 512 + 16, 0);
	put32(disk + (SECTORS - 1) * 512 + 16, eb_crc32(disk + (SECTORS - 1) * 512, 92));
	T_ERR(fat_mount(), "(header signature missing) and backup GPT at LBA 199 damaged "
			   "(header says it is at LBA 7)");
	/* A disk size past the end: the read fails and that is the reason. */
	reported_sectors = SECTORS + 10;
	T_ERR(fat_mount(), "backup GPT at LBA 209 damaged (disk: reading 1 sectors at LBA 209");
	/* Only the backup damaged: the primary is used, nothing else read. */
	fresh();
	disk[(SECTORS - 1) * 512 + 60] ^= 1;
	T_ERR(fat_mount(), "ESP at LBA 40 ");
}

/* A file of 3000 bytes in two 2 KiB clusters: the read writes 3000 bytes
 * into a buffer of exactly that size (ASan catches a write of the whole
 * last cluster), with the right contents. */
static void read_fills_exactly_the_file(void)
{
	memset(disk, 0, sizeof disk);
	memset(&fs, 0, sizeof fs);
	fs.type = 16;
	fs.spc = 4;
	fs.fat_lba = 100;
	fs.fat_sectors = 1;
	fs.data_lba = 120; /* cluster 2 at LBA 120, cluster 3 at 124 */
	fs.clusters = 8;
	fat_cache_first = ~0ull;
	uint8_t *fat = disk + 100 * 512;
	fat[4] = 3;                   /* cluster 2 -> 3 */
	fat[6] = 0xff, fat[7] = 0xff; /* cluster 3: end of chain */
	for (unsigned i = 0; i < 4096; i++)
		disk[120 * 512 + i] = (uint8_t)(i * 13 + 1);
	struct fat_file f = { 2, 3000 };
	uint8_t *dst = malloc(3000);
	T_OK(fat_read(&f, "kernel-x86_64", dst));
	int same = 1;
	for (unsigned i = 0; i < 3000; i++)
		same &= dst[i] == (uint8_t)(i * 13 + 1);
	T_CHECK(same);
	free(dst);
}

int main(void)
{
	T_RUN(read_fills_exactly_the_file);
	T_RUN(intact_uses_primary);
	T_RUN(damaged_header_uses_last_sector);
	T_RUN(damaged_entries_use_alternate_lba);
	T_RUN(both_damaged_one_error);
	T_RUN(backup_checked_like_primary);
	return T_END();
}
