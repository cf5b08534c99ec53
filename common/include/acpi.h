/* SPDX-License-Identifier: MIT */
/*
 * acpi.h - the RSDP check both front ends use on what they found (BIOS:
 * a scan of the EBDA and the ROM area; UEFI: the configuration table), so
 * the kernel gets an RSDP only when it passes the same checks everywhere;
 * and the table walk behind it (the SMP request's MADT).
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
#define ACPI_SDT_HEADER 36
#define ACPI_SDT_MAX_LEN (1u << 20) /* a sanity bound on a table's length */

/* The physical address of the table with signature `sig` (4 bytes) that
 * the valid RSDP at `rsdp` lists (XSDT for revision >= 2, else RSDT), and
 * its length in *len; 0 if absent.  Only addresses below `limit` (the
 * identity-mapped range) are read; a table whose length is below 36, above
 * ACPI_SDT_MAX_LEN or reaches past `limit` is skipped. */
uint64_t acpi_find_table(uint64_t rsdp, const char *sig, uint64_t limit, uint32_t *len);

struct acpi_cpu {
	uint32_t uid;     /* ACPI processor UID */
	uint32_t apic_id; /* LAPIC or x2APIC ID */
};

/* Lists the enabled or online-capable CPUs of the MADT at `madt`, which
 * the caller may read for `avail` bytes (the table's own length field is
 * checked against it).  Type 0 (LAPIC) and 9 (x2APIC) entries; an APIC ID
 * listed twice counts once; at most `cap` CPUs.  Returns the count; *warn
 * is NULL or why the walk stopped early (an entry of length 0 or past the
 * end, more than `cap` CPUs): the CPUs found before it are still returned. */
uint32_t acpi_madt_cpus(const void *madt, uint64_t avail, struct acpi_cpu *out, uint32_t cap,
			const char **warn);

#endif
