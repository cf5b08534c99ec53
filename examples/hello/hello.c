/* SPDX-License-Identifier: MIT */
/*
 * hello.c - the example kernel `make run` boots: prints what elfboot handed
 * it on COM1, paints the framebuffer, and powers QEMU off through
 * isa-debug-exit.  Everything a kernel needs from elfboot is elfboot.h.
 */
#include <stdarg.h>
#include <stdint.h>

#include "elfboot.h"

/* Ask for a physical-memory mapping and an 800x600 screen at least. */
ELFBOOT_CONFIG(boot_config,
	.kernel_stack_size = 128 * 1024,
	.physical_memory = ELFBOOT_SOME_DYNAMIC,
	.minimum_framebuffer_width = ELFBOOT_SOME(800),
	.minimum_framebuffer_height = ELFBOOT_SOME(600));

static void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static void putc_(char c)
{
	while (!(inb(0x3fd) & 0x20))
		;
	outb(0x3f8, (uint8_t)c);
}

static void puts_(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			putc_('\r');
		putc_(*s);
	}
}

static void hex(uint64_t v)
{
	puts_("0x");
	for (int i = 60; i >= 0; i -= 4)
		putc_("0123456789abcdef"[(v >> i) & 15]);
}

static void dec(uint64_t v)
{
	char b[21];
	int i = 20;
	b[i] = 0;
	do
		b[--i] = (char)('0' + v % 10);
	while (v /= 10);
	puts_(b + i);
}

static const char *kind_name(uint32_t k)
{
	switch (k) {
	case ELFBOOT_REGION_USABLE: return "usable";
	case ELFBOOT_REGION_BOOTLOADER: return "bootloader";
	case ELFBOOT_REGION_UNKNOWN_UEFI: return "uefi";
	default: return "bios";
	}
}

void kmain(struct elfboot_boot_info *info);
void kmain(struct elfboot_boot_info *info)
{
	puts_("\nhello from a kernel booted by elfboot\n");
	puts_("api version: ");
	dec(info->api_version.major);
	putc_('.');
	dec(info->api_version.minor);
	putc_('.');
	dec(info->api_version.patch);
	puts_("\nboot info at ");
	hex((uint64_t)(uintptr_t)info);
	puts_("\nkernel file at ");
	hex(info->kernel_addr);
	puts_(", ");
	dec(info->kernel_len);
	puts_(" bytes\nstack ");
	hex(info->kernel_stack_bottom);
	puts_(" + ");
	dec(info->kernel_stack_len);
	if (info->physical_memory_offset.tag == ELFBOOT_SOME_TAG) {
		puts_("\nphysical memory at ");
		hex(info->physical_memory_offset.value);
	}
	if (info->rsdp_addr.tag == ELFBOOT_SOME_TAG) {
		puts_("\nACPI RSDP at ");
		hex(info->rsdp_addr.value);
	}
	puts_("\nmemory map (");
	dec(info->memory_regions_len);
	puts_(" regions):\n");
	const struct elfboot_memory_region *r = elfboot_regions(info);
	for (uint64_t i = 0; i < info->memory_regions_len; i++) {
		puts_("  ");
		hex(r[i].start);
		puts_(" - ");
		hex(r[i].end);
		puts_(" ");
		puts_(kind_name(r[i].kind));
		if (r[i].kind >= ELFBOOT_REGION_UNKNOWN_UEFI) {
			puts_(" ");
			dec(r[i].value);
		}
		puts_("\n");
	}
	if (info->framebuffer.tag == ELFBOOT_SOME_TAG) {
		const struct elfboot_framebuffer_info *fb = &info->framebuffer.info;
		puts_("framebuffer ");
		dec(fb->width);
		putc_('x');
		dec(fb->height);
		puts_(" at ");
		hex(info->framebuffer.buffer_start);
		puts_("\n");
		if (fb->bytes_per_pixel == 4) {
			volatile uint32_t *px = (volatile uint32_t *)(uintptr_t)info->framebuffer.buffer_start;
			for (uint64_t y = 0; y < fb->height; y++)
				for (uint64_t x = 0; x < fb->width; x++)
					px[y * fb->stride + x] =
						(uint32_t)((x * 255 / fb->width) << 16 |
							   (y * 255 / fb->height) << 8 | 0x60);
		}
	}
	puts_("done; exiting QEMU\n");
	outb(0xf4, 0x10);
	for (;;)
		__asm__ volatile("cli; hlt");
}
ELFBOOT_ENTRY_POINT(kmain)
