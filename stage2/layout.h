/* SPDX-License-Identifier: MIT */
/*
 * layout.h - stage2's own low-memory addresses (page tables, stacks, bounce
 * buffer); the map and the numbers shared with the image tool are in
 * common/include/bios_layout.h.  Plain #defines of numbers only: NASM gets
 * both files as %defines (layout.inc, made by the Makefile).
 */
#ifndef ELFBOOT_STAGE2_LAYOUT_H
#define ELFBOOT_STAGE2_LAYOUT_H
#include "bios_layout.h"
#define PT_BASE           0x1000
#define RM_STACK_TOP      0x7c00
#define LM_STACK_TOP      0x70000
#define BOUNCE_BASE       0x70000
#define BOUNCE_SIZE       0x10000
/* eax from the PXE stage to stage2 ("PXEN"): the boot medium is the network. */
#define PXE_HANDOFF_MAGIC 0x4e455850
#endif
