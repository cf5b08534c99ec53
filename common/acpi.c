/* SPDX-License-Identifier: MIT */
/*
 * acpi.c - acpi_rsdp_problem(): the one RSDP validator (acpi.h).  Pure:
 * reads the candidate bytes and formats nothing, so a BIOS scan can try it
 * at every 16-byte step cheaply.  acpi_find_table() and acpi_madt_cpus():
 * the RSDT/XSDT walk and the MADT's CPUs (the SMP request), every address
 * and length bounded (firmware tables are hostile input).
 */
#include "acpi.h"
#include "core.h"

/* Unaligned little-endian loads: one instruction each, where a memcpy of
 * 4 or 8 bytes becomes a string move at -Oz. */
struct acpi_u32 { uint32_t v; } __attribute__((packed, may_alias));
struct acpi_u64 { uint64_t v; } __attribute__((packed, may_alias));
#define RD32(p) (((const struct acpi_u32 *)(const void *)(p))->v)
#define RD64(p) (((const struct acpi_u64 *)(const void *)(p))->v)

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
	uint32_t len = RD32(p + 20);
	if (len < ACPI_RSDP_V2_LEN || len > ACPI_RSDP_MAX_LEN)
		return "bad length";
	if (fw_sum8(p, len))
		return "bad extended checksum";
	return NULL;
}

/* Reads a table header at pa, or refuses it: NULL when it lies (partly)
 * at or above `limit` (not identity-mapped) or its length is not sane. */
static const uint8_t *sdt_at(uint64_t pa, uint64_t limit, uint32_t *len)
{
	if (!pa || pa >= limit || limit - pa < ACPI_SDT_HEADER)
		return NULL;
	const uint8_t *p = (const uint8_t *)(uintptr_t)pa;
	*len = RD32(p + 4);
	if (*len < ACPI_SDT_HEADER || *len > ACPI_SDT_MAX_LEN || limit - pa < *len)
		return NULL;
	return p;
}

uint64_t acpi_find_table(uint64_t rsdp, const char *sig, uint64_t limit, uint32_t *len)
{
	if (!rsdp || rsdp >= limit || limit - rsdp < ACPI_RSDP_V2_LEN)
		return 0;
	const uint8_t *r = (const uint8_t *)(uintptr_t)rsdp;
	uint64_t root = r[15] >= 2 ? RD64(r + 24) : 0;
	uint32_t step = 8, rlen, tlen; /* XSDT: 64-bit entries */
	if (!root) {
		root = RD32(r + 16);
		step = 4;
	}
	const uint8_t *t = sdt_at(root, limit, &rlen);
	for (uint32_t off = ACPI_SDT_HEADER; t && off + step <= rlen; off += step) {
		uint64_t pa = step == 8 ? RD64(t + off) : RD32(t + off);
		const uint8_t *e = sdt_at(pa, limit, &tlen);
		if (e && RD32(e) == RD32(sig)) {
			*len = tlen;
			return pa;
		}
	}
	return 0;
}

uint32_t acpi_madt_cpus(const void *madt, uint64_t avail, struct acpi_cpu *out, uint32_t cap,
			const char **warn)
{
	const uint8_t *t = madt;
	uint32_t len, n = 0;
	*warn = "MADT length out of bounds";
	if (avail < 44 || (len = RD32(t + 4)) < 44 || len > avail)
		return 0;
	*warn = NULL;
	for (uint32_t off = 44; off < len;) {
		const uint8_t *e = t + off;
		if (len - off < 2 || e[1] < 2 || e[1] > len - off) {
			*warn = "MADT entry of bad length";
			break;
		}
		off += e[1];
		uint32_t flags, id, uid;
		if (e[0] == 0 && e[1] >= 8) { /* processor local APIC */
			uid = e[2];
			id = e[3] == 0xff ? ~0u : e[3];
			flags = RD32(e + 4);
		} else if (e[0] == 9 && e[1] >= 16) { /* processor local x2APIC */
			id = RD32(e + 4);
			flags = RD32(e + 8);
			uid = RD32(e + 12);
		} else {
			continue;
		}
		if (!(flags & 3) || id == ~0u) /* neither enabled nor online-capable */
			continue;
		uint32_t i = 0;
		while (i < n && out[i].apic_id != id)
			i++;
		if (i < n)
			continue; /* listed twice (type 0 and 9): once is enough */
		if (n == cap) {
			*warn = "more CPUs than elfboot lists";
			break;
		}
		out[n++] = (struct acpi_cpu){ uid, id };
	}
	return n;
}
