/* SPDX-License-Identifier: MIT */
/*
 * acpi.h - the RSDP check both front ends use on what they found (BIOS:
 * a scan of the EBDA and the ROM area; UEFI: the configuration table), so
 * the kernel gets an RSDP only when it passes the same checks everywhere.
 */
#ifndef ELFBOOT_ACPI_H
#define ELFBOOT_ACPI_H

#include <stdint.h>

/* ACPI 1.0 RSDP: 20 bytes; 2.0+: `length` bytes, at least 36. */
#define ACPI_RSDP_V1_LEN 20
#define ACPI_RSDP_V2_LEN 36
#define ACPI_RSDP_MAX_LEN 4096 /* a sanity bound on the length field */

/* NULL when the RSDP at p is valid: signature "RSD PTR ", the checksum of
 * the first 20 bytes, and for revision >= 2 a length in [36, 4096] and the
 * checksum over that length.  Otherwise a short reason ("bad signature",
 * "bad checksum", "bad extended checksum", "bad length"), for a warning.
 * Reads at most 20 bytes, or `length` for revision >= 2. */
const char *acpi_rsdp_problem(const void *p);

/* The byte sum firmware tables are checked with (0 = valid): ACPI's and
 * SMBIOS's (smbios.h). */
uint8_t fw_sum8(const void *p, uint32_t n);

#endif
