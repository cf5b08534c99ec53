/* SPDX-License-Identifier: MIT */
/*
 * req_firmware.c - the FIRMWARE request: which firmware booted the kernel,
 * its SMBIOS entry points (checked here, whoever found them), and on UEFI
 * the system table and a copy of the final memory map (docs/PROTOCOL.md).
 */
#include "core.h"
#include "smbios.h"

static uint8_t sum(const uint8_t *p, uint32_t n)
{
	uint8_t s = 0;
	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

int smbios_entry(const void *ep, const char **why)
{
	const uint8_t *p = ep;
	uint32_t len;
	int kind;
	if (!memcmp(p, "_SM3_", 5)) {
		len = p[6];
		kind = 3;
		*why = len < 0x18 || len > SMBIOS_EP_MAX_LEN ? "bad length" : 0;
	} else if (!memcmp(p, "_SM_", 4)) {
		/* 0x1e: the SMBIOS 2.1 spec's own misprint, still in firmware
		 * (Linux accepts it too); the structure is 0x1f bytes either way. */
		len = p[5];
		kind = 2;
		*why = len != 0x1e && len != 0x1f ? "bad length"
		       : memcmp(p + 16, "_DMI_", 5) ? "bad _DMI_ anchor"
		       : sum(p + 16, 15) ? "bad _DMI_ checksum" : 0;
	} else {
		return 0;
	}
	if (!*why && sum(p, len))
		*why = "bad checksum";
	return *why ? -1 : kind;
}

void smbios_find(uint64_t lo, uint64_t hi, uint64_t *ep32, uint64_t *ep64)
{
	/* lo 0: the firmware offered no table (address 0 is never one). */
	for (uint64_t a = lo; a && a < hi; a += 16) {
		const char *why;
		int k = smbios_entry((const void *)(uintptr_t)a, &why);
		if (k < 0)
			eb_log(EB_LOG_WARN, "elfboot: warning: SMBIOS entry point at 0x%lx: %s; "
			       "ignoring it\r\n", a, why);
		uint64_t *slot = k == 2 ? ep32 : ep64;
		if (k > 0 && !*slot)
			*slot = a;
	}
}
