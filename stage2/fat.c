/* SPDX-License-Identifier: MIT */
/*
 * fat.c - finds the EFI System Partition through the GPT (header and entry
 * CRCs checked; the backup GPT if the primary is damaged) and reads files
 * from its FAT12/16/32 file system: paths with subdirectories, long file
 * names (ASCII), cluster chains checked against the FAT's size, the file's
 * size, and for loops.  Contiguous clusters are merged into one disk
 * request.  The disk is hostile input: every field that steers a read is
 * bounded first.
 */
#include "core.h"
#include "gpt.h"
#include "stage2.h"

static const uint8_t esp_guid[16] = GPT_ESP_TYPE_BYTES;

static struct {
	uint64_t part_lba, part_sectors;
	unsigned type; /* 12, 16, 32 */
	uint32_t spc, reserved, nfats, fat_sectors, root_entries, root_cluster;
	uint64_t fat_lba, root_lba, data_lba;
	uint32_t root_sectors, clusters;
} fs;

static uint8_t sector[512];
static uint8_t gpt_entries[GPT_ENTRIES * GPT_ENTRY_SIZE];
static uint8_t fat_cache[64 * 512];
static uint64_t fat_cache_first = ~0ull;
static uint8_t dir_buf[64 * 1024];

static uint16_t r16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t r32(const uint8_t *p) { return (uint32_t)r16(p) | (uint32_t)r16(p + 2) << 16; }

/* One GPT header, checked the way the UEFI spec asks (signature, header
 * size, header CRC, MyLBA, entry array CRC).  On success gpt_entries holds
 * its entry array.  On failure the reason is in eb_last_error() (short, no
 * location: the caller composes it) and *alt is the header's AlternateLBA
 * when the header itself passed its checks, else 0. */
static int gpt_load(uint64_t lba, uint32_t *n_out, uint32_t *esz_out, uint64_t *alt)
{
	*alt = 0;
	if (disk_read(lba, 1, sector))
		return EB_ERR;
	const struct gpt_header *gh = (const struct gpt_header *)sector;
	if (memcmp(gh->signature, GPT_SIGNATURE, sizeof gh->signature) != 0)
		return eb_error("header signature missing");
	uint32_t hsize = gh->header_size, hcrc = gh->header_crc32;
	if (hsize < GPT_HEADER_SIZE || hsize > 512)
		return eb_error("header size %u is invalid", hsize);
	uint8_t h[512];
	memcpy(h, sector, 512);
	((struct gpt_header *)h)->header_crc32 = 0;
	if (eb_crc32(h, hsize) != hcrc)
		return eb_error("header CRC mismatch, stored 0x%x", hcrc);
	if (gh->my_lba != lba)
		return eb_error("header says it is at LBA %lu", gh->my_lba);
	*alt = gh->alternate_lba;
	uint64_t elba = gh->entries_lba;
	uint32_t n = gh->n_entries, esz = gh->entry_size, ecrc = gh->entries_crc32;
	if (esz < GPT_ENTRY_SIZE || esz > 512 || (esz & 7) || (uint64_t)n * esz > sizeof gpt_entries)
		return eb_error("entry array of %u x %u bytes is unsupported", n, esz);
	uint32_t bytes = n * esz;
	if (disk_read(elba, (bytes + 511) / 512, gpt_entries))
		return EB_ERR;
	if (eb_crc32(gpt_entries, bytes) != ecrc)
		return eb_error("entry array CRC mismatch, stored 0x%x", ecrc);
	*n_out = n;
	*esz_out = esz;
	return EB_OK;
}

/* The primary GPT, or the backup when the primary is damaged (as UEFI
 * firmware does: a disk whose LBA 1 was overwritten still boots). */
