/* SPDX-License-Identifier: MIT */
/*
 * test_header.c - the bytes ELFBOOT_CONFIG emits equal what bootloader_api
 * 0.11.16 serialises for the same settings: expected vectors written out by
 * hand from the field table in PROTOCOL-FACTS.md (not from our own
 * serialiser), then parsed back.  Also finds the macro's object in this very
 * executable by section name, as the loader does in a kernel.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "t.h"

ELFBOOT_CONFIG_DEFAULT(cfg_default);

ELFBOOT_CONFIG(cfg_complex,
	.kernel_stack_size = 0x100000,
	.kernel_stack = ELFBOOT_FIXED(0x0000500000000000),
	.boot_info = ELFBOOT_FIXED(0x0000600000000000),
	.physical_memory = ELFBOOT_SOME_FIXED(0xffff800000000000),
	.page_table_recursive = ELFBOOT_SOME_DYNAMIC,
	.aslr = 1,
	.dynamic_range_start = ELFBOOT_SOME(0xffff800000000000),
	.dynamic_range_end = ELFBOOT_SOME(0xffffffffffff0000),
	.ramdisk_memory = ELFBOOT_FIXED(0x0000700000000000),
	.minimum_framebuffer_height = ELFBOOT_SOME(768),
	.minimum_framebuffer_width = ELFBOOT_SOME(1024));

static const char uuid_hex[] = "743ca961093646a0bb555c158915253d";

static const char default_hex[] =
	"0000" "0b00" "1000" "00"                     /* 16 version 0.11.16, pre */
	"0040010000000000"                            /* 23 stack 0x14000 */
	"000000000000000000"                          /* 31 kernel_stack */
	"000000000000000000"                          /* 40 kernel_base */
	"000000000000000000"                          /* 49 boot_info */
	"000000000000000000"                          /* 58 framebuffer */
	"00000000000000000000"                        /* 67 physical_memory */
	"00000000000000000000"                        /* 77 recursive */
	"00"                                          /* 87 aslr */
	"000000000000000000"                          /* 88 dyn start */
	"000000000000000000"                          /* 97 dyn end */
	"000000000000000000"                          /* 106 ramdisk */
	"000000000000000000"                          /* 115 min height */
	"000000000000000000";                         /* 124 min width */

static const char complex_hex[] =
	"0000" "0b00" "1000" "00"
	"0000100000000000"                            /* stack 0x100000 */
	"01" "0000000000500000"                       /* kernel_stack fixed */
	"00" "0000000000000000"                       /* kernel_base dynamic */
	"01" "0000000000600000"                       /* boot_info fixed */
	"00" "0000000000000000"                       /* framebuffer dynamic */
	"01" "01" "000000000080ffff"                  /* physmem Some(Fixed) */
	"01" "00" "0000000000000000"                  /* recursive Some(Dynamic) */
	"01"                                          /* aslr */
	"01" "000000000080ffff"                       /* dyn start */
	"01" "0000ffffffffffff"                       /* dyn end */
	"01" "0000000000700000"                       /* ramdisk fixed */
	"01" "0003000000000000"                       /* min height 768 */
	"01" "0004000000000000";                      /* min width 1024 */

static void expect_bytes(const void *obj, const char *body_hex)
{
	uint8_t want[200];
	size_t n = t_unhex(uuid_hex, want);
	n += t_unhex(body_hex, want + n);
	T_EQ(n, 133);
	T_EQ(sizeof(struct elfboot_config), 133);
	const uint8_t *got = obj;
	for (size_t i = 0; i < n; i++)
		if (got[i] != want[i]) {
			fprintf(stderr, "  byte %zu: got 0x%02x, want 0x%02x\n", i, got[i], want[i]);
			t_case_failed = 1;
			break;
		}
}

static void default_bytes(void)
{
	expect_bytes(&cfg_default, default_hex);
}

static void complex_bytes(void)
{
	expect_bytes(&cfg_complex, complex_hex);
}

static void parse_complex(void)
{
	struct eb_config c;
	T_OK(config_parse((const uint8_t *)&cfg_complex, 133, &c));
	T_EQ(c.kernel_stack_size, 0x100000);
	T_EQ(c.kernel_stack.fixed, 1);
	T_EQ(c.kernel_stack.addr, 0x500000000000);
	T_EQ(c.has_physical_memory, 1);
	T_EQ(c.physical_memory.addr, 0xffff800000000000);
	T_EQ(c.has_recursive, 1);
	T_EQ(c.recursive.fixed, 0);
	T_EQ(c.aslr, 1);
	T_EQ(c.dyn_end, 0xffffffffffff0000);
	T_EQ(c.min_width, 1024);
	T_EQ(c.min_height, 768);
	uint8_t again[133];
	config_serialize(&c, again);
	T_CHECK(memcmp(again, &cfg_complex, 133) == 0);
}

/* The macro's objects sit in ".bootloader-config" of this executable; the
 * loader's section lookup finds the section, and since the linker merged
 * two configs into it, refuses its length (one config per kernel). */
static void found_by_section_name(void)
{
	int fd = open("/proc/self/exe", O_RDONLY);
	T_CHECK(fd >= 0);
	struct stat st;
	fstat(fd, &st);
	uint8_t *buf = malloc((size_t)st.st_size);
	T_EQ(read(fd, buf, (size_t)st.st_size), st.st_size);
	close(fd);
	uint64_t off = 0, len = 0;
	T_OK(elf_find_config(buf, (uint64_t)st.st_size, &off, &len));
	T_EQ(len, 266);
	T_CHECK(memcmp(buf + off, &cfg_default, 133) == 0 || memcmp(buf + off, &cfg_complex, 133) == 0);
	struct eb_config c;
	T_ERR(config_parse(buf + off, len, &c), "is 266 bytes");
	free(buf);
}

int main(void)
{
	T_RUN(default_bytes);
	T_RUN(complex_bytes);
	T_RUN(parse_complex);
	T_RUN(found_by_section_name);
	return T_END();
}
