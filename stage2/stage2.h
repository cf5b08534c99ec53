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
/* The boot disk's size in 512-byte sectors (INT 13h AH=48h), 0 if the BIOS
 * does not say: fat.c finds the backup GPT in the last sector. */
uint64_t disk_sectors(void);

/* fat.c */
struct fat_file {
	uint32_t first_cluster;
	uint32_t size;
};
int fat_mount(void);
int fat_lookup(const char *path, struct fat_file *f); /* EB_NOTFOUND if absent */
int fat_read(const struct fat_file *f, const char *name, void *dst);
uint32_t fat_cluster_bytes(void);

/* source_pxe.c: files over TFTP through the PXE ROM (network boot). */
int pxe_init(uint32_t pxenv, uint32_t bang);
int pxe_size(const char *name, uint64_t *bytes); /* EB_NOTFOUND if absent */
int pxe_read(const char *name, void *dst, uint64_t bytes);
const char *pxe_server(void);

#endif