static int gpt_open(uint32_t *n, uint32_t *esz)
{
	uint64_t alt;
	if (gpt_load(1, n, esz, &alt) == EB_OK)
		return EB_OK;
	char primary[128];
	eb_snprintf(primary, sizeof primary, "%s", eb_last_error());
	/* A sane primary header names the backup; otherwise the backup sits
	 * in the disk's last sector. */
	uint64_t backup = alt;
	if (!backup) {
		uint64_t sectors = disk_sectors();
		if (sectors < 3)
			return eb_error("disk: primary GPT damaged (%s); the disk size is unknown, so "
					"the backup GPT cannot be found", primary);
		backup = sectors - 1;
	}
	if (backup < 2)
		return eb_error("disk: primary GPT damaged (%s); its backup LBA %lu is invalid",
				primary, backup);
	if (gpt_load(backup, n, esz, &alt) != EB_OK)
		return eb_error("disk: primary GPT damaged (%s) and backup GPT at LBA %lu damaged "
				"(%s)", primary, backup, eb_last_error());
	eb_log(EB_LOG_WARN, "elfboot: warning: primary GPT damaged (%s); using the backup at LBA "
	       "%lu\r\n", primary, backup);
	return EB_OK;
}

static int find_esp(void)
{
	uint32_t n, esz;
	if (gpt_open(&n, &esz))
		return EB_ERR;
	for (uint32_t i = 0; i < n; i++) {
		/* esz is the array's stride: entries may be longer than ours. */
		const struct gpt_entry *e = (const struct gpt_entry *)(gpt_entries + (uint64_t)i * esz);
		if (memcmp(e->type_guid, esp_guid, 16) != 0)
			continue;
		uint64_t first = e->first_lba, last = e->last_lba;
		if (last < first)
			return eb_error("disk: ESP entry %u ends (LBA %lu) before it starts (%lu)", i,
					last, first);
		fs.part_lba = first;
		fs.part_sectors = last - first + 1;
		return EB_OK;
	}
	return eb_error("disk: no EFI System Partition in the GPT");
}

int fat_mount(void)
{
	if (find_esp())
		return EB_ERR;
	if (disk_read(fs.part_lba, 1, sector))
		return EB_ERR;
	const uint8_t *b = sector;
	if (b[510] != 0x55 || b[511] != 0xaa)
		return eb_error("fat: ESP at LBA %lu has no boot sector signature", fs.part_lba);
	uint32_t bps = r16(b + 11), total;
	fs.spc = b[13];
	fs.reserved = r16(b + 14);
	fs.nfats = b[16];
	fs.root_entries = r16(b + 17);
	total = r16(b + 19) ? r16(b + 19) : r32(b + 32);
	fs.fat_sectors = r16(b + 22) ? r16(b + 22) : r32(b + 36);
	if (bps != 512)
		return eb_error("fat: %u bytes per sector; only 512 is supported", bps);
	if (!fs.spc || (fs.spc & (fs.spc - 1)) || fs.spc > 128)
		return eb_error("fat: %u sectors per cluster is invalid", fs.spc);
	if (!fs.reserved || !fs.nfats || !fs.fat_sectors || total > fs.part_sectors)
		return eb_error("fat: inconsistent boot sector (reserved %u, FATs %u, FAT size %u, "
				"%u of %lu sectors)", fs.reserved, fs.nfats, fs.fat_sectors, total,
				fs.part_sectors);
	fs.root_sectors = (fs.root_entries * 32 + 511) / 512;
	uint64_t first_data = fs.reserved + (uint64_t)fs.nfats * fs.fat_sectors + fs.root_sectors;
	if (first_data >= total)
		return eb_error("fat: no data area (first data sector %lu of %u)", first_data, total);
	fs.clusters = (uint32_t)((total - first_data) / fs.spc);
	fs.type = fs.clusters < 4085 ? 12 : fs.clusters < 65525 ? 16 : 32;
	/* The FAT must hold an entry for every cluster. */
	uint64_t need = fs.type == 12 ? (fs.clusters + 2) * 3 / 2 + 1 : (uint64_t)(fs.clusters + 2) * (fs.type / 8);
	if ((uint64_t)fs.fat_sectors * 512 < need)
		return eb_error("fat: FAT of %u sectors is too small for %u clusters", fs.fat_sectors,
				fs.clusters);
	fs.fat_lba = fs.part_lba + fs.reserved;
	fs.root_lba = fs.fat_lba + (uint64_t)fs.nfats * fs.fat_sectors;
	fs.data_lba = fs.part_lba + first_data;
	fs.root_cluster = fs.type == 32 ? r32(b + 44) : 0;
	if (fs.type == 32 && (fs.root_cluster < 2 || fs.root_cluster >= fs.clusters + 2))
		return eb_error("fat: root directory cluster %u is outside the FAT", fs.root_cluster);
	return EB_OK;
}

