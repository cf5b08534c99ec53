/* SPDX-License-Identifier: MIT */
/*
 * gpt.c - writes a GPT disk layout: the protective MBR in LBA 0, the primary
 * header in LBA 1 with its 128-entry array in LBAs 2-33, and the backup
 * array and header at the end of the disk, CRC32s per the UEFI spec.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core.h"
#include "tool.h"

/* GUID text (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx) to its mixed-endian bytes. */
void guid_parse(const char *s, uint8_t out[16])
{
	static const int order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };
	uint8_t raw[16];
	int n = 0;
	for (const char *p = s; *p && n < 16; p++) {
		if (*p == '-')
			continue;
		unsigned v;
		sscanf(p, "%2x", &v);
		raw[n++] = (uint8_t)v;
		p++;
	}
	for (int i = 0; i < 16; i++)
		out[i] = raw[order[i]];
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static int pwrite_all(int fd, const void *buf, size_t len, uint64_t off)
{
	const uint8_t *p = buf;
	while (len) {
		ssize_t w = pwrite(fd, p, len, (off_t)off);
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
		off += (uint64_t)w;
	}
	return 0;
}

#define NENTRIES 128
#define ENTRY_SIZE 128

int gpt_write(int fd, uint64_t total, const struct gpt_part *parts, int nparts,
	      int mbr_boot_flag, const uint8_t seed[32])
{
	uint8_t mbr[512] = { 0 };
	uint8_t *pe = mbr + 446;
	pe[0] = mbr_boot_flag ? 0x80 : 0x00; /* some CSMs want 0x80 (FIELD-NOTES) */
	pe[1] = 0x00; pe[2] = 0x02; pe[3] = 0x00; /* CHS 0/0/2 */
	pe[4] = 0xee;
	pe[5] = 0xff; pe[6] = 0xff; pe[7] = 0xff;
	put32(pe + 8, 1);
	put32(pe + 12, total - 1 > 0xffffffffu ? 0xffffffffu : (uint32_t)(total - 1));
	mbr[510] = 0x55;
	mbr[511] = 0xaa;

	static uint8_t entries[NENTRIES * ENTRY_SIZE];
	memset(entries, 0, sizeof entries);
	for (int i = 0; i < nparts; i++) {
		uint8_t *e = entries + i * ENTRY_SIZE;
		memcpy(e, parts[i].type, 16);
		repro_guid(seed, 1 + (unsigned)i, e + 16); /* reproducible: repro.c */
		put64(e + 32, parts[i].first_lba);
		put64(e + 40, parts[i].last_lba);
		for (int k = 0; parts[i].name[k] && k < 36; k++)
			e[56 + 2 * k] = (uint8_t)parts[i].name[k];
	}
	uint32_t ecrc = eb_crc32(entries, sizeof entries);
	uint64_t entry_lbas = NENTRIES * ENTRY_SIZE / 512;
	uint8_t disk_guid[16];
	repro_guid(seed, 0, disk_guid);

	for (int backup = 0; backup < 2; backup++) {
		uint8_t h[512] = { 0 };
		uint64_t my = backup ? total - 1 : 1, alt = backup ? 1 : total - 1;
		uint64_t elba = backup ? total - 1 - entry_lbas : 2;
		memcpy(h, "EFI PART", 8);
		put32(h + 8, 0x00010000);
		put32(h + 12, 92);
		put64(h + 24, my);
		put64(h + 32, alt);
		put64(h + 40, 2 + entry_lbas);             /* first usable */
		put64(h + 48, total - 2 - entry_lbas);     /* last usable */
		memcpy(h + 56, disk_guid, 16);
		put64(h + 72, elba);
		put32(h + 80, NENTRIES);
		put32(h + 84, ENTRY_SIZE);
		put32(h + 88, ecrc);
		put32(h + 16, eb_crc32(h, 92));
		if (pwrite_all(fd, h, 512, my * 512) ||
		    pwrite_all(fd, entries, sizeof entries, elba * 512))
			return -1;
	}
	return pwrite_all(fd, mbr, 512, 0);
}
