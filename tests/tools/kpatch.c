/* SPDX-License-Identifier: MIT */
/*
 * kpatch.c - makes malformed kernels for the loader's error-path boot tests
 * by patching a good one, locating things with the core's own ELF parser:
 *   kpatch IN OUT reloc-type N TYPE     set relocation N's type
 *   kpatch IN OUT config-byte OFF VAL   set byte OFF of .bootloader-config
 *   kpatch IN OUT config-u64 OFF VAL    set the u64 at OFF of .bootloader-config
 *   kpatch IN OUT truncate LEN          keep the first LEN bytes
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

void plat_serial_putc(char c)
{
	fputc(c, stderr);
}

void plat_screen_putc(char c)
{
	(void)c; /* the same text already went to stderr */
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: kpatch IN OUT reloc-type N TYPE | config-byte OFF VAL | truncate LEN\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	if (!f)
		return perror(argv[1]), 1;
	static uint8_t buf[64 << 20];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	struct elf_image img;
	if (elf_parse(buf, n, &img))
		return fprintf(stderr, "kpatch: %s\n", eb_last_error()), 1;
	unsigned long a = strtoul(argv[4], 0, 0), b = argc > 5 ? strtoul(argv[5], 0, 0) : 0;
	if (!strcmp(argv[3], "reloc-type")) {
		if (a >= img.rela_count)
			return fprintf(stderr, "kpatch: only %lu relocations\n", (unsigned long)img.rela_count), 1;
		buf[img.rela_offset + a * 24 + 8] = (uint8_t)b;
	} else if (!strcmp(argv[3], "config-byte")) {
		if (a >= img.config_len)
			return fprintf(stderr, "kpatch: config is %lu bytes\n", (unsigned long)img.config_len), 1;
		buf[img.config_offset + a] = (uint8_t)b;
	} else if (!strcmp(argv[3], "config-u64")) {
		uint64_t v = strtoull(argv[5], 0, 0);
		if (a + 8 > img.config_len)
			return fprintf(stderr, "kpatch: config is %lu bytes\n", (unsigned long)img.config_len), 1;
		memcpy(buf + img.config_offset + a, &v, 8);
	} else if (!strcmp(argv[3], "truncate")) {
		if (a < n)
			n = a;
	} else {
		return fprintf(stderr, "kpatch: unknown patch '%s'\n", argv[3]), 2;
	}
	f = fopen(argv[2], "wb");
	if (!f || fwrite(buf, 1, n, f) != n || fclose(f))
		return perror(argv[2]), 1;
	return 0;
}
