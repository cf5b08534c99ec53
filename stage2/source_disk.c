/* SPDX-License-Identifier: MIT */
/*
 * source_disk.c - the "disk" file source (source.h) of the BIOS front end:
 * files from the FAT of the EFI System Partition on the boot drive, found
 * through the GPT (fat.c, over INT 13h extensions in main.c).
 * source_disk_open() mounts it; call it once, after the memory map.
 */
#include "core.h"
#include "source.h"
#include "stage2.h"

/* size() then read() of the same file is the usual order: remember the
 * last lookup so the directories are walked once per file. */
static struct {
	char name[64];
	struct fat_file f;
	int valid;
} last;

static int lookup(const char *name, struct fat_file *f)
{
	size_t n = strlen(name);
	if (last.valid && n < sizeof last.name && strcmp(last.name, name) == 0) {
		*f = last.f;
		return EB_OK;
	}
	int st = fat_lookup(name, f);
	if (st != EB_OK)
		return st;
	last.valid = n < sizeof last.name;
	if (last.valid) {
		memcpy(last.name, name, n + 1);
		last.f = *f;
	}
	return EB_OK;
}

static int disk_size(const char *name, uint64_t *bytes)
{
	struct fat_file f;
	int st = lookup(name, &f);
	if (st == EB_OK)
		*bytes = f.size;
	return st;
}

static int disk_read_file(const char *name, void *dst, uint64_t bytes)
{
	struct fat_file f;
	int st = lookup(name, &f);
	if (st == EB_NOTFOUND)
		return eb_error("disk: '%s' vanished between its size and its read", name);
	if (st != EB_OK)
		return st;
	if (f.size != bytes)
		return eb_error("disk: '%s' is %u bytes, not the %lu asked for", name, f.size, bytes);
	return fat_read(&f, name, dst);
}

static const struct file_source disk_source = { "disk", disk_size, disk_read_file };

int source_disk_open(const struct file_source **out)
{
	if (fat_mount())
		return EB_ERR;
	last.valid = 0;
	*out = &disk_source;
	return EB_OK;
}
