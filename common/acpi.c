/* SPDX-License-Identifier: MIT */
/*
 * acpi.c - acpi_rsdp_problem(): the one RSDP validator (acpi.h).  Pure:
 * reads the candidate bytes and formats nothing, so a BIOS scan can try it
 * at every 16-byte step cheaply.
 */
#include "acpi.h"
#include "core.h"

static uint8_t sum(const uint8_t *p, uint32_t n)
{
	uint8_t s = 0;
	for (uint32_t i = 0; i < n; i++)
		s = (uint8_t)(s + p[i]);
	return s;
}

const char *acpi_rsdp_problem(const void *rsdp)
{
	const uint8_t *p = rsdp;
	if (memcmp(p, "RSD PTR ", 8) != 0)
		return "bad signature";
	if (sum(p, ACPI_RSDP_V1_LEN))
		return "bad checksum";
	if (p[15] < 2) /* revision 0: ACPI 1.0, 20 bytes and no more fields */
		return NULL;
	uint32_t len;
	memcpy(&len, p + 20, 4);
	if (len < ACPI_RSDP_V2_LEN || len > ACPI_RSDP_MAX_LEN)
		return "bad length";
	if (sum(p, len))
		return "bad extended checksum";
	return NULL;
}
