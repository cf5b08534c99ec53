/* SPDX-License-Identifier: MIT */
/*
 * test_config_layout.c - the config field table (config_layout.h) walked
 * against a vector written out by hand, field by field, from the offsets in
 * PROTOCOL-FACTS.md for all three forms (133, 124, 115 bytes): offsets and
 * sizes, parse, serialise back, the ELFBOOT_CONFIG macro's bytes, and the
 * refusal to put a field into a form that predates it.
 */
#include "config_layout.h"
#include "t.h"

/* Every field once, a distinct non-default value in each: offsets in the
 * 133-, 124- and 115-byte forms (-1: absent), and its bytes. */
struct hand_field {
	const char *key;
	int off[3];
	const char *hex;
};

static const struct hand_field hand[] = {
	{ "magic", { 0, 0, 0 }, "743ca961093646a0bb555c158915253d" },
	{ "api_version.major", { 16, 16, 16 }, "0000" },
	{ "api_version.minor", { 18, 18, 18 }, "0b00" },
	{ "api_version.patch", { 20, 20, 20 }, "1000" },
	{ "api_version.pre_release", { 22, 22, 22 }, "01" },
	{ "kernel_stack_size", { 23, 23, 23 }, "0030120000000000" },            /* 0x123000 */
	{ "mappings.kernel_stack", { 31, 31, 31 }, "01" "0000000000500000" },
	{ "mappings.kernel_base", { 40, -1, -1 }, "01" "0000000000200000" },
	{ "mappings.boot_info", { 49, 40, 40 }, "01" "0000000000600000" },
	{ "mappings.framebuffer", { 58, 49, 49 }, "01" "0000000000510000" },
	{ "mappings.physical_memory", { 67, 58, 58 }, "01" "01" "000000000080ffff" },
	{ "mappings.page_table_recursive", { 77, 68, 68 }, "01" "01" "0000000080ffffff" },
	{ "mappings.aslr", { 87, 78, 78 }, "01" },
	{ "mappings.dynamic_range_start", { 88, 79, 79 }, "01" "000000000090ffff" },
	{ "mappings.dynamic_range_end", { 97, 88, 88 }, "01" "0000000000a0ffff" },
	{ "mappings.ramdisk_memory", { 106, 97, -1 }, "01" "0000000000700000" },
	{ "frame_buffer.minimum_framebuffer_height", { 115, 106, 97 }, "01" "5802000000000000" },
	{ "frame_buffer.minimum_framebuffer_width", { 124, 115, 106 }, "01" "2003000000000000" },
};
#define NHAND (sizeof hand / sizeof hand[0])
static const uint32_t lens[3] = { 133, 124, 115 };

/* The same settings through the kernel-side macro. */
ELFBOOT_CONFIG(macro_cfg, .pre_release = 1, .kernel_stack_size = 0x123000,
	       .kernel_stack = ELFBOOT_FIXED(0x0000500000000000),
	       .kernel_base = ELFBOOT_FIXED(0x0000200000000000),
	       .boot_info = ELFBOOT_FIXED(0x0000600000000000),
	       .framebuffer = ELFBOOT_FIXED(0x0000510000000000),
	       .physical_memory = ELFBOOT_SOME_FIXED(0xffff800000000000),
	       .page_table_recursive = ELFBOOT_SOME_FIXED(0xffffff8000000000), .aslr = 1,
	       .dynamic_range_start = ELFBOOT_SOME(0xffff900000000000),
	       .dynamic_range_end = ELFBOOT_SOME(0xffffa00000000000),
	       .ramdisk_memory = ELFBOOT_FIXED(0x0000700000000000),
	       .minimum_framebuffer_height = ELFBOOT_SOME(600),
	       .minimum_framebuffer_width = ELFBOOT_SOME(800));

/* The hand vector of form `form` (0, 1, 2), laid out by the hand offsets. */
static size_t hand_vector(int form, uint8_t out[133])
{
	size_t end = 0;
	memset(out, 0xee, 133);
	for (size_t i = 0; i < NHAND; i++) {
		if (hand[i].off[form] < 0)
			continue;
		size_t n = t_unhex(hand[i].hex, out + hand[i].off[form]);
		if (hand[i].off[form] + n > end)
			end = hand[i].off[form] + n;
	}
	return end;
}

static const struct hand_field *hand_for(const char *key)
{
	for (size_t i = 0; i < NHAND; i++)
		if (!strcmp(hand[i].key, key))
			return &hand[i];
	return 0;
}

/* The table has exactly the hand-listed fields, in section order, with the
 * hand offsets and sizes in every form. */
