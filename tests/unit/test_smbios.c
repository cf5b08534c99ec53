/* SPDX-License-Identifier: MIT */
/* test_smbios.c - the SMBIOS entry-point check (req_firmware.c): good
 * 32-bit and 64-bit entry points, each way a hostile one can be wrong, and
 * the scan that keeps the first valid one of each kind. */
#include "t.h"
#include "smbios.h"

static void fix_sum(uint8_t *p, unsigned at, unsigned from, unsigned len)
{
	uint8_t s = 0;
	p[at] = 0;
	for (unsigned i = from; i < from + len; i++)
		s = (uint8_t)(s + p[i]);
	p[at] = (uint8_t)-s;
}

/* A "_SM_" entry point as SeaBIOS writes it (length 0x1f, version 2.8),
 * in a block of exactly 32 bytes so ASan sees a read past the limit. */
static uint8_t *make32(uint8_t len)
{
	uint8_t *p = calloc(1, SMBIOS_EP_MAX_LEN);
	memcpy(p, "_SM_", 4);
	p[5] = len;
	p[6] = 2;
	p[7] = 8;
	memcpy(p + 16, "_DMI_", 5);
	p[0x16] = 0x40;  /* structure table length */
	p[0x1a] = 0xe0;  /* structure table address 0x000f00e0 */
	p[0x1b] = 0x00;
	p[0x1c] = 0x0f;
	p[0x1e] = 0x28;  /* BCD revision */
	fix_sum(p, 0x15, 16, 15);
	fix_sum(p, 4, 0, len);
	return p;
}

static uint8_t *make64(uint8_t len)
{
	uint8_t *p = calloc(1, SMBIOS_EP_MAX_LEN);
	memcpy(p, "_SM3_", 5);
	p[6] = len;
	p[7] = 3;
	p[10] = 1;       /* entry point revision */
	p[12] = 0x40;    /* structure table maximum size */
	p[16] = 0xe0;    /* structure table address */
	p[18] = 0x0f;
	fix_sum(p, 5, 0, len < SMBIOS_EP_MAX_LEN ? len : SMBIOS_EP_MAX_LEN);
	return p;
}

/* An anchor that fails a check: refused, not mistaken for no anchor. */
static void expect_bad(const uint8_t *p)
{
	T_EQ(smbios_entry(p), -1);
}

static void good(void)
{
	uint8_t *a = make32(0x1f), *b = make32(0x1e), *c = make64(0x18), *d = make64(0x20);
	T_EQ(smbios_entry(a), 2);
	T_EQ(smbios_entry(b), 2); /* the SMBIOS 2.1 misprint */
	T_EQ(smbios_entry(c), 3);
	T_EQ(smbios_entry(d), 3);
	memset(a, 0, SMBIOS_EP_MAX_LEN);
	memcpy(a, "_SM", 3);            /* no anchor at all: not an error */
	T_EQ(smbios_entry(a), 0);
	free(a);
	free(b);
	free(c);
	free(d);
}

static void damaged(void)
{
	uint8_t *p = make32(0x1f);
	p[8] ^= 1;                      /* inside the entry point, outside _DMI_ */
	expect_bad(p);
	free(p);
	p = make32(0x1f);
	p[0x1c] ^= 1;                   /* the table address, inside _DMI_ */
	fix_sum(p, 4, 0, 0x1f);         /* the outer sum made good again ... */
	expect_bad(p);                  /* ... the _DMI_ one still catches it */
	free(p);
	p = make32(0x1f);
	p[17] = 'd';                    /* both sums made good: only the */
	fix_sum(p, 0x15, 16, 15);       /* "_DMI_" anchor check sees it  */
	fix_sum(p, 4, 0, 0x1f);
	expect_bad(p);
	free(p);
	p = make64(0x18);
	p[16] ^= 0x80;
	expect_bad(p);
	free(p);
}

static void hostile_length(void)
{
	/* Lengths the sums would run past the structure with (or read past
	 * 32 bytes) are refused before anything is summed. */
	const uint8_t bad32[] = { 0, 0x10, 0x1d, 0x20, 0xff };
	for (unsigned i = 0; i < sizeof bad32; i++) {
		uint8_t *p = make32(0x1f);
		p[5] = bad32[i];
		expect_bad(p);
		free(p);
	}
	const uint8_t bad64[] = { 0, 0x17, 0x21, 0xff };
	for (unsigned i = 0; i < sizeof bad64; i++) {
		uint8_t *p = make64(0x18);
		p[6] = bad64[i];
		expect_bad(p);
		free(p);
	}
}

/* A 4 KiB "ROM" with a damaged entry point before the good ones: the scan
 * passes over it, finds both kinds, ignores anchors off the 16-byte grid,
 * and keeps the first valid one of a kind. */
static void scan(void)
{
	uint8_t *rom = calloc(1, 4096 + SMBIOS_EP_MAX_LEN);
	uint8_t *good32 = make32(0x1f), *good64 = make64(0x18);
	uint64_t base = (uint64_t)(uintptr_t)rom, ep32 = 0, ep64 = 0;
	memcpy(rom + 0x100, good32, 32);
	rom[0x100 + 4] ^= 1;            /* damaged: passed over */
	memcpy(rom + 0x208, good32, 32); /* off the grid: never looked at */
	memcpy(rom + 0x400, good32, 32);
	memcpy(rom + 0x800, good64, 32);
	memcpy(rom + 0x900, good32, 32); /* a second valid one: the first wins */
	smbios_find(base, base + 4096, &ep32, &ep64);
	T_EQ(ep32, base + 0x400);
	T_EQ(ep64, base + 0x800);
	ep32 = ep64 = 0;
	smbios_find(base, base + 0x400, &ep32, &ep64);
	T_EQ(ep32, 0);
	T_EQ(ep64, 0);
	free(good32);
	free(good64);
	free(rom);
}

int main(void)
{
	T_RUN(good);
	T_RUN(damaged);
	T_RUN(hostile_length);
	T_RUN(scan);
	return T_END();
}
