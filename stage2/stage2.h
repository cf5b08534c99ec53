/* SPDX-License-Identifier: MIT */
/* stage2.h - interfaces inside the BIOS front end (stage2/). */
#ifndef ELFBOOT_STAGE2_H
#define ELFBOOT_STAGE2_H

#include <stdint.h>

#include "layout.h"

/* Registers in and out of a real-mode software interrupt (entry.asm). */
struct bios_regs {
	uint32_t eax, ebx, ecx, edx, esi, edi, ebp, eflags;
	uint16_t ds, es;
} __attribute__((packed));

#define EFLAGS_CF 1u

/* Runs `int n` in real mode; CF is preset (set) so a BIOS that ignores a
 * call reads as a failure, as Linux's intcall does. */
void bios_int(uint8_t n, struct bios_regs *r);

/* Far-calls segment:offset in real mode (the PXE API), with the n words of
 * args pushed first (args[0] nearest the return address); CF preset. */
void bios_far(uint32_t segoff, const uint16_t *args, unsigned n, struct bios_regs *r);

/* Low memory (< 64 KiB) for BIOS call buffers. */
extern uint8_t bios_scratch[1024];

/* Reads `count` sectors at `lba` into dst (anywhere in identity-mapped RAM):
 * 64 KiB INT 13h transfers into the bounce buffer, one copy each. */
int disk_read(uint64_t lba, uint64_t count, void *dst);
/* The same for `bytes` from `lba` on: whole sectors are read, but only
 * `bytes` are written at dst (the end of a file, source.h). */
int disk_read_bytes(uint64_t lba, uint64_t bytes, void *dst);
/* The boot disk's size in 512-byte sectors (INT 13h AH=48h), 0 if the BIOS
 * does not say: fat.c finds the backup GPT in the last sector. */
uint64_t disk_sectors(void);
/* INT 13h AH=48h: the drive's size in its own sectors (0 if unknown) and
 * *bps, its sector size (2048 on a CD; 0 if the BIOS does not say). */
uint64_t disk_geometry(uint32_t *bps);
/* Makes disk_read_bytes() count `lba` in sectors of `bytes` (2048 on a CD). */
void disk_use_sector_bytes(uint32_t bytes);

/* fat.c */
struct fat_file {
	uint32_t first_cluster;
	uint32_t size;
};
int fat_mount(void);
int fat_lookup(const char *path, struct fat_file *f); /* EB_NOTFOUND if absent */
/* Fills exactly f->size bytes at dst, after checking the whole chain. */
int fat_read(const struct fat_file *f, const char *name, void *dst);

/* source_disk.c: mounts the boot disk's ESP and hands out its source. */
struct file_source;
int source_disk_open(const struct file_source **out);
/* source_cd.c: an ISO 9660 volume on the boot drive (a CD, or an ISO image
 * written to a disk); EB_NOTFOUND when the drive holds none. */
int source_cd_open(const struct file_source **out);

/* source_pxe.c: files over TFTP through the PXE ROM (network boot), given
 * the PXENV+ and !PXE pointers (segment:offset) the PXE stage passed. */
int source_pxe_open(uint32_t pxenv, uint32_t bang, const struct file_source **out);
/* "on TFTP server 10.0.2.2", for the loader's "not found" line. */
const char *source_pxe_place(void);
/* Stops the NIC (PXENV_UNDI_SHUTDOWN) before the kernel runs; no PXE call
 * works after it. */
void source_pxe_shutdown(void);

#endif