static void table_matches_hand_offsets(void)
{
	T_EQ(eb_cfg_nfields, NHAND);
	for (unsigned i = 0; i < eb_cfg_nfields && i < NHAND; i++) {
		const struct eb_cfg_field *f = &eb_cfg_fields[i];
		const struct hand_field *h = hand_for(f->key);
		T_CHECK(h == &hand[i]);
		if (!h)
			continue;
		T_EQ(f->size, strlen(h->hex) / 2);
		T_EQ(f->off, h->off[0]);
		for (int k = 0; k < 3; k++)
			if (config_field_off(f, lens[k]) != h->off[k]) {
				fprintf(stderr, "  %s in the %u-byte form: table %d, hand %d\n", f->key,
					lens[k], config_field_off(f, lens[k]), h->off[k]);
				t_case_failed = 1;
			}
	}
	for (int k = 0; k < 3; k++) {
		uint8_t v[133];
		T_EQ(hand_vector(k, v), lens[k]);
		T_CHECK(config_form(lens[k]) != 0);
	}
	T_CHECK(config_form(132) == 0 && config_form(134) == 0);
	T_EQ(config_field_off(&eb_cfg_fields[0], 118), -1);
}

/* The macro's object, walked field by field through the table. */
static void macro_bytes_per_field(void)
{
	uint8_t want[133];
	hand_vector(0, want);
	const uint8_t *obj = (const uint8_t *)&macro_cfg;
	for (unsigned i = 0; i < eb_cfg_nfields; i++) {
		const struct eb_cfg_field *f = &eb_cfg_fields[i];
		if (memcmp(obj + f->off, want + f->off, f->size)) {
			fprintf(stderr, "  macro bytes differ in %s at +%u\n", f->key, f->off);
			t_case_failed = 1;
		}
	}
}

/* Every form parses to the hand values (checked through the named
 * eb_config members, not the table) and serialises back byte for byte. */
static void parse_and_serialise_each_form(void)
{
	for (int k = 0; k < 3; k++) {
		uint8_t v[133], back[133];
		struct eb_config c;
		hand_vector(k, v);
		T_OK(config_parse(v, lens[k], &c));
		T_EQ(c.len, lens[k]);
		T_EQ(c.version_major, 0);
		T_EQ(c.version_minor, 11);
		T_EQ(c.version_patch, 16);
		T_EQ(c.pre_release, 1);
		T_EQ(c.kernel_stack_size, 0x123000);
		T_CHECK(c.kernel_stack.fixed && c.kernel_stack.addr == 0x0000500000000000ull);
		T_EQ(c.kernel_base.fixed, k == 0);
		T_EQ(c.kernel_base.addr, k == 0 ? 0x0000200000000000ull : 0);
		T_CHECK(c.boot_info.fixed && c.boot_info.addr == 0x0000600000000000ull);
		T_CHECK(c.framebuffer.fixed && c.framebuffer.addr == 0x0000510000000000ull);
		T_CHECK(c.has_physical_memory && c.physical_memory.fixed &&
			c.physical_memory.addr == 0xffff800000000000ull);
		T_CHECK(c.has_recursive && c.recursive.fixed &&
			c.recursive.addr == 0xffffff8000000000ull);
		T_EQ(c.aslr, 1);
		T_CHECK(c.has_dyn_start && c.dyn_start == 0xffff900000000000ull);
		T_CHECK(c.has_dyn_end && c.dyn_end == 0xffffa00000000000ull);
		T_EQ(c.ramdisk_memory.fixed, k < 2);
		T_EQ(c.ramdisk_memory.addr, k < 2 ? 0x0000700000000000ull : 0);
		T_CHECK(c.has_min_height && c.min_height == 600);
		T_CHECK(c.has_min_width && c.min_width == 800);
		memset(back, 0xee, sizeof back);
		T_OK(config_serialize_len(&c, lens[k], back));
		T_CHECK(memcmp(back, v, 133) == 0);
	}
}

/* An older form cannot hold a field it predates unless that field is at
 * its default (Dynamic). */
static void old_forms_refuse_new_fields(void)
{
	uint8_t out[133];
	struct eb_config c;
	config_default(&c);
	T_OK(config_serialize_len(&c, 124, out));
	T_OK(config_serialize_len(&c, 115, out));
	c.ramdisk_memory = (struct eb_mapping){ 1, 0x0000700000000000ull };
	T_OK(config_serialize_len(&c, 124, out));
	T_ERR(config_serialize_len(&c, 115, out), "115-byte config (bootloader_api 0.11.0) has no ramdisk_memory");
	c.kernel_base = (struct eb_mapping){ 1, 0x0000200000000000ull };
	T_ERR(config_serialize_len(&c, 124, out), "124-byte config (bootloader_api 0.11.1-0.11.10) has no kernel_base");
	T_ERR(config_serialize_len(&c, 120, out), "120-byte config");
}

int main(void)
{
	T_RUN(table_matches_hand_offsets);
	T_RUN(macro_bytes_per_field);
	T_RUN(parse_and_serialise_each_form);
	T_RUN(old_forms_refuse_new_fields);
	return T_END();
}
