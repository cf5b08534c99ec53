/* SPDX-License-Identifier: MIT */
/* test_smp.c - the SMP request's table walk: the MADT parser on good and
 * hostile tables (each built in a heap block of exactly its size, so ASan
 * sees any read past what the parser may touch), and the RSDT/XSDT walk. */
#include "t.h"
#include "acpi.h"
#include "smp.h"

/* A MADT builder: header (44 bytes) then entries appended by hand. */
static uint8_t madt[8192];
static uint32_t madt_len;

static void madt_begin(void)
{
	memset(madt, 0, sizeof madt);
	memcpy(madt, "APIC", 4);
	madt_len = 44;
}

static void lapic(uint8_t uid, uint8_t id, uint32_t flags)
{
	uint8_t *e = madt + madt_len;
	e[0] = 0;
	e[1] = 8;
	e[2] = uid;
	e[3] = id;
	memcpy(e + 4, &flags, 4);
	madt_len += 8;
}

static void x2apic(uint32_t uid, uint32_t id, uint32_t flags)
{
	uint8_t *e = madt + madt_len;
	memset(e, 0, 16);
	e[0] = 9;
	e[1] = 16;
	memcpy(e + 4, &id, 4);
	memcpy(e + 8, &flags, 4);
	memcpy(e + 12, &uid, 4);
	madt_len += 16;
}

static void raw(uint8_t type, uint8_t len)
{
	madt[madt_len] = type;
	madt[madt_len + 1] = len;
	madt_len += len ? len : 2;
}

/* Parses the table as built (length field = bytes built, or `len_field`),
 * from a heap copy of exactly `avail` bytes. */
static uint32_t parse(uint32_t len_field, uint32_t avail, struct acpi_cpu *f, uint32_t cap,
		      const char **warn)
{
	memcpy(madt + 4, &len_field, 4);
	uint8_t *p = malloc(avail);
	memcpy(p, madt, avail);
	uint32_t n = acpi_madt_cpus(p, avail, f, cap, warn);
	free(p);
	return n;
}

static void good(void)
{
	struct acpi_cpu f[SMP_MAX_CPUS];
	const char *warn;
	madt_begin();
	lapic(0, 0, 1);
	raw(1, 12);           /* an I/O APIC: skipped */
	lapic(1, 2, 1);
	lapic(2, 4, 0);       /* disabled, not online-capable: left out */
	lapic(3, 6, 2);       /* online-capable: listed */
	lapic(4, 0xff, 1);    /* 0xff is no APIC ID */
	x2apic(9, 2, 1);      /* the LAPIC entry's CPU again */
	x2apic(10, 300, 1);   /* beyond xAPIC's 8 bits */
	raw(0, 4);            /* a LAPIC entry too short to hold one: skipped */
	uint32_t n = parse(madt_len, madt_len, f, SMP_MAX_CPUS, &warn);
	T_CHECK(warn == NULL);
	T_EQ(n, 4);
	T_EQ(f[0].apic_id, 0);
	T_EQ(f[1].apic_id, 2);
	T_EQ(f[1].uid, 1);
	T_EQ(f[2].apic_id, 6);
	T_EQ(f[2].uid, 3);
	T_EQ(f[3].apic_id, 300);
	T_EQ(f[3].uid, 10);
}

static void expect_warn(const char *warn, const char *want)
{
	T_CHECK(warn && strstr(warn, want));
	if (!warn || !strstr(warn, want))
		fprintf(stderr, "  warning \"%s\", expected \"%s\"\n", warn ? warn : "(none)", want);
}

