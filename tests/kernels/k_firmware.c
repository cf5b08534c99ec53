/* SPDX-License-Identifier: MIT */
/*
 * k_firmware.c - a kernel using the FIRMWARE request.  It prints the kind
 * (the boot test checks it against the firmware it booted), re-checks every
 * SMBIOS entry point it is given and finds QEMU's type-1 record through it;
 * on UEFI it checks the system table's signature, that no runtime region
 * of the handed-over EFI map is Usable in BootInfo, and calls GetTime after
 * the hand-off on an identity map it builds itself (runtime code is not
 * executable in the loader's NX physical-memory map).
 */
#include "core.h"
#include "ktest.h"

ELFBOOT_CONFIG(boot_config, .physical_memory = ELFBOOT_SOME_DYNAMIC);
ELFBOOT_REQUEST_FIRMWARE(firmware_request);

static uint64_t off;

static const uint8_t *phys_ptr(uint64_t pa)
{
	return (const uint8_t *)(uintptr_t)(off + pa);
}

static uint8_t sum8(const uint8_t *p, unsigned n)
{
	uint8_t s = 0;
	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

/* String idx (1-based) of the string set at s. */
static const char *smbios_string(const uint8_t *s, const uint8_t *end, unsigned idx)
{
	for (unsigned n = 1; n < idx && s < end; n++) {
		while (s < end && *s)
			s++;
		s++;
	}
	return s < end ? (const char *)s : 0;
}

/* Walks the structure table for the type-1 (System Information) record
 * and returns its manufacturer string, or 0. */
static const char *system_manufacturer(uint64_t table, uint64_t len)
{
	const uint8_t *p = phys_ptr(table), *end = p + len;
	while (p + 4 <= end && p[0] != 127) {
		const uint8_t *s = p + p[1];
		if (p[1] < 4 || s > end)
			return 0;
		if (p[0] == 1 && p[1] > 4 && p[4])
			return smbios_string(s, end, p[4]);
		while (s + 1 < end && (s[0] || s[1]))
			s++;
		p = s + 2;
	}
	return 0;
}

static void check_smbios(const struct elfboot_firmware_response *f)
{
	CHECK(f->smbios_entry || f->smbios3_entry);
	const char *maker = 0;
	if (f->smbios_entry) {
		const uint8_t *e = phys_ptr(f->smbios_entry);
		CHECK(memcmp(e, "_SM_", 4) == 0);
		CHECK(e[5] == 0x1f || e[5] == 0x1e);
		CHECK_EQ(sum8(e, e[5]), 0);
		CHECK(memcmp(e + 16, "_DMI_", 5) == 0);
		CHECK_EQ(sum8(e + 16, 15), 0);
		uint32_t table;
		uint16_t len;
		memcpy(&table, e + 0x18, 4);
		memcpy(&len, e + 0x16, 2);
		kprintf("ktest: SMBIOS %u.%u entry at 0x%lx, table 0x%x (%u bytes)\n", e[6], e[7],
			f->smbios_entry, table, len);
		maker = system_manufacturer(table, len);
	}
	if (f->smbios3_entry) {
		const uint8_t *e = phys_ptr(f->smbios3_entry);
		CHECK(memcmp(e, "_SM3_", 5) == 0);
		CHECK(e[6] >= 0x18 && e[6] <= 0x20);
		CHECK_EQ(sum8(e, e[6]), 0);
		uint64_t table;
		uint32_t len;
		memcpy(&table, e + 0x10, 8);
		memcpy(&len, e + 0x0c, 4);
		kprintf("ktest: SMBIOS3 %u.%u entry at 0x%lx, table 0x%lx (max %u bytes)\n", e[7],
			e[8], f->smbios3_entry, table, len);
		if (!maker)
			maker = system_manufacturer(table, len);
	}
	CHECK(maker != 0);
	kprintf("ktest: SMBIOS system manufacturer '%s'\n", maker);
	CHECK(memcmp(maker, "QEMU", 5) == 0);
}

/* EFI_MEMORY_DESCRIPTOR, as the spec lays it out. */
struct efi_desc {
	uint32_t type, pad;
	uint64_t phys, virt, pages, attr;
};
#define EFI_RUNTIME_CODE 5
#define EFI_RUNTIME_DATA 6
#define EFI_MEMORY_RUNTIME (1ull << 63)

struct efi_time {
	uint16_t year;
	uint8_t month, day, hour, minute, second, pad1;
	uint32_t nanosecond;
	int16_t zone;
	uint8_t daylight, pad2;
};
typedef uint64_t(__attribute__((ms_abi)) * efi_get_time)(struct efi_time *t, void *caps);

/* An identity map of the low 4 GiB with 2 MiB pages, executable: the
 * kernel's own tables for calling runtime services in physical mode.  The
 * other level-4 entries are the loader's, copied. */
static uint64_t id_pml4[512] __attribute__((aligned(4096)));
static uint64_t id_pdpt[512] __attribute__((aligned(4096)));
static uint64_t id_pd[4][512] __attribute__((aligned(4096)));

static uint64_t pa_of(const void *va)
{
	uint64_t pa, fl;
	CHECK(ktest_translate(off, (uint64_t)(uintptr_t)va, &pa, &fl));
	return pa;
}

static void identity_map(const struct elfboot_boot_info *bi)
{
	/* Slot 0 held only the hand-off page; nothing the kernel uses. */
	CHECK(bi->kernel_stack_bottom >> 39 != 0 && (uint64_t)(uintptr_t)bi >> 39 != 0 &&
	      off >> 39 != 0);
	const volatile uint64_t *cur = (const volatile uint64_t *)phys_ptr(read_cr3() & PTE_ADDR);
	for (unsigned i = 1; i < 512; i++)
		id_pml4[i] = cur[i];
	id_pml4[0] = pa_of(id_pdpt) | PTE_P | PTE_W;
	for (unsigned g = 0; g < 4; g++) {
		id_pdpt[g] = pa_of(id_pd[g]) | PTE_P | PTE_W;
		for (unsigned j = 0; j < 512; j++)
			id_pd[g][j] = ((uint64_t)g << 30 | (uint64_t)j << 21) | PTE_P | PTE_W | PTE_PS;
	}
	__asm__ volatile("mov %0, %%cr3" : : "r"(pa_of(id_pml4)) : "memory");
}

static void check_uefi(const struct elfboot_boot_info *bi, const struct elfboot_firmware_response *f)
{
	CHECK(f->efi_system_table != 0);
	const uint8_t *st = phys_ptr(f->efi_system_table);
	CHECK(memcmp(st, "IBI SYST", 8) == 0);

	/* The map copy: whole descriptors, in memory the loader keeps. */
	CHECK(f->efi_memory_map != 0);
	CHECK(f->efi_descriptor_size >= sizeof(struct efi_desc));
	CHECK(f->efi_memory_map_size >= f->efi_descriptor_size);
	CHECK_EQ(f->efi_memory_map_size % f->efi_descriptor_size, 0);
	CHECK_EQ(f->efi_descriptor_version, 1);
	const struct elfboot_memory_region *mr = ktest_region_of(bi, pa_of((const void *)(uintptr_t)f->efi_memory_map));
	CHECK(mr && mr->kind == ELFBOOT_REGION_BOOTLOADER);

	/* Every runtime region: never Usable in BootInfo, below 4 GiB (what
	 * this kernel's identity map covers). */
	const struct elfboot_memory_region *r = elfboot_regions(bi);
	unsigned runtime = 0;
	for (uint64_t o = 0; o < f->efi_memory_map_size; o += f->efi_descriptor_size) {
		const struct efi_desc *d = (const struct efi_desc *)(uintptr_t)(f->efi_memory_map + o);
		if (d->type != EFI_RUNTIME_CODE && d->type != EFI_RUNTIME_DATA &&
		    !(d->attr & EFI_MEMORY_RUNTIME))
			continue;
		uint64_t end = d->phys + d->pages * 4096;
		runtime++;
		CHECK(end <= (4ull << 30));
		for (uint64_t i = 0; i < bi->memory_regions_len; i++)
			if (r[i].kind == ELFBOOT_REGION_USABLE && r[i].start < end && d->phys < r[i].end) {
				kprintf("  runtime type %u at 0x%lx-0x%lx overlaps Usable 0x%lx-0x%lx\n",
					d->type, d->phys, end, r[i].start, r[i].end);
				kfail(__FILE__, __LINE__, "runtime region reported Usable");
			}
	}
	kprintf("ktest: %lu EFI descriptors, %u runtime, none Usable\n",
		f->efi_memory_map_size / f->efi_descriptor_size, runtime);
	CHECK(runtime > 0);

	/* GetTime through SystemTable->RuntimeServices, after the hand-off. */
	uint64_t rt;
	memcpy(&rt, st + 88, 8);
	CHECK(rt != 0 && rt < (4ull << 30));
	CHECK(memcmp(phys_ptr(rt), "RUNTSERV", 8) == 0);
	uint64_t get_time;
	memcpy(&get_time, phys_ptr(rt) + 24, 8);
	CHECK(get_time != 0 && get_time < (4ull << 30));
	identity_map(bi);
	struct efi_time t;
	memset(&t, 0, sizeof t);
	uint64_t status = ((efi_get_time)(uintptr_t)get_time)(&t, 0);
	kprintf("ktest: GetTime status 0x%lx: %u-%u-%u %u:%u:%u\n", status, t.year, t.month, t.day,
		t.hour, t.minute, t.second);
	CHECK_EQ(status, 0);
	CHECK(t.year >= 2020 && t.year < 2200);
	CHECK(t.month >= 1 && t.month <= 12 && t.day >= 1 && t.day <= 31);
}

void kmain(struct elfboot_boot_info *bi);
void kmain(struct elfboot_boot_info *bi)
{
	ktest_init();
	kputs("ktest: k_firmware\n");
	ktest_common_checks(bi);
	CHECK_EQ(bi->physical_memory_offset.tag, ELFBOOT_SOME_TAG);
	off = bi->physical_memory_offset.value;
	CHECK(firmware_request.response != 0);
	const struct elfboot_firmware_response *f =
		(const struct elfboot_firmware_response *)(uintptr_t)firmware_request.response;
	CHECK_EQ(f->revision, 0);
	kprintf("ktest: firmware kind %u (%s)\n", f->kind,
		f->kind == ELFBOOT_FIRMWARE_BIOS ? "BIOS" : f->kind == ELFBOOT_FIRMWARE_UEFI ? "UEFI" : "?");
	CHECK(f->kind == ELFBOOT_FIRMWARE_BIOS || f->kind == ELFBOOT_FIRMWARE_UEFI);
	check_smbios(f);
	if (f->kind == ELFBOOT_FIRMWARE_UEFI) {
		check_uefi(bi, f);
	} else {
		CHECK_EQ(f->efi_system_table, 0);
		CHECK_EQ(f->efi_memory_map, 0);
		CHECK_EQ(f->efi_memory_map_size, 0);
	}
	kexit(1);
}
