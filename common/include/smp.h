/* SPDX-License-Identifier: MIT */
/*
 * smp.h - the SMP request's internals (req_smp.c, smp_start.c, smp.asm):
 * the layout the AP start-up code shares with the C that fills it.  The
 * MADT walk is acpi_madt_cpus (acpi.h), pure over memory for the tests.
 */
#ifndef ELFBOOT_SMP_H
#define ELFBOOT_SMP_H

#include <stdint.h>

/* A documented bound: more CPUs than this are left out, with a warning. */
#define SMP_MAX_CPUS 256

/* The AP start-up page (below 1 MiB, the SIPI vector page): smp.asm's
 * blob, then at SMP_DATA_OFF the block below, filled per AP (smp.asm uses
 * the same offsets).  The next page holds a copy of the kernel's PML4: the
 * 32-bit CR3 an AP loads first must lie below 4 GiB. */
#define SMP_DATA_OFF 0xf00
struct smp_ap_data {
	uint32_t temp_cr3;   /* +0x00 the PML4 copy */
	uint32_t x2apic;     /* +0x04 1: switch the AP's LAPIC to x2APIC mode */
	uint64_t kernel_cr3; /* +0x08 */
	uint64_t park;       /* +0x10 the parking page (identity-mapped) */
	uint64_t record;     /* +0x18 this AP's struct elfboot_smp_cpu (VA) */
	uint64_t stack_top;  /* +0x20 */
};

/* smp_start.c (firmware builds): starts the APs of the response at
 * `response` (physical) through the pages req_smp.c prepared; marks each
 * record parked or failed.  tsc_hz: load_input's (0 unknown).  The type
 * of load_input.smp_start. */
int smp_start(void *response, uint32_t flags, uint64_t cr3, uint64_t low, uint64_t park,
	      uint64_t tsc_hz);

extern const uint8_t eb_smp_ap_start[] __attribute__((visibility("hidden")));
extern const uint8_t eb_smp_ap_end[] __attribute__((visibility("hidden")));

#endif
