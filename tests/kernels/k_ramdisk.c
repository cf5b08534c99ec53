/* SPDX-License-Identifier: MIT */
/*
 * k_ramdisk.c - boots with a ramdisk (tests/run-all.sh writes 1 MiB + 123
 * bytes of byte i = (i * 7 + 3) % 251): checks length, every byte, that it
 * is mapped read/write-able at ramdisk_addr, and that its frames are
 * reported as Bootloader memory, never Usable.
 */
#include "core.h"
#include "ktest.h"

#define RAMDISK_LEN (1048576 + 123)

ELFBOOT_CONFIG(boot_config, .physical_memory = ELFBOOT_SOME_DYNAMIC);

void kmain(struct elfboot_boot_info *bi);
void kmain(struct elfboot_boot_info *bi)
{
	ktest_init();
	kputs("ktest: k_ramdisk\n");
	ktest_common_checks(bi);
	CHECK_EQ(bi->ramdisk_addr.tag, ELFBOOT_SOME_TAG);
	CHECK_EQ(bi->ramdisk_len, RAMDISK_LEN);
	const volatile uint8_t *rd = (const volatile uint8_t *)(uintptr_t)bi->ramdisk_addr.value;
	for (uint64_t i = 0; i < RAMDISK_LEN; i++)
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
