/* SPDX-License-Identifier: MIT */
/*
 * iso9660.c - reads files from the root directory of an ISO 9660 volume
 * (ECMA-119) through a block-read callback: the CD source on BIOS and UEFI
 * and the host tool's check of the images it writes.  The medium is hostile:
 * every length and extent is checked against the block and the volume
 * before it is used, and every loop is bounded by the volume's own sizes.
 */
#include "core.h"
#include "iso9660.h"

#define VD_FIRST 16u    /* the volume descriptor set starts at block 16 */
#define VD_MAX 64u      /* descriptors looked at before giving up */
#define ROOT_MAX_BYTES (1u << 20) /* a root directory of 512 blocks is plenty */
#define DR_MIN ((uint32_t)sizeof(struct iso_dir_record)) /* a record without its name */

static uint64_t blocks_of(uint64_t bytes)
{
	return (bytes + ISO_BLOCK - 1) / ISO_BLOCK;
}

/* An extent must lie after the descriptors and inside the volume. */
static int extent_ok(const struct iso_vol *v, uint32_t lba, uint32_t size)
{
	return lba >= VD_FIRST + 1 && (uint64_t)lba + blocks_of(size) <= v->vol_blocks;
}

int iso_mount(struct iso_vol *v, const struct iso_dev *dev)
{
	memset(v, 0, sizeof *v);
	v->dev = *dev;
	for (uint32_t i = 0; i < VD_MAX; i++) {
		uint32_t lba = VD_FIRST + i;
		if (dev->blocks && lba >= dev->blocks)
			return i ? eb_error("iso9660: volume descriptors run past the end of the "
					    "medium (block %u of %lu) with no primary descriptor",
					    lba, dev->blocks)
				 : EB_NOTFOUND;
		if (dev->read(dev->ctx, lba, 1, v->buf))
			return EB_ERR;
		const struct iso_pvd *d = (const struct iso_pvd *)v->buf;
		if (memcmp(d->id, "CD001", 5) != 0 || d->version != 1) {
			if (i == 0)
				return EB_NOTFOUND;
			return eb_error("iso9660: block %u is not a volume descriptor (no CD001 "
					"before a primary descriptor)", lba);
		}
		if (d->type == ISO_VD_TERMINATOR)
			return eb_error("iso9660: no primary volume descriptor before the "
					"terminator at block %u", lba);
		if (d->type != ISO_VD_PRIMARY)
			continue;
		uint32_t bs = d->block_size.le;
		if (bs != ISO_BLOCK)
			return eb_error("iso9660: logical block size %u, only 2048 is supported", bs);
		v->vol_blocks = d->volume_blocks.le;
		if (v->vol_blocks <= VD_FIRST + 1)
			return eb_error("iso9660: volume of %u blocks is too small to hold files",
					v->vol_blocks);
		if (dev->blocks && v->vol_blocks > dev->blocks)
			return eb_error("iso9660: the volume is %u blocks but the medium holds only "
					"%lu (a truncated image?)", v->vol_blocks, dev->blocks);
		const struct iso_dir_record *root = &d->root;
		v->root_lba = root->extent.le;
		v->root_size = root->size.le;
		if (root->length < DR_MIN + 1 || !(root->flags & ISO_DR_DIR))
			return eb_error("iso9660: malformed root directory record (length %u, "
					"flags 0x%x)", root->length, root->flags);
		if (!v->root_size || v->root_size > ROOT_MAX_BYTES ||
		    !extent_ok(v, v->root_lba, v->root_size))
			return eb_error("iso9660: root directory at block %u, %u bytes, is outside "
					"the %u-block volume or too large", v->root_lba, v->root_size,
					v->vol_blocks);
		return EB_OK;
	}
	return eb_error("iso9660: no primary volume descriptor in the first %u descriptors",
			VD_MAX);
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* The record's name without ";N" and one trailing '.', against `want`. */
static int name_matches(const uint8_t *id, uint32_t n, const char *want)
{
	for (uint32_t i = 0; i < n; i++)
		if (id[i] == ';') {
			n = i;
			break;
		}
	if (n && id[n - 1] == '.')
		n--;
	size_t wn = strlen(want);
	if (wn != n)
		return 0;
	for (uint32_t i = 0; i < n; i++)
		if (lower((char)id[i]) != lower(want[i]))
			return 0;
	return 1;
}

int iso_lookup(struct iso_vol *v, const char *name, struct iso_file *f)
{
	uint32_t nblocks = (uint32_t)blocks_of(v->root_size);
	for (uint32_t b = 0; b < nblocks; b++) {
		uint32_t lba = v->root_lba + b;
		if (v->dev.read(v->dev.ctx, lba, 1, v->buf))
			return EB_ERR;
		uint32_t left = v->root_size - b * ISO_BLOCK;
		uint32_t end = left < ISO_BLOCK ? left : ISO_BLOCK;
		uint32_t off = 0;
		/* Records never cross a block: a zero length pads to the next. */
		while (off + DR_MIN <= end && v->buf[off]) {
			const struct iso_dir_record *r = (const struct iso_dir_record *)(v->buf + off);
			uint32_t len = r->length, nlen = r->name_length;
			if (len < DR_MIN + nlen || off + len > end || nlen == 0)
				return eb_error("iso9660: bad directory record at block %u offset %u "
						"(length %u, name length %u)", lba, off, len, nlen);
			off += len;
			const uint8_t *id = (const uint8_t *)r + DR_MIN; /* the name */
			if (r->flags & ISO_DR_ASSOC)
				continue;
			if (nlen == 1 && (id[0] == 0 || id[0] == 1))
				continue; /* "." and ".." */
			if (!name_matches(id, nlen, name))
				continue;
			f->lba = r->extent.le;
			f->size = r->size.le;
			if (r->flags & ISO_DR_DIR)
				return eb_error("iso9660: '%s' is a directory, not a file", name);
			if (r->flags & ISO_DR_MULTI)
				return eb_error("iso9660: '%s' is split into several extents (files "
						"of 4 GiB or more are not supported)", name);
			if (r->unit_size || r->gap_size)
				return eb_error("iso9660: '%s' is recorded interleaved (unit %u, "
						"gap %u); only contiguous files are supported",
						name, r->unit_size, r->gap_size);
			if (f->size && !extent_ok(v, f->lba, f->size))
				return eb_error("iso9660: '%s' (block %u, %u bytes) lies outside the "
						"%u-block volume", name, f->lba, f->size,
						v->vol_blocks);
			return EB_OK;
		}
	}
	return EB_NOTFOUND;
}

int iso_read(struct iso_vol *v, const struct iso_file *f, void *dst)
{
	if (f->size && !extent_ok(v, f->lba, f->size))
		return eb_error("iso9660: extent at block %u, %u bytes, lies outside the volume",
				f->lba, f->size);
	uint32_t whole = f->size / ISO_BLOCK, tail = f->size % ISO_BLOCK;
	if (whole && v->dev.read(v->dev.ctx, f->lba, whole, dst))
		return EB_ERR;
	if (tail) {
		if (v->dev.read(v->dev.ctx, (uint64_t)f->lba + whole, 1, v->buf))
			return EB_ERR;
		memcpy((uint8_t *)dst + (uint64_t)whole * ISO_BLOCK, v->buf, tail);
	}
	return EB_OK;
}

int iso_source_size(struct iso_vol *v, const char *name, uint64_t *bytes)
{
	struct iso_file f;
	int st = iso_lookup(v, name, &f);
	if (st == EB_OK)
		*bytes = f.size;
	return st;
}

int iso_source_read(struct iso_vol *v, const char *medium, const char *name, void *dst,
		    uint64_t bytes)
{
	struct iso_file f;
	int st = iso_lookup(v, name, &f);
	if (st == EB_NOTFOUND)
		return eb_error("%s: '%s' vanished between its size and its read", medium, name);
	if (st != EB_OK)
		return st;
	if (f.size != bytes)
		return eb_error("%s: '%s' is %u bytes, not the %lu asked for", medium, name, f.size,
				bytes);
	return iso_read(v, &f, dst);
}
