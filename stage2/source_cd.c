/* SPDX-License-Identifier: MIT */
/*
 * source_cd.c - the "cd" file source (source.h) of the BIOS front end: files
 * from the ISO 9660 volume on the boot drive (common/iso9660.c), read with
 * INT 13h extensions in the drive's own sectors: 2048 bytes on a CD booted
 * through El Torito, 512 on the same ISO written to a disk or USB stick.
 * source_cd_open() probes; call it once, after the memory map.
 */
#include "core.h"
#include "iso9660.h"
#include "source.h"
#include "stage2.h"

static struct iso_vol vol;
static uint32_t per_block; /* drive sectors per 2048-byte ISO block: 1 or 4 */
static const char *medium;

/* One request for the whole run: disk_read_bytes splits it into 64 KiB
 * INT 13h transfers, so a file is one stream of large reads. */
static int blocks_read(void *ctx, uint64_t lba, uint64_t count, void *dst)
{
	(void)ctx;
	return disk_read_bytes(lba * per_block, count * ISO_BLOCK, dst);
}

static int cd_size(const char *name, uint64_t *bytes)
{
	return iso_source_size(&vol, name, bytes);
}

static int cd_read(const char *name, void *dst, uint64_t bytes)
{
	return iso_source_read(&vol, medium, name, dst, bytes);
}

static struct file_source cd_source = { "cd", cd_size, cd_read };

int source_cd_open(const struct file_source **out)
{
	uint32_t bps = 0;
	uint64_t sectors = disk_geometry(&bps);
	if (bps == ISO_BLOCK) {
		per_block = 1;
		medium = "cd";
	} else if (bps == 512 || bps == 0) {
		/* A disk: an ISO image written to it (isohybrid) has its
		 * volume descriptors at byte 32 KiB, where an elfboot GPT image
		 * has stage2 and others have nothing of the kind. */
		per_block = 4;
		medium = "iso9660 on disk";
	} else {
		return EB_NOTFOUND;
	}
	disk_use_sector_bytes(bps == ISO_BLOCK ? ISO_BLOCK : 512);
	struct iso_dev dev = { NULL, blocks_read, sectors / per_block };
	int st = iso_mount(&vol, &dev);
	if (st != EB_OK) {
		disk_use_sector_bytes(512);
		if (st == EB_NOTFOUND && per_block == 1)
			return eb_error("cd: the boot CD holds no ISO 9660 volume");
		return st;
	}
	cd_source.medium = medium;
	*out = &cd_source;
	return EB_OK;
}
