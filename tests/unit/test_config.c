/* SPDX-License-Identifier: MIT */
/* test_config.c - config parsing: every valid form and every malformed one. */
#include "t.h"

static uint8_t good[133];

static void setup(void)
{
	struct eb_config c;
	config_default(&c);
	config_serialize(&c, good);
}

static int parse_mut(int off, uint8_t v, struct eb_config *c)
{
	uint8_t b[133];
	memcpy(b, good, 133);
	b[off] = v;
	return config_parse(b, 133, c);
}

static void defaults(void)
{
	struct eb_config c;
	T_OK(config_parse(good, 133, &c));
	T_EQ(c.len, 133);
	T_EQ(c.kernel_stack_size, 0x14000);
	T_EQ(c.kernel_stack.fixed, 0);
	T_EQ(c.has_physical_memory, 0);
	T_EQ(c.has_recursive, 0);
	T_EQ(c.aslr, 0);
	T_EQ(c.version_minor, 11);
}

/* The 124-byte form (0.11.1-0.11.10) has no kernel_base; the 115-byte
 * form (0.11.0) also has no ramdisk_memory.  Build them from the 133 one. */
static void old_forms(void)
{
	uint8_t b[133];
	struct eb_config c;
	memcpy(b, good, 133);
	b[49] = 1; b[50 + 5] = 0x60; /* boot_info Fixed(0x600000000000) in 133 */
	b[67] = 1;                     /* physical memory Some(Dynamic) */
	b[115] = 1; b[116] = 0x20;     /* min height Some(32) */
	b[124] = 1; b[125] = 0x40;     /* min width Some(64) */
	b[106] = 1; b[107 + 5] = 0x70; /* ramdisk Fixed */
	T_OK(config_parse(b, 133, &c));
	uint8_t v124[124], v115[115];
	memcpy(v124, b, 40);
	memcpy(v124 + 40, b + 49, 133 - 49);
	T_OK(config_parse(v124, 124, &c));
	T_EQ(c.len, 124);
	T_EQ(c.boot_info.fixed, 1);
	T_EQ(c.boot_info.addr, 0x600000000000);
	T_EQ(c.has_physical_memory, 1);
	T_EQ(c.kernel_base.fixed, 0);
	T_EQ(c.ramdisk_memory.addr, 0x700000000000);
	T_EQ(c.min_height, 32);
	T_EQ(c.min_width, 64);
	memcpy(v115, v124, 97);
	memcpy(v115 + 97, v124 + 106, 18);
	T_OK(config_parse(v115, 115, &c));
	T_EQ(c.len, 115);
	T_EQ(c.boot_info.addr, 0x600000000000);
	T_EQ(c.ramdisk_memory.fixed, 0);
	T_EQ(c.min_height, 32);
	T_EQ(c.min_width, 64);
	/* Their own checks apply at their own offsets. */
	v115[78] = 2;
	T_ERR(config_parse(v115, 115, &c), "aslr at .bootloader-config+78");
}

static void bad_length(void)
{
	struct eb_config c;
	uint8_t big[200] = { 0 };
	memcpy(big, good, 133);
	T_ERR(config_parse(big, 0, &c), "0 bytes");
	T_ERR(config_parse(big, 132, &c), "132 bytes");
	T_ERR(config_parse(big, 134, &c), "134 bytes, expected 133");
	T_ERR(config_parse(big, 118, &c), "118 bytes");
}

