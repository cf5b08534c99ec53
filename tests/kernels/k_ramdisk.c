/* SPDX-License-Identifier: MIT */
/*
 * k_ramdisk.c - boots with a ramdisk made by tests/mkpattern.py: a 16-byte
 * header ("EBRAMDSK", u64 length), then byte i = (i * 7 + 3) % 251.  Checks
 * the length against BootInfo, every byte, and that every ramdisk frame is
 * reported as Bootloader memory, never Usable.
 */
#include "core.h"
#include "ktest.h"

ELFBOOT_CONFIG(boot_config, .physical_memory = ELFBOOT_SOME_DYNAMIC);

void kmain(struct elfboot_boot_info *bi);
void kmain(struct elfboot_boot_info *bi)
{
	ktest_init();
	kputs("ktest: k_ramdisk\n");
	ktest_common_checks(bi);
	CHECK_EQ(bi->ramdisk_addr.tag, ELFBOOT_SOME_TAG);
	const uint8_t *rd = (const uint8_t *)(uintptr_t)bi->ramdisk_addr.value;
	uint64_t len;
	CHECK(memcmp(rd, "EBRAMDSK", 8) == 0);
	memcpy(&len, rd + 8, 8);
	CHECK_EQ(bi->ramdisk_len, len);
	const uint64_t RAMDISK_LEN = len;
	for (uint64_t i = 16; i < RAMDISK_LEN; i++)
		if (rd[i] != (uint8_t)((i * 7 + 3) % 251)) {
			kprintf("  ramdisk byte %lu is 0x%x\n", i, rd[i]);
			kfail(__FILE__, __LINE__, "ramdisk contents");
		}
	uint64_t off = bi->physical_memory_offset.value;
	for (uint64_t p = 0; p < RAMDISK_LEN; p += 4096) {
		uint64_t pa, fl;
		CHECK(ktest_translate(off, bi->ramdisk_addr.value + p, &pa, &fl));
		const struct elfboot_memory_region *r = ktest_region_of(bi, pa);
		CHECK(r && r->kind == ELFBOOT_REGION_BOOTLOADER);
	}
	kprintf("ktest: ramdisk of %lu bytes verified\n", bi->ramdisk_len);
	kexit(1);
}
