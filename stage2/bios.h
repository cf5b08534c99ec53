/* SPDX-License-Identifier: MIT */
/*
 * bios.h - the records BIOS calls fill in or read (E820 entries, the INT 13h
 * disk address packet and drive parameters, VBE controller and mode info), as
 * packed little-endian structs with their sizes and key offsets pinned by
 * static asserts.  The BIOS writes them: readers still check every field.
 */
#ifndef ELFBOOT_STAGE2_BIOS_H
#define ELFBOOT_STAGE2_BIOS_H

#include <stdint.h>

#include "elfboot.h" /* ELFBOOT_PACKED, ELFBOOT_STATIC_ASSERT, ELFBOOT_OFFSETOF */

/* A real-mode segment:offset as a linear address: segment * 16 + offset
 * (the two overlap in bits 4-15, so they add, not OR). */
static inline uint32_t rm_linear(uint16_t seg, uint16_t off)
{
	return ((uint32_t)seg << 4) + off;
}

/* INT 15h AX=E820h: one entry.  BIOSes before ACPI 3.0 return only the
 * first 20 bytes (ecx says how many). */
struct ELFBOOT_PACKED e820_entry {
	uint64_t base;  /*  0 */
	uint64_t len;   /*  8 */
	uint32_t type;  /* 16 1 = usable RAM */
	uint32_t attr;  /* 20 ACPI 3.0 extended attributes, bit 0: valid */
};                      /* 24 */
#define E820_SMAP 0x534d4150u /* 'SMAP', in edx and back in eax */
#define E820_ATTR_VALID 1u

/* INT 13h AH=42h: the disk address packet. */
struct ELFBOOT_PACKED int13_dap {
	uint8_t size;      /*  0 16 */
	uint8_t reserved;  /*  1 */
	uint16_t count;    /*  2 sectors asked; the BIOS writes back how many it read */
	uint16_t buf_off;  /*  4 real-mode buffer, offset */
	uint16_t buf_seg;  /*  6 and segment */
	uint64_t lba;      /*  8 */
};                         /* 16 */

/* INT 13h AH=48h: drive parameters, the EDD 1.x part (26 bytes) elfboot asks
 * for; `size` is both the buffer's size in and the result's length out. */
struct ELFBOOT_PACKED int13_drive_params {
	uint16_t size;              /*  0 */
	uint16_t flags;             /*  2 */
	uint32_t cylinders;         /*  4 */
	uint32_t heads;             /*  8 */
	uint32_t sectors_per_track; /* 12 */
	uint64_t sectors;           /* 16 total, in the drive's own sectors */
	uint16_t bytes_per_sector;  /* 24 */
};                                  /* 26 */

/* INT 10h AX=4F00h: VBE controller information ("VBE2" in, "VESA" out). */
struct ELFBOOT_PACKED vbe_info {
	char signature[4];       /*   0 */
	uint16_t version;        /*   4 BCD, 0x0300 = VBE 3.0 */
	uint32_t oem_string;     /*   6 real-mode far pointer */
	uint32_t capabilities;   /*  10 */
	uint16_t modes_off;      /*  14 mode list (u16 ids, 0xffff ends it), offset */
	uint16_t modes_seg;      /*  16 and segment */
	uint16_t total_memory;   /*  18 64 KiB blocks */
	uint8_t rest[492];       /*  20 VBE 2.0 OEM fields, reserved, OEM data */
};                               /* 512 */

/* INT 10h AX=4F01h: one mode's information. */
struct ELFBOOT_PACKED vbe_mode_info {
	uint16_t attributes;        /*   0 VBE_MODE_* */
	uint8_t window[14];         /*   2 banked windows (unused) */
	uint16_t pitch;             /*  16 bytes per line (banked) */
	uint16_t width;             /*  18 */
	uint16_t height;            /*  20 */
	uint8_t char_w, char_h;     /*  22 */
	uint8_t planes;             /*  24 */
	uint8_t bpp;                /*  25 */
	uint8_t banks;              /*  26 */
	uint8_t memory_model;       /*  27 VBE_MODEL_* */
	uint8_t bank_size;          /*  28 */
	uint8_t image_pages;        /*  29 */
	uint8_t reserved0;          /*  30 */
	struct {
		uint8_t size, pos;  /*  31 red, 33 green, 35 blue, 37 reserved */
	} channel[4];
	uint8_t direct_color_info;  /*  39 */
	uint32_t framebuffer;       /*  40 physical address (VBE 2.0+) */
	uint32_t reserved1;         /*  44 */
	uint16_t reserved2;         /*  48 */
	uint16_t linear_pitch;      /*  50 bytes per line in linear modes (VBE 3.0+) */
	uint8_t rest[204];          /*  52 */
};                                  /* 256 */
#define VBE_MODE_SUPPORTED 0x01u
#define VBE_MODE_GRAPHICS  0x10u
#define VBE_MODE_LINEAR    0x80u
#define VBE_MODEL_DIRECT   6u /* direct colour: channel sizes/positions valid */

ELFBOOT_STATIC_ASSERT(sizeof(struct e820_entry) == 24, "e820");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct e820_entry, attr) == 20, "e820");
ELFBOOT_STATIC_ASSERT(sizeof(struct int13_dap) == 16, "dap");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct int13_dap, count) == 2, "dap");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct int13_dap, lba) == 8, "dap");
ELFBOOT_STATIC_ASSERT(sizeof(struct int13_drive_params) == 0x1a, "edd 1.x");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct int13_drive_params, sectors) == 16, "edd");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct int13_drive_params, bytes_per_sector) == 24, "edd");
ELFBOOT_STATIC_ASSERT(sizeof(struct vbe_info) == 512, "vbe info");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct vbe_info, modes_off) == 14, "vbe info");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct vbe_info, total_memory) == 18, "vbe info");
ELFBOOT_STATIC_ASSERT(sizeof(struct vbe_mode_info) == 256, "vbe mode info");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct vbe_mode_info, pitch) == 16, "vbe mode info");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct vbe_mode_info, width) == 18, "vbe mode info");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct vbe_mode_info, bpp) == 25, "vbe mode info");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct vbe_mode_info, memory_model) == 27, "vbe mode info");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct vbe_mode_info, channel) == 31, "vbe mode info");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct vbe_mode_info, framebuffer) == 40, "vbe mode info");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct vbe_mode_info, linear_pitch) == 50, "vbe mode info");

#endif /* ELFBOOT_STAGE2_BIOS_H */