/* The FAT entry of cluster c, through a 32 KiB window of the FAT. */
static int fat_next(uint32_t c, uint32_t *next)
{
	uint64_t off = fs.type == 12 ? c + c / 2 : (uint64_t)c * (fs.type / 8);
	uint64_t sec = off / 512, in = off % 512;
	if (fat_cache_first == ~0ull || sec < fat_cache_first ||
	    sec + 1 >= fat_cache_first + sizeof fat_cache / 512) {
		uint64_t n = sizeof fat_cache / 512;
		if (sec + n > fs.fat_sectors)
			n = fs.fat_sectors - sec;
		if (disk_read(fs.fat_lba + sec, n, fat_cache))
			return EB_ERR;
		fat_cache_first = sec;
	}
	const uint8_t *p = fat_cache + (sec - fat_cache_first) * 512 + in;
	uint32_t v;
	if (fs.type == 12) {
		v = r16(p);
		v = (c & 1) ? v >> 4 : v & 0xfff;
		if (v >= 0xff7)
			v |= 0x0ffff000;
	} else if (fs.type == 16) {
		v = r16(p);
		if (v >= 0xfff7)
			v |= 0x0fff0000;
	} else {
		v = r32(p) & 0x0fffffff;
	}
	*next = v;
	return EB_OK;
}

static int is_eoc(uint32_t v) { return v >= 0x0ffffff8; }

/* Calls fn for each run of contiguous clusters of a chain, `limit` clusters
 * at most; fails on a chain that leaves the FAT or hits a bad/free cluster.
 * *count gets the number walked; *end the entry after the last. */
static int walk_chain(uint32_t first, uint32_t limit, const char *name,
		      int (*fn)(uint32_t start, uint32_t n, void *ctx), void *ctx, uint32_t *count,
		      uint32_t *end)
{
	uint32_t c = first, run_start = first, run_n = 0, walked = 0;
	while (walked < limit) {
		if (c < 2 || c >= fs.clusters + 2)
			return eb_error("fat: '%s': cluster %u (link %u) is outside the FAT (%u clusters)",
					name, c, walked, fs.clusters);
		if (run_n && c != run_start + run_n) {
			if (fn(run_start, run_n, ctx))
				return EB_ERR;
			run_start = c;
			run_n = 0;
		}
		run_n++;
		walked++;
		uint32_t next;
		if (fat_next(c, &next))
			return EB_ERR;
		if (next == 0x0ffffff7 || next == 0 || next == 1)
			return eb_error("fat: '%s': cluster %u links to %s (0x%x)", name, c,
					next == 0x0ffffff7 ? "a bad cluster" : "a free cluster", next);
		c = next;
		if (is_eoc(c))
			break;
	}
	if (run_n && fn(run_start, run_n, ctx))
		return EB_ERR;
	*count = walked;
	*end = c;
	return EB_OK;
}

struct read_ctx {
	uint8_t *dst;
	uint64_t done;
	uint64_t limit; /* bytes wanted: the last cluster is cut there */
};

static int read_run(uint32_t start, uint32_t n, void *vctx)
{
	struct read_ctx *ctx = vctx;
	uint64_t lba = fs.data_lba + (uint64_t)(start - 2) * fs.spc;
	uint64_t bytes = (uint64_t)n * fs.spc * 512;
	if (bytes > ctx->limit - ctx->done)
		bytes = ctx->limit - ctx->done;
	if (disk_read_bytes(lba, bytes, ctx->dst + ctx->done))
		return EB_ERR;
	ctx->done += bytes;
	return EB_OK;
}

static int no_read(uint32_t start, uint32_t n, void *ctx)
{
	(void)start;
	(void)n;
	(void)ctx;
	return EB_OK;
}

int fat_read(const struct fat_file *f, const char *name, void *dst)
{
	uint32_t cbytes = fs.spc * 512, need = (uint32_t)((f->size + cbytes - 1) / cbytes), n, end;
	struct read_ctx ctx = { dst, 0, f->size };
	/* Check the whole chain through the FAT first (cheap: cached FAT
	 * sectors), so a corrupt chain costs no data reads and writes nothing. */
	if (walk_chain(f->first_cluster, need, name, no_read, NULL, &n, &end))
		return EB_ERR;
	if (n < need)
		return eb_error("fat: '%s': cluster chain ends after %u of %u clusters (file is %u "
				"bytes)", name, n, need, f->size);
	if (!is_eoc(end))
		return eb_error("fat: '%s': cluster chain continues past the file's %u bytes "
				"(to cluster 0x%x): corrupt FAT or a loop", name, f->size, end);
	return walk_chain(f->first_cluster, need, name, read_run, &ctx, &n, &end);
}

