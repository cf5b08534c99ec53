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

/* The AP start-up page (below 1 MiB, the SIPI vector page): code from
 * eb_smp_ap_start, then at SMP_DATA_OFF the block below (smp.asm uses the
 * same offsets).  The next page holds a copy of the kernel's PML4: the
 * 32-bit CR3 an AP loads first must lie below 4 GiB. */
#define SMP_DATA_OFF 0xf00
struct smp_ap_data {
	uint64_t gdt[4];      /* +0x00 null, 0x08 code64, 0x10 data, 0x18 unused */
	uint16_t gdt_limit;   /* +0x20 lgdt operand (32-bit base: below 1 MiB) */
	uint32_t gdt_base;    /* +0x22 */
	uint16_t _pad0;       /* +0x26 */
	uint32_t jump_off;    /* +0x28 far pointer to the 64-bit part */
	uint16_t jump_sel;    /* +0x2c 0x08 */
	uint16_t _pad1;       /* +0x2e */
	uint32_t temp_cr3;    /* +0x30 the PML4 copy */
	uint32_t x2apic;      /* +0x34 1: switch the AP's LAPIC to x2APIC mode */
	uint64_t kernel_cr3;  /* +0x38 */
	uint64_t park;        /* +0x40 the parking code (identity-mapped) */
	uint64_t record;      /* +0x48 this AP's struct elfboot_smp_cpu (VA) */
	uint64_t stack_top;   /* +0x50 */
} __attribute__((packed)); /* the lgdt operand is 6 bytes at +0x20 */
_Static_assert(__builtin_offsetof(struct smp_ap_data, temp_cr3) == 0x30, "smp.asm offsets");
_Static_assert(sizeof(struct smp_ap_data) == 0x58, "smp.asm offsets");

/* Offsets in the parking page (like the hand-off page's). */
#define SMP_PARK_GDTR_OFF 0x7f0
#define SMP_PARK_GDT_OFF 0x800

/* smp_start.c (firmware builds): starts the APs of the response at
 * `response` (physical) through the pages req_smp.c prepared; marks each
 * record parked or failed.  The type of load_input.smp_start. */
int smp_start(void *response, uint32_t flags, uint64_t cr3, uint64_t low, uint64_t park);

extern const uint8_t eb_smp_ap_start[] __attribute__((visibility("hidden")));
extern const uint8_t eb_smp_ap_end[] __attribute__((visibility("hidden")));
extern const uint8_t eb_smp_ap_long[] __attribute__((visibility("hidden")));
extern const uint8_t eb_smp_park_start[] __attribute__((visibility("hidden")));
extern const uint8_t eb_smp_park_end[] __attribute__((visibility("hidden")));

#endif
