/* SPDX-License-Identifier: MIT */
/*
 * stub_platform.c - the platform hooks over nothing: for host unit tests
 * (console to stderr) and, built with STUB_FREESTANDING, for the seam link
 * test that proves common/ needs nothing but platform.h.
 */
#include "core.h"

/* Characters each raw writer got, for tests of the core's console. */
unsigned long stub_screen_chars, stub_serial_chars;

#ifdef STUB_FREESTANDING
void plat_serial_putc(char c)
{
	(void)c;
	stub_serial_chars++;
}
#else
#include <stdio.h>
void plat_serial_putc(char c)
{
	fputc(c, stderr);
	stub_serial_chars++;
}
#endif

void plat_screen_putc(char c)
{
	(void)c;
	stub_screen_chars++;
}

int plat_read_file(const char *name, struct plat_file *out)
{
	(void)name;
	(void)out;
	return EB_NOTFOUND;
}

const char *plat_file_place(void)
{
	return "at the root of the boot partition";
}

int plat_set_video(uint64_t min_w, uint64_t min_h, struct plat_framebuffer *out)
{
	(void)min_w;
	(void)min_h;
	(void)out;
	return EB_NOTFOUND;
}

int plat_memory_map(struct mem_region *map, uint32_t cap, uint32_t *count,
		    enum firmware_kind *fw)
{
	(void)map;
	(void)cap;
	*count = 0;
	*fw = FIRMWARE_UEFI;
	return EB_OK;
}

int plat_reserve(uint64_t bytes, uint64_t *addr)
{
	(void)bytes;
	(void)addr;
	return EB_NOTFOUND;
}

uint64_t plat_alloc_limit(void)
{
	return ~0ull;
}

uint64_t plat_rsdp(void)
{
	return 0;
}

void plat_smbios(uint64_t *ep32, uint64_t *ep64)
{
	*ep32 = *ep64 = 0;
}

const struct plat_efi *plat_efi(void)
{
	return 0;
}

int plat_exit_firmware(struct mem_region *map, uint32_t cap, uint32_t *count,
		       enum firmware_kind *fw)
{
	(void)map;
	(void)cap;
	*count = 0;
	*fw = FIRMWARE_UEFI;
	return eb_error("stub: no firmware");
}

uint64_t plat_smp_low(void)
{
	return 0;
}

void plat_halt(void)
{
	for (;;)
		;
}

int64_t plat_wall_clock(void)
{
	return -1;
}

void plat_measure(const char *what, const void *data, uint64_t len)
{
	(void)what;
	(void)data;
	(void)len;
}

int plat_measuring(void)
{
	return 0;
}
