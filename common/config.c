/* SPDX-License-Identifier: MIT */
/*
 * config.c - parses and validates the ".bootloader-config" bytes of a kernel
 * (bootloader_api 0.11 layouts of 133, 124 and 115 bytes) into struct
 * eb_config, and serialises the 133-byte form.  Input is hostile: every tag,
 * bool and payload byte is checked, and each failure names the field, its
 * offset in the section and the offending value.
 */
#include "core.h"

static const uint8_t config_magic[16] = ELFBOOT_CONFIG_MAGIC_BYTES;

/* Field offsets per serialised length; -1 = field absent in that form. */
struct config_layout {
	uint32_t len;
	int stack_size, kernel_stack, kernel_base, boot_info, framebuffer;
	int physical_memory, recursive, aslr, dyn_start, dyn_end, ramdisk;
	int min_height, min_width;
};

static const struct config_layout layouts[] = {
	{ 133, 23, 31, 40, 49, 58, 67, 77, 87, 88, 97, 106, 115, 124 },
	{ 124, 23, 31, -1, 40, 49, 58, 68, 78, 79, 88, 97, 106, 115 },
	{ 115, 23, 31, -1, 40, 49, 58, 68, 78, 79, 88, -1, 97, 106 },
};

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static void wr64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static int all_zero(const uint8_t *p, int n)
{
	for (int i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static int bad_byte(const char *field, int off, uint8_t v, const char *want)
{
	return eb_error("config: %s at .bootloader-config+%d: byte 0x%02x, expected %s", field,
			off, v, want);
}

static int parse_mapping(const uint8_t *d, int off, const char *field, struct eb_mapping *m)
{
	if (d[off] > 1)
		return bad_byte(field, off, d[off], "0 (Dynamic) or 1 (FixedAddress)");
	if (d[off] == 0 && !all_zero(d + off + 1, 8))
		return eb_error("config: %s at .bootloader-config+%d: Dynamic mapping with "
				"non-zero payload 0x%lx", field, off, rd64(d + off + 1));
	m->fixed = d[off];
	m->addr = rd64(d + off + 1);
	return EB_OK;
}

static int parse_opt_mapping(const uint8_t *d, int off, const char *field, uint8_t *some,
			     struct eb_mapping *m)
{
	if (d[off] > 1)
		return bad_byte(field, off, d[off], "0 (None) or 1 (Some)");
	if (d[off] == 0) {
		if (!all_zero(d + off + 1, 9))
			return eb_error("config: %s at .bootloader-config+%d: None with "
					"non-zero payload", field, off);
		*some = 0;
		return EB_OK;
	}
	*some = 1;
	return parse_mapping(d, off + 1, field, m);
}

static int parse_opt_u64(const uint8_t *d, int off, const char *field, uint8_t *some,
			 uint64_t *v)
{
	if (d[off] > 1)
		return bad_byte(field, off, d[off], "0 (None) or 1 (Some)");
	if (d[off] == 0 && !all_zero(d + off + 1, 8))
		return eb_error("config: %s at .bootloader-config+%d: None with non-zero "
				"payload 0x%lx", field, off, rd64(d + off + 1));
	*some = d[off];
	*v = rd64(d + off + 1);
	return EB_OK;
}

void config_default(struct eb_config *c)
{
	memset(c, 0, sizeof *c);
	c->len = ELFBOOT_CONFIG_LEN;
	c->version_major = ELFBOOT_API_MAJOR;
	c->version_minor = ELFBOOT_API_MINOR;
	c->version_patch = ELFBOOT_API_PATCH;
	c->kernel_stack_size = ELFBOOT_DEFAULT_STACK_SIZE;
}

/* A fixed address must be canonical and aligned. */
static int check_fixed(const char *field, const struct eb_mapping *m, uint64_t align,
		       const char *align_name)
{
	if (!m->fixed)
		return EB_OK;
	if (!eb_canonical(m->addr))
		return eb_error("config: %s: fixed address 0x%lx is not canonical", field,
				m->addr);
	if (m->addr & (align - 1))
		return eb_error("config: %s: fixed address 0x%lx is not %s aligned", field,
				m->addr, align_name);
	return EB_OK;
}

static int config_semantics(const struct eb_config *c)
{
	if (c->kernel_stack_size == 0)
		return eb_error("config: kernel_stack_size is 0");
	/* The stack top is the end rounded down to 16 and the hand-off pushes
	 * a return address there: below 16 bytes the top is the stack's first
	 * byte and that push lands in the guard page (found by fuzz_load). */
	if (c->kernel_stack_size < 16)
		return eb_error("config: kernel_stack_size %lu is below 16 bytes: no room for the "
				"entry's return address above the guard page", c->kernel_stack_size);
	if (c->kernel_stack_size > (1ull << 40))
		return eb_error("config: kernel_stack_size 0x%lx is larger than 1 TiB",
				c->kernel_stack_size);
	if (check_fixed("kernel_stack", &c->kernel_stack, EB_PAGE, "4 KiB") ||
	    check_fixed("kernel_base", &c->kernel_base, EB_PAGE, "4 KiB") ||
	    check_fixed("boot_info", &c->boot_info, EB_PAGE, "4 KiB") ||
	    check_fixed("framebuffer", &c->framebuffer, EB_PAGE, "4 KiB") ||
	    check_fixed("ramdisk_memory", &c->ramdisk_memory, EB_PAGE, "4 KiB"))
		return EB_ERR;
	if (c->has_physical_memory &&
	    check_fixed("physical_memory", &c->physical_memory, 2ull << 20, "2 MiB"))
		return EB_ERR;
	if (c->has_recursive &&
	    check_fixed("page_table_recursive", &c->recursive, 1ull << 39, "512 GiB"))
		return EB_ERR;
	if (c->has_dyn_start && c->has_dyn_end && c->dyn_start >= c->dyn_end)
		return eb_error("config: dynamic_range_start 0x%lx is not below "
				"dynamic_range_end 0x%lx", c->dyn_start, c->dyn_end);
	return EB_OK;
}

int config_parse(const uint8_t *d, uint64_t len, struct eb_config *c)
{
	const struct config_layout *l = 0;
	for (unsigned i = 0; i < sizeof layouts / sizeof layouts[0]; i++)
		if (layouts[i].len == len)
			l = &layouts[i];
	if (!l)
		return eb_error("config: .bootloader-config is %lu bytes, expected 133 "
				"(bootloader_api >= 0.11.11), 124 or 115", len);
	if (memcmp(d, config_magic, 16) != 0)
		return eb_error("config: .bootloader-config+0: magic UUID mismatch (first "
				"byte 0x%02x), not a bootloader_api config", d[0]);
	config_default(c);
	c->len = (uint32_t)len;
	c->version_major = (uint16_t)(d[16] | d[17] << 8);
	c->version_minor = (uint16_t)(d[18] | d[19] << 8);
	c->version_patch = (uint16_t)(d[20] | d[21] << 8);
	if (d[22] > 1)
		return bad_byte("pre_release", 22, d[22], "0 or 1");
	c->pre_release = d[22];
	c->kernel_stack_size = rd64(d + l->stack_size);
	if (parse_mapping(d, l->kernel_stack, "kernel_stack", &c->kernel_stack) ||
	    (l->kernel_base >= 0 &&
	     parse_mapping(d, l->kernel_base, "kernel_base", &c->kernel_base)) ||
	    parse_mapping(d, l->boot_info, "boot_info", &c->boot_info) ||
	    parse_mapping(d, l->framebuffer, "framebuffer", &c->framebuffer) ||
	    parse_opt_mapping(d, l->physical_memory, "physical_memory",
			      &c->has_physical_memory, &c->physical_memory) ||
	    parse_opt_mapping(d, l->recursive, "page_table_recursive", &c->has_recursive,
			      &c->recursive))
		return EB_ERR;
	if (d[l->aslr] > 1)
		return bad_byte("aslr", l->aslr, d[l->aslr], "0 or 1");
	c->aslr = d[l->aslr];
	if (parse_opt_u64(d, l->dyn_start, "dynamic_range_start", &c->has_dyn_start,
			  &c->dyn_start) ||
	    parse_opt_u64(d, l->dyn_end, "dynamic_range_end", &c->has_dyn_end, &c->dyn_end) ||
	    (l->ramdisk >= 0 &&
	     parse_mapping(d, l->ramdisk, "ramdisk_memory", &c->ramdisk_memory)) ||
	    parse_opt_u64(d, l->min_height, "minimum_framebuffer_height", &c->has_min_height,
			  &c->min_height) ||
	    parse_opt_u64(d, l->min_width, "minimum_framebuffer_width", &c->has_min_width,
			  &c->min_width))
		return EB_ERR;
	return config_semantics(c);
}

static void put_mapping(uint8_t *p, const struct eb_mapping *m)
{
	p[0] = m->fixed;
	wr64(p + 1, m->fixed ? m->addr : 0);
}

static void put_opt_u64(uint8_t *p, uint8_t some, uint64_t v)
{
	p[0] = some;
	wr64(p + 1, some ? v : 0);
}

uint32_t config_serialize(const struct eb_config *c, uint8_t out[ELFBOOT_CONFIG_LEN])
{
	memset(out, 0, ELFBOOT_CONFIG_LEN);
	memcpy(out, config_magic, 16);
	out[16] = (uint8_t)c->version_major;
	out[17] = (uint8_t)(c->version_major >> 8);
	out[18] = (uint8_t)c->version_minor;
	out[19] = (uint8_t)(c->version_minor >> 8);
	out[20] = (uint8_t)c->version_patch;
	out[21] = (uint8_t)(c->version_patch >> 8);
	out[22] = c->pre_release;
	wr64(out + 23, c->kernel_stack_size);
	put_mapping(out + 31, &c->kernel_stack);
	put_mapping(out + 40, &c->kernel_base);
	put_mapping(out + 49, &c->boot_info);
	put_mapping(out + 58, &c->framebuffer);
	if (c->has_physical_memory) {
		out[67] = 1;
		put_mapping(out + 68, &c->physical_memory);
	}
	if (c->has_recursive) {
		out[77] = 1;
		put_mapping(out + 78, &c->recursive);
	}
	out[87] = c->aslr;
	put_opt_u64(out + 88, c->has_dyn_start, c->dyn_start);
	put_opt_u64(out + 97, c->has_dyn_end, c->dyn_end);
	put_mapping(out + 106, &c->ramdisk_memory);
	put_opt_u64(out + 115, c->has_min_height, c->min_height);
	put_opt_u64(out + 124, c->has_min_width, c->min_width);
	return ELFBOOT_CONFIG_LEN;
}