static void hostile(void)
{
	struct acpi_cpu f[SMP_MAX_CPUS];
	const char *warn;
	/* An entry of length 0 would loop forever: the walk stops, keeping
	 * the CPUs before it. */
	madt_begin();
	lapic(0, 0, 1);
	lapic(1, 1, 1);
	raw(0, 0);
	lapic(2, 2, 1);
	T_EQ(parse(madt_len, madt_len, f, SMP_MAX_CPUS, &warn), 2);
	expect_warn(warn, "bad length");
	/* Length 1 likewise. */
	madt_begin();
	lapic(0, 0, 1);
	raw(0, 1);
	madt_len += 8;
	T_EQ(parse(madt_len, madt_len, f, SMP_MAX_CPUS, &warn), 1);
	expect_warn(warn, "bad length");
	/* An entry reaching past the table's end. */
	madt_begin();
	lapic(0, 0, 1);
	lapic(1, 1, 1);
	madt[madt_len - 7] = 200;
	T_EQ(parse(madt_len, madt_len, f, SMP_MAX_CPUS, &warn), 1);
	expect_warn(warn, "bad length");
	/* A lone type byte at the very end. */
	madt_begin();
	lapic(0, 0, 1);
	madt_len++;
	T_EQ(parse(madt_len, madt_len, f, SMP_MAX_CPUS, &warn), 1);
	expect_warn(warn, "bad length");
	/* The length field claims more than there is, or less than a header. */
	madt_begin();
	lapic(0, 0, 1);
	T_EQ(parse(madt_len + 1, madt_len, f, SMP_MAX_CPUS, &warn), 0);
	expect_warn(warn, "out of bounds");
	T_EQ(parse(43, madt_len, f, SMP_MAX_CPUS, &warn), 0);
	expect_warn(warn, "out of bounds");
	T_EQ(parse(44, 40, f, SMP_MAX_CPUS, &warn), 0);
	expect_warn(warn, "out of bounds");
	/* More CPUs than the bound: the first 256, and a warning. */
	madt_begin();
	for (uint32_t i = 0; i < 300; i++)
		x2apic(i, i, 1);
	T_EQ(parse(madt_len, madt_len, f, SMP_MAX_CPUS, &warn), SMP_MAX_CPUS);
	expect_warn(warn, "more CPUs");
	T_EQ(f[255].apic_id, 255);
	/* A small cap holds too. */
	T_EQ(parse(madt_len, madt_len, f, 3, &warn), 3);
	expect_warn(warn, "more CPUs");
}

static void sdt(uint8_t *p, const char *sig, uint32_t len)
{
	memcpy(p, sig, 4);
	memcpy(p + 4, &len, 4);
}

/* The RSDT/XSDT walk over host memory (pointers are the "physical"
 * addresses, as in the stub platform). */
static void find_table(void)
{
	uint8_t *apic = calloc(1, 64), *facp = calloc(1, 36), *tiny = calloc(1, 36);
	uint8_t *xsdt = calloc(1, 36 + 4 * 8), *rsdt = calloc(1, 36 + 2 * 4);
	uint8_t rsdp[36] = "RSD PTR ";
	uint32_t len = 0;
	sdt(apic, "APIC", 64);
	sdt(facp, "FACP", 36);
	sdt(tiny, "APIC", 20); /* shorter than a header: skipped */
	sdt(xsdt, "XSDT", 36 + 4 * 8);
	uint64_t e[4] = { (uintptr_t)facp, (uintptr_t)tiny, 0, (uintptr_t)apic };
	memcpy(xsdt + 36, e, sizeof e);
	rsdp[15] = 2;
	uint64_t x = (uintptr_t)xsdt;
	memcpy(rsdp + 24, &x, 8);
	T_EQ(acpi_find_table((uintptr_t)rsdp, "APIC", ~0ull, &len), (uintptr_t)apic);
	T_EQ(len, 64);
	T_EQ(acpi_find_table((uintptr_t)rsdp, "HPET", ~0ull, &len), 0);
	/* Nothing at or above the limit is read: the MADT is out of reach. */
	uint64_t lim = (uintptr_t)apic + 63;
	if (lim > (uintptr_t)xsdt + 68 && lim > (uintptr_t)rsdp + 36 && lim > (uintptr_t)facp + 36)
		T_EQ(acpi_find_table((uintptr_t)rsdp, "APIC", lim, &len), 0);
	/* An XSDT claiming a huge length is refused, not walked. */
	sdt(xsdt, "XSDT", 0xfffffff0u);
	T_EQ(acpi_find_table((uintptr_t)rsdp, "APIC", ~0ull, &len), 0);
	/* Revision 0: the 32-bit RSDT (only when the heap is below 4 GiB). */
	if ((uintptr_t)apic < (1ull << 32) && (uintptr_t)rsdt < (1ull << 32)) {
		rsdp[15] = 0;
		sdt(rsdt, "RSDT", 36 + 2 * 4);
		uint32_t r[2] = { (uint32_t)(uintptr_t)facp, (uint32_t)(uintptr_t)apic };
		memcpy(rsdt + 36, r, sizeof r);
		uint32_t rr = (uint32_t)(uintptr_t)rsdt;
		memcpy(rsdp + 16, &rr, 4);
		T_EQ(acpi_find_table((uintptr_t)rsdp, "APIC", ~0ull, &len), (uintptr_t)apic);
	}
	T_EQ(acpi_find_table(0, "APIC", ~0ull, &len), 0);
	free(apic);
	free(facp);
	free(tiny);
	free(xsdt);
	free(rsdt);
}

int main(void)
{
	T_RUN(good);
	T_RUN(hostile);
	T_RUN(find_table);
	return T_END();
}
