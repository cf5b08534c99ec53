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

#include "elfboot.h" /* ELFBOOT_PACKED, ELFBOOT_STATIC_ASSERT, ELFBOOT_OFFSETOF */

#define ISO_BLOCK 2048u

/* Both-byte-order numbers (ECMA-119 7.2.3, 7.3.3): the little-endian copy
 * first; readers use it. */
struct ELFBOOT_PACKED iso_both16 {
	uint16_t le, be;
};
struct ELFBOOT_PACKED iso_both32 {
	uint32_t le, be;
};

#define ISO_DR_DIR   0x02 /* flags: directory */
#define ISO_DR_ASSOC 0x04 /* flags: associated file (hidden, never ours) */
#define ISO_DR_MULTI 0x80 /* flags: more extents follow */

/* A directory record (ECMA-119 9.1); the name follows at +33. */
struct ELFBOOT_PACKED iso_dir_record {
	uint8_t length;              /*  0 the whole record, name and padding included */
	uint8_t ext_attr_length;     /*  1 */
	struct iso_both32 extent;    /*  2 first block */
	struct iso_both32 size;      /* 10 bytes */
	uint8_t date[7];             /* 18 */
	uint8_t flags;               /* 25 ISO_DR_* */
	uint8_t unit_size;           /* 26 interleaving: 0 for contiguous files */
	uint8_t gap_size;            /* 27 */
	struct iso_both16 volume_seq; /* 28 */
	uint8_t name_length;         /* 32 */
};                                   /* 33 */

#define ISO_VD_PRIMARY 1
#define ISO_VD_TERMINATOR 255

/* A volume descriptor's block, as the primary one (ECMA-119 8.4). */
struct ELFBOOT_PACKED iso_pvd {
	uint8_t type;                     /*    0 ISO_VD_* */
	char id[5];                       /*    1 "CD001" */
	uint8_t version;                  /*    6 1 */
	uint8_t unused0;                  /*    7 */
	char system_id[32];               /*    8 */
	char volume_id[32];               /*   40 */
	uint8_t unused1[8];               /*   72 */
	struct iso_both32 volume_blocks;  /*   80 */
	uint8_t unused2[32];              /*   88 */
	struct iso_both16 set_size;       /*  120 */
	struct iso_both16 seq_number;     /*  124 */
	struct iso_both16 block_size;     /*  128 */
	struct iso_both32 path_table_size; /* 132 */
	uint32_t path_tables[4];          /*  140 */
	struct iso_dir_record root;       /*  156 */
	uint8_t root_name;                /*  189 */
	uint8_t rest[1858];               /*  190 */
};                                        /* 2048 */

ELFBOOT_STATIC_ASSERT(sizeof(struct iso_dir_record) == 33, "iso dir record");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct iso_dir_record, size) == 10, "iso dir record");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct iso_dir_record, flags) == 25, "iso dir record");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct iso_dir_record, name_length) == 32, "iso dir record");
ELFBOOT_STATIC_ASSERT(sizeof(struct iso_pvd) == ISO_BLOCK, "iso pvd");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct iso_pvd, volume_blocks) == 80, "iso pvd");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct iso_pvd, block_size) == 128, "iso pvd");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct iso_pvd, root) == 156, "iso pvd");

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
