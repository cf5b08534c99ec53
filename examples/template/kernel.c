/* SPDX-License-Identifier: MIT */
/*
 * kernel.c - a kernel to start from: elfboot loads it in 64-bit mode with
 * paging on and calls kmain() with the boot info.  It greets on COM1, paints
 * the framebuffer, and in the test build (-DKERNEL_TEST) runs its self-tests
 * and reports through QEMU's isa-debug-exit, which `elfboot run --test`
 * turns into an exit status.  Copy this directory and make it yours.
 */
#include <stdint.h>

#include "elfboot.h"

/* What this kernel asks of the loader (every field is optional): a 64 KiB
 * stack, all of physical memory mapped somewhere, a screen of 640x480 at
 * least. */
ELFBOOT_CONFIG(boot_config,
	.kernel_stack_size = 64 * 1024,
	.physical_memory = ELFBOOT_SOME_DYNAMIC,
	.minimum_framebuffer_width = ELFBOOT_SOME(640),
	.minimum_framebuffer_height = ELFBOOT_SOME(480));

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* COM1, already set up by the loader (115200 8N1). */
static void serial_putc(char c)
{
	for (int i = 0; i < 100000 && !(inb(0x3f8 + 5) & 0x20); i++)
		;
	outb(0x3f8, (uint8_t)c);
}

static void print(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			serial_putc('\r');
		serial_putc(*s);
	}
}

static void print_hex(uint64_t v)
{
	print("0x");
	for (int i = 60; i >= 0; i -= 4)
		serial_putc("0123456789abcdef"[(v >> i) & 15]);
}

/* Stops QEMU: with `-device isa-debug-exit,iobase=0xf4` (what `elfboot run
 * --test` adds) QEMU exits with status (code << 1) | 1; 0x10 means success
 * and 0x11 failure, the bootloader_api test convention.  Without the device
 * the write does nothing and the CPU halts. */
static __attribute__((noreturn)) void qemu_exit(uint8_t code)
{
	outb(0xf4, code);
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* A gradient: shows the mode works and which way is up. */
static void paint(const struct elfboot_boot_info *info)
{
	if (info->framebuffer.tag != ELFBOOT_SOME_TAG) {
		print("no framebuffer\n");
		return;
	}
	const struct elfboot_framebuffer_info *fb = &info->framebuffer.info;
	if (fb->bytes_per_pixel != 4)
		return; /* this template paints 32-bit pixels only */
	volatile uint32_t *px = (volatile uint32_t *)(uintptr_t)info->framebuffer.buffer_start;
	for (uint64_t y = 0; y < fb->height; y++)
		for (uint64_t x = 0; x < fb->width; x++)
			px[y * fb->stride + x] = (uint32_t)((x * 255 / fb->width) << 16 |
							    (y * 255 / fb->height) << 8 | 0x80);
	print("framebuffer painted at ");
	print_hex(info->framebuffer.buffer_start);
	print("\n");
}

#ifdef KERNEL_TEST
static int failures;

static void check(int ok, const char *what)
{
	print(ok ? "test ok:   " : "test FAIL: ");
	print(what);
	print("\n");
	if (!ok)
		failures++;
}

/* A few facts every elfboot boot must satisfy; add your kernel's own. */
static void self_tests(const struct elfboot_boot_info *info)
{
	uint64_t rsp;
	__asm__ volatile("mov %%rsp, %0" : "=r"(rsp));
	check(info->api_version.major == ELFBOOT_API_MAJOR, "boot info speaks our API version");
	check(rsp > info->kernel_stack_bottom &&
		      rsp <= info->kernel_stack_bottom + info->kernel_stack_len,
	      "running on the stack the loader reports");
	const struct elfboot_memory_region *r = elfboot_regions(info);
	uint64_t usable = 0;
	int sorted = 1;
	for (uint64_t i = 0; i < info->memory_regions_len; i++) {
		if (r[i].kind == ELFBOOT_REGION_USABLE)
			usable += r[i].end - r[i].start;
		if (i && r[i].start < r[i - 1].end)
			sorted = 0;
	}
	check(usable >= 16u << 20, "at least 16 MiB of usable memory");
	check(sorted, "memory map sorted and without overlaps");
	check(info->physical_memory_offset.tag == ELFBOOT_SOME_TAG,
	      "physical memory mapped, as the config asks");
	check(info->framebuffer.tag == ELFBOOT_SOME_TAG &&
		      info->framebuffer.info.width >= 640 && info->framebuffer.info.height >= 480,
	      "framebuffer of 640x480 or more");
}
#endif

void kmain(struct elfboot_boot_info *info);
void kmain(struct elfboot_boot_info *info)
{
	print("\nhello from the elfboot kernel template\n");
	paint(info);
#ifdef KERNEL_TEST
	self_tests(info);
	print(failures ? "tests FAILED\n" : "all tests passed\n");
	qemu_exit(failures ? 0x11 : 0x10);
#else
	print("kernel running; halting\n");
	qemu_exit(0x10);
#endif
}
ELFBOOT_ENTRY_POINT(kmain)
