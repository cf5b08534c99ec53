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
#include "gpt.h"
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

int gpt_write(int fd, uint64_t total, const struct gpt_part *parts, int nparts,
	      int mbr_boot_flag, const uint8_t seed[32])
{
	uint8_t mbr[512] = { 0 };
	struct mbr_partition pe = {
		.status = mbr_boot_flag ? 0x80 : 0x00, /* some CSMs want 0x80 (FIELD-NOTES) */
		.chs_first = { 0x00, 0x02, 0x00 },     /* CHS 0/0/2 */
		.type = MBR_TYPE_GPT_PROTECTIVE,
		.chs_last = { 0xff, 0xff, 0xff },
		.first_lba = 1,
		.sectors = total - 1 > 0xffffffffu ? 0xffffffffu : (uint32_t)(total - 1),
	};
	memcpy(mbr + MBR_PARTITIONS_OFF, &pe, sizeof pe);
	mbr[510] = 0x55;
	mbr[511] = 0xaa;

	static struct gpt_entry entries[GPT_ENTRIES];
	memset(entries, 0, sizeof entries);
	for (int i = 0; i < nparts; i++) {
		struct gpt_entry *e = &entries[i];
		memcpy(e->type_guid, parts[i].type, 16);
		repro_guid(seed, 1 + (unsigned)i, e->part_guid); /* reproducible: repro.c */
		e->first_lba = parts[i].first_lba;
		e->last_lba = parts[i].last_lba;
		for (int k = 0; parts[i].name[k] && k < 36; k++)
			e->name[k] = (uint8_t)parts[i].name[k];
	}
	uint32_t ecrc = eb_crc32(entries, sizeof entries);
	uint64_t entry_lbas = GPT_ENTRY_LBAS;
	uint8_t disk_guid[16];
	repro_guid(seed, 0, disk_guid);

	for (int backup = 0; backup < 2; backup++) {
		uint8_t sector[512] = { 0 };
		uint64_t my = backup ? total - 1 : 1, alt = backup ? 1 : total - 1;
		uint64_t elba = backup ? total - 1 - entry_lbas : 2;
		struct gpt_header h = {
			.revision = GPT_REVISION,
			.header_size = GPT_HEADER_SIZE,
			.my_lba = my,
			.alternate_lba = alt,
			.first_usable_lba = 2 + entry_lbas,
			.last_usable_lba = total - 2 - entry_lbas,
			.entries_lba = elba,
			.n_entries = GPT_ENTRIES,
			.entry_size = GPT_ENTRY_SIZE,
			.entries_crc32 = ecrc,
		};
		memcpy(h.signature, GPT_SIGNATURE, sizeof h.signature);
		memcpy(h.disk_guid, disk_guid, 16);
		h.header_crc32 = eb_crc32(&h, sizeof h);
		memcpy(sector, &h, sizeof h);
		if (pwrite_all(fd, sector, 512, my * 512) ||
		    pwrite_all(fd, entries, sizeof entries, elba * 512))
			return -1;
	}
	return pwrite_all(fd, mbr, 512, 0);
}