/* Directory entries of one directory, gathered into dir_buf. */
static int read_dir(uint32_t cluster, uint64_t *bytes)
{
	if (cluster == 0) { /* FAT12/16 fixed root */
		uint64_t n = fs.root_sectors;
		if (n * 512 > sizeof dir_buf)
			n = sizeof dir_buf / 512;
		*bytes = n * 512;
		return disk_read(fs.root_lba, n, dir_buf);
	}
	uint32_t max = (uint32_t)(sizeof dir_buf / (fs.spc * 512)), n, end;
	struct read_ctx ctx = { dir_buf, 0, sizeof dir_buf };
	if (walk_chain(cluster, max, "directory", read_run, &ctx, &n, &end))
		return EB_ERR;
	*bytes = ctx.done;
	return EB_OK;
}

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c; }

static int name_eq(const char *a, uint64_t alen, const char *b)
{
	uint64_t i = 0;
	for (; i < alen && b[i]; i++)
		if (lower(a[i]) != lower(b[i]))
			return 0;
	return i == alen && !b[i];
}

static int lookup_in(uint32_t dir_cluster, const char *comp, uint64_t clen, struct fat_file *f,
		     int *is_dir)
{
	uint64_t bytes;
	if (read_dir(dir_cluster, &bytes))
		return EB_ERR;
	char lfn[260];
	int lfn_ok = 0;
	for (uint64_t off = 0; off + 32 <= bytes; off += 32) {
		const uint8_t *e = dir_buf + off;
		if (e[0] == 0)
			break;
		if (e[0] == 0xe5) {
			lfn_ok = 0;
			continue;
		}
		if (e[11] == 0x0f) { /* long-name fragment: 13 UCS-2 chars */
			unsigned seq = e[0] & 0x1f;
			if (seq < 1 || seq > 20) {
				lfn_ok = 0;
				continue;
			}
			if (e[0] & 0x40) {
				memset(lfn, 0, sizeof lfn);
				lfn_ok = 1;
			}
			static const uint8_t pos[13] = { 1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30 };
			for (int k = 0; k < 13; k++) {
				uint16_t ch = r16(e + pos[k]);
				lfn[(seq - 1) * 13 + k] = ch == 0xffff ? 0 : ch < 128 ? (char)ch : '?';
			}
			continue;
		}
		if (e[11] & 0x08) { /* volume label */
			lfn_ok = 0;
			continue;
		}
		char short_name[13];
		int k = 0;
		for (int i = 0; i < 8 && e[i] != ' '; i++)
			short_name[k++] = (char)e[i];
		if (e[8] != ' ') {
			short_name[k++] = '.';
			for (int i = 8; i < 11 && e[i] != ' '; i++)
				short_name[k++] = (char)e[i];
		}
		short_name[k] = 0;
		int match = (lfn_ok && name_eq(comp, clen, lfn)) || name_eq(comp, clen, short_name);
		lfn_ok = 0;
		if (!match)
			continue;
		f->first_cluster = (uint32_t)r16(e + 20) << 16 | r16(e + 26);
		if (fs.type != 32)
			f->first_cluster &= 0xffff;
		f->size = r32(e + 28);
		*is_dir = (e[11] & 0x10) != 0;
		return EB_OK;
	}
	return EB_NOTFOUND;
}

int fat_lookup(const char *path, struct fat_file *f)
{
	uint32_t dir = fs.type == 32 ? fs.root_cluster : 0;
	while (*path == '/')
		path++;
	for (;;) {
		const char *slash = path;
		while (*slash && *slash != '/')
			slash++;
		int is_dir = 0;
		int st = lookup_in(dir, path, (uint64_t)(slash - path), f, &is_dir);
		if (st != EB_OK)
			return st;
		if (!*slash)
			return is_dir ? eb_error("fat: '%s' is a directory, not a file", path) : EB_OK;
		if (!is_dir)
			return EB_NOTFOUND;
		dir = f->first_cluster;
		path = slash + 1;
	}
}
