/* SPDX-License-Identifier: MIT */
/*
 * bios_layout.h - the BIOS path's low-memory map and the numbers the image
 * tool shares with stage1/stage2 (load addresses, size limit, magics, patch
 * offsets).  Plain #defines of numbers only: the Makefile turns this file and
 * stage2/layout.h (stage2's own addresses) into NASM %defines (layout.inc).
 *
 *   0x00000-0x004ff  IVT, BDA (firmware)
 *   0x01000-0x06fff  stage2's identity page tables (PML4, PDPT, 4 PDs: 4 GiB)
 *   0x07000-0x07bff  real-mode stack (BIOS calls), grows down from 0x7c00
 *   0x07c00-0x07dff  stage1 (the MBR); on a network boot 0x07c00-0x07fff
 *                    is the PXE stage (stage1/pxe.asm), the PXE ROM having
 *                    loaded the whole network boot program (PXE stage +
 *                    stage2) at 0x7c00, so stage2 lands at 0x8000 as from disk
 *   0x08000-0x5ffff  stage2 image (at most 352 KiB), then its .bss
 *   0x60000-0x6ffff  64-bit stack, grows down from 0x70000
 *   0x70000-0x7ffff  disk bounce buffer: one 64 KiB INT 13h transfer, 64 KiB
 *                    aligned so no transfer crosses a DMA boundary; once the
 *                    BIOS is left, 0x70000-0x71fff holds the SMP request's
 *                    AP start-up page and PML4 copy (plat_smp_low)
 *   0x80000-0x9ffff  left alone: the EBDA may start here
 */
#ifndef ELFBOOT_LOWMEM_LAYOUT_H
#define ELFBOOT_LOWMEM_LAYOUT_H
#define STAGE1_BASE       0x7c00
#define STAGE2_BASE       0x8000
#define STAGE2_LIMIT      0x60000
#define STAGE2_MAGIC      0x32534245
#define PXE_STAGE_SIZE    0x400
/* Offsets in stage1 the image tool patches (checked against markers). */
#define STAGE1_PATCH_OFF  0x1a0
#define STAGE1_PATCH_MARK 0x4b4c4245
#endif