static void bad_bytes(void)
{
	struct eb_config c;
	T_ERR(parse_mut(0, 0x75, &c), "magic UUID mismatch");
	T_ERR(parse_mut(15, 0, &c), "magic UUID mismatch");
	T_ERR(parse_mut(22, 2, &c), "pre_release at .bootloader-config+22: byte 0x02");
	T_ERR(parse_mut(31, 2, &c), "kernel_stack at .bootloader-config+31");
	T_ERR(parse_mut(32, 1, &c), "kernel_stack at .bootloader-config+31: Dynamic mapping with non-zero payload");
	T_ERR(parse_mut(40, 7, &c), "kernel_base at .bootloader-config+40");
	T_ERR(parse_mut(49, 0xff, &c), "boot_info");
	T_ERR(parse_mut(58, 2, &c), "framebuffer");
	T_ERR(parse_mut(67, 2, &c), "physical_memory at .bootloader-config+67");
	T_ERR(parse_mut(70, 1, &c), "physical_memory at .bootloader-config+67: None with non-zero payload");
	T_ERR(parse_mut(77, 3, &c), "page_table_recursive");
	T_ERR(parse_mut(87, 2, &c), "aslr at .bootloader-config+87");
	T_ERR(parse_mut(88, 2, &c), "dynamic_range_start");
	T_ERR(parse_mut(96, 1, &c), "dynamic_range_start at .bootloader-config+88: None with non-zero");
	T_ERR(parse_mut(97, 2, &c), "dynamic_range_end");
	T_ERR(parse_mut(106, 2, &c), "ramdisk_memory");
	T_ERR(parse_mut(115, 2, &c), "minimum_framebuffer_height");
	T_ERR(parse_mut(132, 1, &c), "minimum_framebuffer_width at .bootloader-config+124: None");
	/* Some(Dynamic) with a payload is also malformed. */
	uint8_t b[133];
	memcpy(b, good, 133);
	b[67] = 1;
	b[69] = 5;
	T_ERR(config_parse(b, 133, &c), "physical_memory at .bootloader-config+68: Dynamic mapping with non-zero payload");
}

static void bad_semantics(void)
{
	struct eb_config c, d;
	uint8_t b[133];
	config_default(&c);
	c.kernel_stack_size = 0;
	config_serialize(&c, b);
	T_ERR(config_parse(b, 133, &d), "kernel_stack_size is 0");
	c.kernel_stack_size = 10;
	config_serialize(&c, b);
	T_ERR(config_parse(b, 133, &d), "kernel_stack_size 10 is below 16 bytes");
	c.kernel_stack_size = 16;
	config_serialize(&c, b);
	T_OK(config_parse(b, 133, &d));
	config_default(&c);
	c.kernel_stack = (struct eb_mapping){ 1, 0x0000900000000000ull };
	config_serialize(&c, b);
	T_ERR(config_parse(b, 133, &d), "kernel_stack: fixed address 0x900000000000 is not canonical");
	config_default(&c);
	c.kernel_stack = (struct eb_mapping){ 1, 0x100010 };
	config_serialize(&c, b);
	T_ERR(config_parse(b, 133, &d), "not 4 KiB aligned");
	config_default(&c);
	c.has_physical_memory = 1;
	c.physical_memory = (struct eb_mapping){ 1, 0xffff800000001000ull };
	config_serialize(&c, b);
	T_ERR(config_parse(b, 133, &d), "physical_memory: fixed address 0xffff800000001000 is not 2 MiB aligned");
	config_default(&c);
	c.has_recursive = 1;
	c.recursive = (struct eb_mapping){ 1, 0xffff800000000000ull + (1ull << 30) };
	config_serialize(&c, b);
	T_ERR(config_parse(b, 133, &d), "512 GiB aligned");
	config_default(&c);
	c.has_dyn_start = c.has_dyn_end = 1;
	c.dyn_start = 0x8000000000;
	c.dyn_end = 0x1000;
	config_serialize(&c, b);
	T_ERR(config_parse(b, 133, &d), "is not below dynamic_range_end");
	config_default(&c);
	c.kernel_stack_size = 1ull << 41;
	config_serialize(&c, b);
	T_ERR(config_parse(b, 133, &d), "larger than 1 TiB");
	/* Near 2^64 the page round-up would wrap to 0: refused first. */
	c.kernel_stack_size = ~0ull - 100;
	config_serialize(&c, b);
	T_ERR(config_parse(b, 133, &d), "larger than 1 TiB");
}

/* Every single-byte change either parses or fails with a message. */
static void mutations_never_crash(void)
{
	struct eb_config c;
	for (int off = 0; off < 133; off++)
		for (int v = 0; v < 256; v += 17) {
			int r = parse_mut(off, (uint8_t)v, &c);
			T_CHECK(r == EB_OK || (r == EB_ERR && eb_last_error()[0]));
		}
}

int main(void)
{
	setup();
	T_RUN(defaults);
	T_RUN(old_forms);
	T_RUN(bad_length);
	T_RUN(bad_bytes);
	T_RUN(bad_semantics);
	T_RUN(mutations_never_crash);
	return T_END();
}
