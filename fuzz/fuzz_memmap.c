/* SPDX-License-Identifier: MIT */
/*
 * fuzz_memmap.c - memmap_normalize / memmap_add / memmap_export (common/
 * memmap.c) on firmware maps built from the input: any kinds, fw_type up to
 * 2^32-1, empty, overlapping and unsorted ranges.  The result is checked
 * against a slow model written from the contract (per byte, the most
 * restrictive entry wins: FIRMWARE > BOOTLOADER > BUSY > FREE, and among
 * firmware entries the higher fw_type), so no byte is ever reported freer
 * than some firmware entry says.
 *
 * Input: byte 0 = mode (bit 0: compact coordinates in 4 KiB pages so ranges
 * meet and overlap often; bits 1-7: room left for normalize), then entries
 * of either 5 bytes (compact: start page u16, length-ish u8, kind/fw byte)
 * or 21 bytes (start u64, end u64, kind u8, fw_type u32).
 */
#include <string.h>

#include "core.h"
#include "fuzz.h"

#define MAXN 96        /* input entries */
#define CAP (2 * MAXN) /* overlaps can split: n entries normalise to < 2n */

static uint64_t rd(const uint8_t *p, int n)
{
	uint64_t v = 0;
	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* The contract's order, in 64 bits so no fw_type can wrap it. */
FUZZ_UNTRACED static uint64_t model_rank(const struct mem_region *r)
{
	return r->kind == MEM_FIRMWARE ? (3ull << 32) + r->fw_type : r->kind;
}

/* The model's answer for the byte at `a`: 0 if no entry covers it. */
FUZZ_UNTRACED static const struct mem_region *model_at(const struct mem_region *in, uint32_t n, uint64_t a)
{
	const struct mem_region *win = 0;
	for (uint32_t i = 0; i < n; i++)
		if (in[i].start < in[i].end && in[i].start <= a && a < in[i].end &&
		    (!win || model_rank(&in[i]) > model_rank(win)))
			win = &in[i];
	return win;
}

FUZZ_UNTRACED static const struct mem_region *out_at(const struct mem_region *m, uint32_t n, uint64_t a)
{
	for (uint32_t i = 0; i < n; i++)
		if (m[i].start <= a && a < m[i].end)
			return &m[i];
	return 0;
}

/* Normalised form: sorted, disjoint, non-empty, neighbours of one kind merged,
 * fw_type 0 outside firmware entries, and byte for byte the model. */
FUZZ_UNTRACED static void check_normal(const struct mem_region *in, uint32_t n, const struct mem_region *m,
			 uint32_t k)
{
	for (uint32_t i = 0; i < k; i++) {
		FUZZ_CHECK(m[i].start < m[i].end, "entry %u empty: 0x%lx-0x%lx", i,
			   (unsigned long)m[i].start, (unsigned long)m[i].end);
		FUZZ_CHECK(m[i].kind <= MEM_FIRMWARE, "entry %u kind %u", i, m[i].kind);
		FUZZ_CHECK(m[i].kind == MEM_FIRMWARE || m[i].fw_type == 0, "entry %u fw_type", i);
		if (i) {
			FUZZ_CHECK(m[i - 1].end <= m[i].start, "entries %u, %u overlap/unsorted", i - 1,
				   i);
			FUZZ_CHECK(!(m[i - 1].end == m[i].start && m[i - 1].kind == m[i].kind &&
				     m[i - 1].fw_type == m[i].fw_type),
				   "entries %u, %u not merged", i - 1, i);
		}
	}
	/* Every boundary of input and output starts a piece on which both
	 * sides are constant: compare the model at each. */
	for (uint32_t side = 0; side < 2; side++) {
		const struct mem_region *src = side ? m : in;
		uint32_t cnt = side ? k : n;
		for (uint32_t i = 0; i < cnt; i++) {
			uint64_t pts[2] = { src[i].start, src[i].end };
			for (int p = 0; p < 2; p++) {
				if (src[i].start >= src[i].end)
					continue;
				const struct mem_region *want = model_at(in, n, pts[p]);
				const struct mem_region *got = out_at(m, k, pts[p]);
				FUZZ_CHECK(!want == !got, "byte 0x%lx: %s in the input, %s in the output",
					   (unsigned long)pts[p], want ? "covered" : "a hole",
					   got ? "covered" : "a hole");
				if (!want)
					continue;
				FUZZ_CHECK(got->kind == want->kind &&
						   (want->kind != MEM_FIRMWARE || got->fw_type == want->fw_type),
					   "byte 0x%lx: output kind %u/0x%x, but the winning input entry "
					   "is kind %u/0x%x", (unsigned long)pts[p], got->kind,
					   got->fw_type, want->kind, want->fw_type);
			}
		}
	}
}

FUZZ_UNTRACED static int same_map(const struct mem_region *a, uint32_t na, const struct mem_region *b,
		    uint32_t nb)
{
	if (na != nb)
		return 0;
	for (uint32_t i = 0; i < na; i++)
		if (a[i].start != b[i].start || a[i].end != b[i].end || a[i].kind != b[i].kind ||
		    a[i].fw_type != b[i].fw_type)
			return 0;
	return 1;
}

FUZZ_UNTRACED static void check_export(const struct mem_region *m, uint32_t k, enum firmware_kind fw)
{
	static struct elfboot_memory_region out[CAP];
	int cnt = memmap_export(m, k, fw, NULL, CAP);
	FUZZ_CHECK(cnt >= 0 && (uint32_t)cnt <= k, "export count %d of %u", cnt, k);
	FUZZ_CHECK(memmap_export(m, k, fw, out, (uint32_t)cnt) == cnt, "export differs");
	if (cnt)
		FUZZ_CHECK(memmap_export(m, k, fw, out, (uint32_t)cnt - 1) == -1,
			   "export into too small an array");
	memmap_export(m, k, fw, out, (uint32_t)cnt);
	for (int i = 0; i < cnt; i++) {
		FUZZ_CHECK(out[i].start < out[i].end, "exported %d empty", i);
		if (i)
			FUZZ_CHECK(out[i - 1].end <= out[i].start, "exported %d overlaps", i);
	}
	for (uint32_t i = 0; i < k; i++) {
		uint64_t pts[2] = { m[i].start, m[i].end - 1 };
		for (int p = 0; p < 2; p++) {
			const struct elfboot_memory_region *r = 0;
			for (int j = 0; j < cnt && !r; j++)
				if (out[j].start <= pts[p] && pts[p] < out[j].end)
					r = &out[j];
			FUZZ_CHECK(r, "byte 0x%lx lost in the export", (unsigned long)pts[p]);
			uint32_t want = m[i].kind <= MEM_BUSY ? ELFBOOT_REGION_USABLE
				      : m[i].kind == MEM_BOOTLOADER ? ELFBOOT_REGION_BOOTLOADER
				      : fw == FIRMWARE_UEFI ? ELFBOOT_REGION_UNKNOWN_UEFI
							    : ELFBOOT_REGION_UNKNOWN_BIOS;
			FUZZ_CHECK(r->kind == want, "byte 0x%lx exported as kind %u, want %u",
				   (unsigned long)pts[p], r->kind, want);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mem_region in[MAXN], m[CAP], base[CAP], all[CAP];
	if (size < 1)
		return 0;
	int compact = data[0] & 1;
	uint32_t slack = data[0] >> 1;
	size_t esz = compact ? 5 : 21;
	uint32_t n = 0;
	for (size_t off = 1; off + esz <= size && n < MAXN; off += esz, n++) {
		const uint8_t *e = data + off;
		if (compact) {
			uint64_t s = rd(e, 2) << 12;
			/* Length byte 0xff: end below start (a broken entry). */
			uint64_t end = e[2] == 0xff ? s - 4096 : s + ((uint64_t)e[2] << 12);
			uint32_t kind = e[3] & 3;
			/* A few firmware codes, including ones near 2^32. */
			static const uint32_t fw[8] = { 1, 2, 3, 4, 5, 0x7fffffff, 0xfffffffd,
							0xffffffff };
			in[n] = (struct mem_region){ s, end, kind, kind == MEM_FIRMWARE ?
								     fw[e[4] & 7] : e[4] };
		} else {
			in[n] = (struct mem_region){ rd(e, 8), rd(e + 8, 8), e[16] & 3,
						     (uint32_t)rd(e + 17, 4) };
		}
	}

	/* normalize: on success the model holds; on failure the map is untouched. */
	memcpy(m, in, n * sizeof *m);
	uint32_t k = n, cap = n < slack ? n : slack;
	int rc = memmap_normalize(m, &k, cap);
	if (rc != EB_OK) {
		FUZZ_CHECK(k == n && same_map(m, k, in, n), "failed normalize changed the map");
		k = n;
		memcpy(m, in, n * sizeof *m);
		FUZZ_CHECK(memmap_normalize(m, &k, CAP) == EB_OK, "normalize with room failed: %s",
			   eb_last_error());
	}
	check_normal(in, n, m, k);

	/* Idempotent. */
	memcpy(all, m, k * sizeof *m);
	uint32_t k2 = k;
	FUZZ_CHECK(memmap_normalize(all, &k2, CAP) == EB_OK && same_map(all, k2, m, k),
		   "normalize is not idempotent");

	/* memmap_add of the second half onto the normalised first half gives
	 * what normalising everything at once gives. */
	uint32_t half = n / 2, kb = half;
	memcpy(base, in, half * sizeof *base);
	if (memmap_normalize(base, &kb, CAP) == EB_OK &&
	    memmap_add(base, &kb, CAP, in + half, n - half) == EB_OK)
		FUZZ_CHECK(same_map(base, kb, m, k), "memmap_add differs from one normalize");

	check_export(m, k, (data[0] & 2) ? FIRMWARE_UEFI : FIRMWARE_BIOS);
	return 0;
}
