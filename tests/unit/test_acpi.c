/* SPDX-License-Identifier: MIT */
/* test_acpi.c - the one RSDP validator: good 1.0 and 2.0 tables, and each
 * way a hostile or damaged one can be wrong. */
#include "t.h"
#include "acpi.h"

static void fix(uint8_t *p, size_t len)
{
	uint8_t s = 0;
	p[8] = 0;
	for (int i = 0; i < 20; i++)
		s = (uint8_t)(s + p[i]);
	p[8] = (uint8_t)-s;
	if (p[15] >= 2) {
		p[32] = 0;
		s = 0;
		for (size_t i = 0; i < len; i++)
			s = (uint8_t)(s + p[i]);
		p[32] = (uint8_t)-s;
	}
}

/* An RSDP of revision rev in a heap block of exactly `alloc` bytes, so
 * ASan catches a read past what the validator may touch. */
static uint8_t *make(uint8_t rev, uint32_t len, size_t alloc)
{
	uint8_t *p = calloc(1, alloc);
	memcpy(p, "RSD PTR ", 8);
	memcpy(p + 9, "ELFBT ", 6);
	p[15] = rev;
	if (rev >= 2) {
		memcpy(p + 20, &len, 4);
		p[24] = 0x10; /* XSDT address */
	}
	fix(p, len < alloc ? len : alloc);
	return p;
}

static void good(void)
{
	uint8_t *v1 = make(0, 0, 20), *v2 = make(2, 36, 36);
	T_CHECK(acpi_rsdp_problem(v1) == NULL);
	T_CHECK(acpi_rsdp_problem(v2) == NULL);
	free(v1);
	free(v2);
}

static void expect(const void *p, const char *want)
{
	const char *why = acpi_rsdp_problem(p);
	T_CHECK(why && strcmp(why, want) == 0);
}

static void damaged(void)
{
	uint8_t *p = make(2, 36, 36);
	p[0] = 'r';
	expect(p, "bad signature");
	free(p);
	p = make(0, 0, 20);
	p[12] ^= 1;
	expect(p, "bad checksum");
	free(p);
	p = make(2, 36, 36);
	p[30] ^= 1; /* beyond the first 20 bytes: only the extended sum sees it */
	expect(p, "bad extended checksum");
	free(p);
}

static void hostile_length(void)
{
	/* A length below 36 or huge must be refused before it is summed. */
	uint8_t *p = make(2, 20, 36);
	expect(p, "bad length");
	free(p);
	p = make(2, 0xffffffffu, 36);
	expect(p, "bad length");
	free(p);
	p = make(2, 4097, 36);
	expect(p, "bad length");
	free(p);
	p = make(2, 4096, 4096);
	T_CHECK(acpi_rsdp_problem(p) == NULL);
	free(p);
}

int main(void)
{
	T_RUN(good);
	T_RUN(damaged);
	T_RUN(hostile_length);
	return T_END();
}
