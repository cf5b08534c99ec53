/* SPDX-License-Identifier: MIT */
/*
 * k_default.c - a static (ET_EXEC) higher-half kernel with the default
 * config: checks the entry state, the memory map, the stack, the
 * framebuffer (sane and writable) and every BootInfo field it can see
 * without a physical-memory mapping.
 */
#include "ktest.h"

ELFBOOT_CONFIG_DEFAULT(boot_config);

void kmain(struct elfboot_boot_info *bi);
void kmain(struct elfboot_boot_info *bi)
{
	ktest_init();
	kputs("ktest: k_default\n");
	ktest_common_checks(bi);
	CHECK_EQ(bi->kernel_stack_len, 0x14000);
	CHECK_EQ(bi->kernel_image_offset, 0);
	CHECK_EQ(bi->physical_memory_offset.tag, ELFBOOT_NONE_TAG);
	CHECK_EQ(bi->recursive_index.tag, ELFBOOT_NONE_TAG);
	CHECK_EQ(bi->ramdisk_addr.tag, ELFBOOT_NONE_TAG);
	CHECK_EQ(bi->tls_template.tag, ELFBOOT_NONE_TAG);
	CHECK_EQ(bi->_test_sentinel, 0);
	/* Dynamic mappings take whole level-4 slots, never slot 0. */
	CHECK((uint64_t)(uintptr_t)bi >= (1ull << 39));
	CHECK(bi->kernel_stack_bottom >= (1ull << 39));
	CHECK_EQ(bi->kernel_stack_bottom % 4096, 0);

	CHECK_EQ(bi->framebuffer.tag, ELFBOOT_SOME_TAG);
	const struct elfboot_framebuffer_info *fi = &bi->framebuffer.info;
	kprintf("ktest: framebuffer %lux%lu stride %lu bpp %lu format %u at 0x%lx\n", fi->width,
		fi->height, fi->stride, fi->bytes_per_pixel, fi->pixel_format.tag,
		bi->framebuffer.buffer_start);
	CHECK(fi->width >= 320 && fi->height >= 200);
	CHECK(fi->stride >= fi->width);
	CHECK(fi->bytes_per_pixel == 3 || fi->bytes_per_pixel == 4);
	CHECK(fi->byte_len >= fi->stride * fi->height * fi->bytes_per_pixel);
	CHECK(fi->pixel_format.tag <= ELFBOOT_PIXEL_UNKNOWN);
	CHECK_EQ(fi->bytes_per_pixel, 4);
	volatile uint32_t *px = (volatile uint32_t *)(uintptr_t)bi->framebuffer.buffer_start;
	uint64_t last = (fi->stride * (fi->height - 1) + fi->width - 1);
	px[0] = 0x00ff8040;
	px[last] = 0x00112233;
	CHECK_EQ(px[0] & 0xffffff, 0xff8040);
	CHECK_EQ(px[last] & 0xffffff, 0x112233);
	kexit(1);
}
