/* SPDX-License-Identifier: MIT */
/*
 * sim.h - the loader's whole load (common/load.c) run on the host over a
 * simulated machine, for `config check`, `image` and fuzz targets.  Cheap to
 * call repeatedly: the address space is reserved once and each call gives
 * back only the pages it touched.  Not thread-safe (one simulated machine).
 */
#ifndef ELFBOOT_SIM_H
#define ELFBOOT_SIM_H

#include <stdint.h>

#include "elfboot.h"

/*
 * Simulated physical RAM is host memory at the same addresses (the core
 * writes through physical addresses), in two spans that are free in a plain
 * PIE process and under ASan/libFuzzer alike:
 *  - low RAM at 1 GiB, below ASan's low shadow (0x7fff8000), in every
 *    simulation: a small load fits here entirely, and the identity-mapped
 *    hand-off page lands here,
 *    in level-4 slot 0 where no Dynamic mapping goes (as on a real machine);
 *  - high RAM at 32 TiB, above ASan's high shadow (ends 0x10007fff8000) and
 *    below PIE binaries (0x55...) and ASan's allocator (0x5000...), used only
 *    when the load needs more: up to SIM_RAM_MAX, the largest simulated
 *    machine.  The kernel and ramdisk files then sit at its start.
 */
#define SIM_LOW_BASE 0x40000000ull
#define SIM_LOW_SIZE 0x3fe00000ull /* 1022 MiB */
#define SIM_RAM_BASE 0x200000000000ull
#define SIM_RAM_MAX (32ull << 40)  /* 32 TiB, up to 0x400000000000 */

struct sim_opts {
	uint64_t ram_size;     /* bytes of RAM; 0: sized by the load's need */
	uint64_t ramdisk_size; /* 0: no ramdisk (its contents are never read) */
	int no_framebuffer;    /* 0: a 1024x768 BGR framebuffer at 0xfd000000 */
	uint64_t seed;         /* ASLR entropy; 0 picks a fixed one */
};

#define SIM_OK 0
#define SIM_BOOT_FAIL 1  /* the loader would stop at boot; error says why */
#define SIM_NO_RAM 2     /* needs more RAM than SIM_RAM_MAX; ram_size says how much */
#define SIM_HOST_FAIL -1 /* the host could not reserve the address space */

#define SIM_MAX_REGIONS 512

struct sim_result {
	char error[256];       /* one line, for SIM_BOOT_FAIL / SIM_HOST_FAIL */
	uint64_t ram_size;     /* RAM of the simulated machine (or needed, SIM_NO_RAM) */
	uint64_t allocated;    /* bytes of frames the loader allocated (only the
	                          pages it wrote were ever resident) */
	/* What the kernel would get (valid for SIM_OK). */
	uint64_t entry, stack_top, boot_info_va, cr3, trampoline;
	uint64_t image_lo, image_hi; /* virtual span of the loaded image */
	uint64_t tables;             /* page-table frames */
	struct elfboot_boot_info bi; /* memory_regions points into the kernel's
	                                address space; the copy is below */
	uint32_t nregions;           /* number of entries copied */
	struct elfboot_memory_region regions[SIM_MAX_REGIONS];
	/* .elfboot-requests: what the loader wrote into each record's slot
	 * (0: unanswered) and the response area after BootInfo. */
	uint32_t nreq;
	uint64_t req_response[64]; /* REQ_MAX */
	uint64_t req_va, req_used;
};

/* Runs kernel_check and the whole load of kernel[0..size) on the simulated
 * machine.  Returns SIM_OK, SIM_BOOT_FAIL, SIM_NO_RAM or SIM_HOST_FAIL; out
 * is always filled.  The simulated memory is clean again on return. */
int sim_load(const uint8_t *kernel, uint64_t size, const struct sim_opts *o,
	     struct sim_result *out);

/* Unmaps the reserved address space (the next sim_load reserves it again). */
void sim_release(void);

#endif
