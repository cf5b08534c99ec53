/* SPDX-License-Identifier: MIT */
/*
 * k_tpm.c - measured boot (issue 11): reads PCR 9 of the SHA-256 bank from
 * a TPM 2.0 through its TIS interface (MMIO at 0xfed40000, locality 0, via
 * the physical-memory mapping) and prints "ktest: pcr9 sha256 <hex>" for
 * tests/suites/tpm.sh to compare with its replay.  No TPM there: prints
 * "ktest: no TPM" and passes (the loader booted, which is the point).
 */
#include "core.h"
#include "ktest.h"

ELFBOOT_CONFIG(boot_config, .physical_memory = ELFBOOT_SOME_DYNAMIC);

#define TIS_BASE 0xfed40000ull
#define TIS_ACCESS 0x000 /* 8 bits */
#define TIS_STS 0x018    /* 8 bits of status, then the 16-bit burst count */
#define TIS_FIFO 0x024
#define TIS_DID_VID 0xf00
#define ACCESS_VALID 0x80
#define ACCESS_ACTIVE 0x20
#define ACCESS_REQUEST 0x02
#define STS_VALID 0x80
#define STS_READY 0x40
#define STS_GO 0x20
#define STS_AVAIL 0x10
#define SPINS 50000000u /* bounded waits: a dead TPM fails the test, never hangs it */

static volatile uint8_t *tis;

static uint8_t rd8(unsigned reg) { return tis[reg]; }
static void wr8(unsigned reg, uint8_t v) { tis[reg] = v; }

/* Waits for all `bits` of the 8-bit register reg; 0 on timeout. */
static int wait_bits(unsigned reg, uint8_t bits)
{
	for (uint32_t i = 0; i < SPINS; i++)
		if ((rd8(reg) & bits) == bits)
			return 1;
	kprintf("  TIS register 0x%x = 0x%x, waited for 0x%x\n", reg, rd8(reg), bits);
	return 0;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

void kmain(struct elfboot_boot_info *bi);
void kmain(struct elfboot_boot_info *bi)
{
	ktest_init();
	kputs("ktest: k_tpm\n");
	ktest_common_checks(bi);
	CHECK_EQ(bi->physical_memory_offset.tag, ELFBOOT_SOME_TAG);
	tis = (volatile uint8_t *)(uintptr_t)(bi->physical_memory_offset.value + TIS_BASE);
	uint32_t id = *(volatile uint32_t *)(tis + TIS_DID_VID);
	if (id == 0 || id == 0xffffffffu) { /* nothing decodes the range */
		kputs("ktest: no TPM\n");
		kexit(1);
	}
	kprintf("ktest: TPM vendor 0x%x device 0x%x\n", id & 0xffff, id >> 16);

	/* Locality 0, then the command: TPM2_PCR_Read of PCR 9, SHA-256. */
	wr8(TIS_ACCESS, ACCESS_REQUEST);
	CHECK(wait_bits(TIS_ACCESS, ACCESS_VALID | ACCESS_ACTIVE));
	wr8(TIS_STS, STS_READY);
	CHECK(wait_bits(TIS_STS, STS_READY));
	static const uint8_t cmd[20] = {
		0x80, 0x01,             /* TPM_ST_NO_SESSIONS */
		0, 0, 0, 20,            /* commandSize */
		0, 0, 0x01, 0x7e,       /* TPM_CC_PCR_Read */
		0, 0, 0, 1,             /* one TPMS_PCR_SELECTION */
		0x00, 0x0b,             /* TPM_ALG_SHA256 */
		3, 0x00, 0x02, 0x00,    /* sizeofSelect 3, PCR 9 */
	};
	for (unsigned i = 0; i < sizeof cmd; i++)
		wr8(TIS_FIFO, cmd[i]);
	wr8(TIS_STS, STS_GO);
	CHECK(wait_bits(TIS_STS, STS_VALID | STS_AVAIL));

	/* The response: header (tag, size, code), update counter, the
	 * selection read, and one 32-byte digest. */
	uint8_t r[64];
	unsigned n = 0;
	for (; n < 10; n++)
		r[n] = rd8(TIS_FIFO);
	uint32_t size = be32(r + 2), rc = be32(r + 6);
	kprintf("ktest: TPM2_PCR_Read: response code 0x%x, %u bytes\n", rc, size);
	CHECK_EQ(rc, 0);
	CHECK_EQ(size, 62);
	for (; n < size; n++)
		r[n] = rd8(TIS_FIFO);
	wr8(TIS_STS, STS_READY);                /* done with this command */
	wr8(TIS_ACCESS, ACCESS_ACTIVE);         /* give locality 0 back */
	static const uint8_t sel[10] = { 0, 0, 0, 1, 0x00, 0x0b, 3, 0x00, 0x02, 0x00 };
	CHECK(memcmp(r + 14, sel, sizeof sel) == 0); /* the SHA-256 bank has PCR 9 */
	CHECK_EQ(be32(r + 24), 1);                   /* one digest */
	CHECK_EQ((unsigned)r[28] << 8 | r[29], 32);  /* of 32 bytes */
	char hex[65];
	for (unsigned i = 0; i < 32; i++)
		eb_snprintf(hex + 2 * i, 3, "%02x", r[30 + i]);
	kprintf("ktest: pcr9 sha256 %s\n", hex);
	kexit(1);
}
