/* SPDX-License-Identifier: MIT */
/*
 * iso9660.h - a small reader for ISO 9660 volumes (CDs and hybrid ISO images
 * written to disks), over a caller's block-read callback.  Only files in the
 * root directory, found by their primary-volume names; every field read from
 * the medium is checked before use (the medium is hostile input).
 */
#ifndef ELFBOOT_ISO9660_H
#define ELFBOOT_ISO9660_H

#include <stdint.h>

#define ISO_BLOCK 2048u

/* The medium, in 2048-byte logical blocks whatever its sector size. */
struct iso_dev {
	void *ctx;
	/* Reads `count` blocks at block `lba` into dst; EB_OK or EB_ERR
	 * (with the front end's message). */
	int (*read)(void *ctx, uint64_t lba, uint64_t count, void *dst);
	uint64_t blocks; /* the medium's size in blocks, 0 if unknown */
};

struct iso_vol {
	struct iso_dev dev;
	uint32_t vol_blocks;  /* volume space size from the PVD */
	uint32_t root_lba, root_size;
	uint8_t buf[ISO_BLOCK]; /* one block: descriptors, directories, tails */
};

struct iso_file {
	uint32_t lba;  /* first block of the (single, contiguous) extent */
	uint32_t size; /* bytes */
};

/* Finds the primary volume descriptor.  EB_NOTFOUND if the medium holds no
 * ISO 9660 volume at all, EB_ERR if it holds a broken one. */
int iso_mount(struct iso_vol *v, const struct iso_dev *dev);

/* Looks `name` up in the root directory.  A name matches a record's name
 * ignoring ASCII case, a ";N" version and a trailing '.' (so "kernel-x86_64"
 * also finds "KERNEL-X86_64.;1").  EB_NOTFOUND if absent; EB_ERR for a
 * directory, a file in several extents, or an extent past the volume. */
int iso_lookup(struct iso_vol *v, const char *name, struct iso_file *f);

/* Reads the whole file to dst, which holds f->size bytes (no more): the
 * whole blocks in one request, the tail through v->buf. */
int iso_read(struct iso_vol *v, const struct iso_file *f, void *dst);

/* The size and read halves of a file source (source.h) over a mounted
 * volume, for the front ends' CD sources; `medium` names it in errors. */
int iso_source_size(struct iso_vol *v, const char *name, uint64_t *bytes);
int iso_source_read(struct iso_vol *v, const char *medium, const char *name, void *dst,
		    uint64_t bytes);

#endif
