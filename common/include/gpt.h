/* SPDX-License-Identifier: MIT */
/*
 * gpt.h - the on-disk GUID Partition Table (UEFI spec, chapter 5) and the
 * protective MBR's partition entry, as packed little-endian structs: one
 * definition for the image writer (config-tool/gpt.c) and the BIOS reader
 * (stage2/fat.c).  Readers still bound every field before trusting it.
 */
#ifndef ELFBOOT_GPT_H
#define ELFBOOT_GPT_H

#include <stdint.h>

#include "elfboot.h" /* ELFBOOT_PACKED, ELFBOOT_STATIC_ASSERT, ELFBOOT_OFFSETOF */

#define GPT_SIGNATURE   "EFI PART" /* 8 bytes, no terminator on disk */
#define GPT_REVISION    0x00010000u
#define GPT_HEADER_SIZE 92u        /* the bytes header_crc32 covers */
#define GPT_ENTRIES     128u       /* what elfboot writes (the spec's minimum array) */
#define GPT_ENTRY_SIZE  128u
#define GPT_ENTRY_LBAS  (GPT_ENTRIES * GPT_ENTRY_SIZE / 512u)

/* EFI System Partition type, in the on-disk (mixed-endian) byte order. */
#define GPT_ESP_TYPE_BYTES                                                    \
	{ 0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11,                    \
	  0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b }

struct ELFBOOT_PACKED gpt_header {
	char signature[8];         /*  0 GPT_SIGNATURE */
	uint32_t revision;         /*  8 */
	uint32_t header_size;      /* 12 */
	uint32_t header_crc32;     /* 16 over header_size bytes, this field zero */
	uint32_t reserved;         /* 20 */
	uint64_t my_lba;           /* 24 where this header is */
	uint64_t alternate_lba;    /* 32 the other header */
	uint64_t first_usable_lba; /* 40 */
	uint64_t last_usable_lba;  /* 48 inclusive */
	uint8_t disk_guid[16];     /* 56 */
	uint64_t entries_lba;      /* 72 */
	uint32_t n_entries;        /* 80 */
	uint32_t entry_size;       /* 84 stride of the array */
	uint32_t entries_crc32;    /* 88 over n_entries * entry_size bytes */
};                                 /* 92 */

struct ELFBOOT_PACKED gpt_entry {
	uint8_t type_guid[16];     /*  0 all zero: unused entry */
	uint8_t part_guid[16];     /* 16 */
	uint64_t first_lba;        /* 32 */
	uint64_t last_lba;         /* 40 inclusive */
	uint64_t attributes;       /* 48 */
	uint16_t name[36];         /* 56 UTF-16LE */
};                                 /* 128 */

/* One of the four partition entries of an MBR (at 446, 462, 478, 494). */
struct ELFBOOT_PACKED mbr_partition {
	uint8_t status;            /*  0 0x80: bootable */
	uint8_t chs_first[3];      /*  1 */
	uint8_t type;              /*  4 0xee: GPT protective */
	uint8_t chs_last[3];       /*  5 */
	uint32_t first_lba;        /*  8 */
	uint32_t sectors;          /* 12 */
};                                 /* 16 */
#define MBR_PARTITIONS_OFF 446u
#define MBR_TYPE_GPT_PROTECTIVE 0xeeu

ELFBOOT_STATIC_ASSERT(sizeof(struct gpt_header) == GPT_HEADER_SIZE, "gpt header");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct gpt_header, header_crc32) == 16, "gpt header");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct gpt_header, my_lba) == 24, "gpt header");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct gpt_header, alternate_lba) == 32, "gpt header");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct gpt_header, disk_guid) == 56, "gpt header");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct gpt_header, entries_lba) == 72, "gpt header");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct gpt_header, entries_crc32) == 88, "gpt header");
ELFBOOT_STATIC_ASSERT(sizeof(struct gpt_entry) == GPT_ENTRY_SIZE, "gpt entry");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct gpt_entry, first_lba) == 32, "gpt entry");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct gpt_entry, name) == 56, "gpt entry");
ELFBOOT_STATIC_ASSERT(sizeof(struct mbr_partition) == 16, "mbr partition");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct mbr_partition, first_lba) == 8, "mbr partition");

#endif /* ELFBOOT_GPT_H */
