/* SPDX-License-Identifier: MIT */
/*
 * acpi.c - acpi_rsdp_problem(): the one RSDP validator (acpi.h).  Pure:
 * reads the candidate bytes and formats nothing, so a BIOS scan can try it
 * at every 16-byte step cheaply.
 */
#include "acpi.h"
#include "core.h"

uint8_t fw_sum8(const void *p, uint32_t n)
{
	const uint8_t *b = p;
	uint8_t s = 0;
	while (n--)
		s = (uint8_t)(s + *b++);
	return s;
}

const char *acpi_rsdp_problem(const void *rsdp)
{
	const uint8_t *p = rsdp;
	if (memcmp(p, "RSD PTR ", 8) != 0)
		return "bad signature";
	if (fw_sum8(p, ACPI_RSDP_V1_LEN))
		return "bad checksum";
	if (p[15] < 2) /* revision 0: ACPI 1.0, 20 bytes and no more fields */
		return NULL;
	uint32_t len;
	memcpy(&len, p + 20, 4);
	if (len < ACPI_RSDP_V2_LEN || len > ACPI_RSDP_MAX_LEN)
		return "bad length";
	if (fw_sum8(p, len))
		return "bad extended checksum";
	return NULL;
}
