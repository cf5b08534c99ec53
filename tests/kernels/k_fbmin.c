/* SPDX-License-Identifier: MIT */
/* k_fbmin.c - asks for a minimum framebuffer size and checks it got one at
 * least that large, drawn to end to end. */
#include "ktest.h"

#ifndef MIN_W
#define MIN_W 1024
#define MIN_H 768
#endif

ELFBOOT_CONFIG(boot_config,
	.minimum_framebuffer_width = ELFBOOT_SOME(MIN_W),
	.minimum_framebuffer_height = ELFBOOT_SOME(MIN_H));

void kmain(struct elfboot_boot_info *bi);
void kmain(struct elfboot_boot_info *bi)
{
	ktest_init();
	kputs("ktest: k_fbmin\n");
	ktest_common_checks(bi);
	CHECK_EQ(bi->framebuffer.tag, ELFBOOT_SOME_TAG);
	const struct elfboot_framebuffer_info *fi = &bi->framebuffer.info;
	kprintf("ktest: asked for %ux%u, got %lux%lu\n", MIN_W, MIN_H, fi->width, fi->height);
	CHECK(fi->width >= MIN_W);
	CHECK(fi->height >= MIN_H);
	CHECK(fi->stride >= fi->width);
	CHECK(fi->byte_len >= fi->stride * fi->height * fi->bytes_per_pixel);
	volatile uint8_t *fb = (volatile uint8_t *)(uintptr_t)bi->framebuffer.buffer_start;
	fb[fi->byte_len - 1] = 0x5a;
	CHECK_EQ(fb[fi->byte_len - 1], 0x5a);
	kexit(1);
}
