/* SPDX-License-Identifier: MIT */
/*
 * config.c - parses and validates the ".bootloader-config" bytes of a kernel
 * (bootloader_api 0.11 layouts of 133, 124 and 115 bytes) into struct
 * eb_config, and serialises any of them, both by walking the one field table
 * (config_layout.h).  Input is hostile: every tag, bool and payload byte is
 * checked, and each failure names the field, its offset in the section and
 * the offending value.
 */
#include "config_layout.h"
#include "core.h"

static const uint8_t config_magic[16] = ELFBOOT_CONFIG_MAGIC_BYTES;

/*
 * The fields in section order:
 * X(elfboot_config member, key, kind, flags, since, eb_config value, eb_config has_ flag).
 * The offsets are the C struct's own, so the macro a kernel uses and the
 * parser cannot drift apart; `since` is the 0.11.x release that added it.
 */
#define CONFIG_FIELDS(X)                                                                      \
	X(magic, "magic", MAGIC, EB_CFG_F_FIXED, 0, len, len)                                 \
	X(version_major, "api_version.major", U16, EB_CFG_F_FIXED, 0, version_major,          \
	  version_major)                                                                      \
	X(version_minor, "api_version.minor", U16, EB_CFG_F_FIXED, 0, version_minor,          \
	  version_minor)                                                                      \
	X(version_patch, "api_version.patch", U16, EB_CFG_F_FIXED, 0, version_patch,          \
	  version_patch)                                                                      \
	X(pre_release, "api_version.pre_release", BOOL, EB_CFG_F_FIXED, 0, pre_release,       \
	  pre_release)                                                                        \
	X(kernel_stack_size, "kernel_stack_size", U64, 0, 0, kernel_stack_size,               \
	  kernel_stack_size)                                                                  \
	X(kernel_stack, "mappings.kernel_stack", MAPPING, 0, 0, kernel_stack, kernel_stack)   \
	X(kernel_base, "mappings.kernel_base", MAPPING, 0, 11, kernel_base, kernel_base)      \
	X(boot_info, "mappings.boot_info", MAPPING, 0, 0, boot_info, boot_info)               \
	X(framebuffer, "mappings.framebuffer", MAPPING, 0, 0, framebuffer, framebuffer)       \
	X(physical_memory, "mappings.physical_memory", OPT_MAPPING, 0, 0, physical_memory,    \
	  has_physical_memory)                                                                \
	X(page_table_recursive, "mappings.page_table_recursive", OPT_MAPPING, 0, 0,           \
	  recursive, has_recursive)                                                           \
	X(aslr, "mappings.aslr", BOOL, 0, 0, aslr, aslr)                                      \
	X(dynamic_range_start, "mappings.dynamic_range_start", OPT_U64, EB_CFG_F_ADDR, 0,     \
	  dyn_start, has_dyn_start)                                                           \
	X(dynamic_range_end, "mappings.dynamic_range_end", OPT_U64, EB_CFG_F_ADDR, 0,         \
	  dyn_end, has_dyn_end)                                                               \
	X(ramdisk_memory, "mappings.ramdisk_memory", MAPPING, 0, 1, ramdisk_memory,           \
	  ramdisk_memory)                                                                     \
	X(minimum_framebuffer_height, "frame_buffer.minimum_framebuffer_height", OPT_U64, 0,  \
	  0, min_height, has_min_height)                                                      \
	X(minimum_framebuffer_width, "frame_buffer.minimum_framebuffer_width", OPT_U64, 0, 0, \
	  min_width, has_min_width)

/* Bytes per kind in the section, and the size of the value in eb_config. */
#define CFG_SIZE_MAGIC 16
#define CFG_SIZE_U16 2
#define CFG_SIZE_BOOL 1
#define CFG_SIZE_U64 8
#define CFG_SIZE_MAPPING 9
#define CFG_SIZE_OPT_MAPPING 10
#define CFG_SIZE_OPT_U64 9
#define CFG_VAL_MAGIC sizeof(uint32_t) /* no value: `len` stands in */
#define CFG_VAL_U16 sizeof(uint16_t)
#define CFG_VAL_BOOL sizeof(uint8_t)
#define CFG_VAL_U64 sizeof(uint64_t)
#define CFG_VAL_MAPPING sizeof(struct eb_mapping)
#define CFG_VAL_OPT_MAPPING sizeof(struct eb_mapping)
#define CFG_VAL_OPT_U64 sizeof(uint64_t)
#define CFG_SOME_OPT_MAPPING 1
#define CFG_SOME_OPT_U64 1

#define CFG_MEMBER_SIZE(t, m) sizeof(((struct t *)0)->m)
#define CFG_ENTRY(m, key, kind, flags, since, val, some)                                      \
	{ key, EB_CFG_##kind, CFG_SIZE_##kind, ELFBOOT_OFFSETOF(struct elfboot_config, m),  \
	  since, flags, ELFBOOT_OFFSETOF(struct eb_config, val),                               \
	  ELFBOOT_OFFSETOF(struct eb_config, some) },
/* Each field is as wide as its kind says, and its eb_config value as wide
 * as the kind's reader writes. */
#define CFG_ASSERT(m, key, kind, flags, since, val, some)                                     \
	_Static_assert(CFG_MEMBER_SIZE(elfboot_config, m) == CFG_SIZE_##kind, "config " key); \
	_Static_assert(CFG_MEMBER_SIZE(eb_config, val) == CFG_VAL_##kind, "eb_config " key); \
	_Static_assert(sizeof(key) <= EB_CFG_KEY_MAX, "key (with its NUL) fits: " key);
#define CFG_SUM(m, key, kind, flags, since, val, some) +CFG_SIZE_##kind

CONFIG_FIELDS(CFG_ASSERT)
/* Together with the per-field sizes: every member of the packed struct is
 * in the table once, so the table's offsets cover the 133 bytes exactly. */
_Static_assert(0 CONFIG_FIELDS(CFG_SUM) == sizeof(struct elfboot_config), "config table");
_Static_assert(CFG_MEMBER_SIZE(eb_config, has_physical_memory) == CFG_SOME_OPT_MAPPING &&
		       CFG_MEMBER_SIZE(eb_config, has_recursive) == CFG_SOME_OPT_MAPPING &&
		       CFG_MEMBER_SIZE(eb_config, has_dyn_start) == CFG_SOME_OPT_U64 &&
		       CFG_MEMBER_SIZE(eb_config, has_dyn_end) == CFG_SOME_OPT_U64 &&
		       CFG_MEMBER_SIZE(eb_config, has_min_height) == CFG_SOME_OPT_U64 &&
		       CFG_MEMBER_SIZE(eb_config, has_min_width) == CFG_SOME_OPT_U64,
	       "has_ flags are single bytes");

const struct eb_cfg_field eb_cfg_fields[] = { CONFIG_FIELDS(CFG_ENTRY) };
const unsigned eb_cfg_nfields = sizeof eb_cfg_fields / sizeof eb_cfg_fields[0];

static const struct eb_cfg_form forms[] = {
	{ ELFBOOT_CONFIG_LEN, 11, "0.11.11+" },
	{ ELFBOOT_CONFIG_LEN_0_11_1, 1, "0.11.1-0.11.10" },
	{ ELFBOOT_CONFIG_LEN_0_11_0, 0, "0.11.0" },
};

const struct eb_cfg_form *config_form(uint64_t len)
{
	for (unsigned i = 0; i < sizeof forms / sizeof forms[0]; i++)
		if (forms[i].len == len)
			return &forms[i];
	return 0;
}

int config_field_off(const struct eb_cfg_field *f, uint64_t len)
{
	const struct eb_cfg_form *form = config_form(len);
	if (!form || f->since > form->since)
		return -1;
	/* The fields a form predates are cut out; the rest close up. */
	int off = 0;
	for (const struct eb_cfg_field *g = eb_cfg_fields; g < f; g++)
		if (g->since <= form->since)
			off += g->size;
	return off;
}

const char *config_field_name(const struct eb_cfg_field *f)
{
	const char *n = f->key;
	for (const char *p = f->key; *p; p++)
		if (*p == '.')
			n = p + 1;
	return n;
}

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

/* One field at `off` into its place in c (bytes checked first). */
static int parse_field(const struct eb_cfg_field *f, const uint8_t *d, int off,
		       struct eb_config *c)
{
	uint8_t *val = (uint8_t *)c + f->val, *some = (uint8_t *)c + f->some;
	const char *name = config_field_name(f);
	uint64_t v = 0;
	switch (f->kind) {
	case EB_CFG_MAGIC:
		if (memcmp(d + off, config_magic, 16) != 0)
			return eb_error("config: .bootloader-config+%d: magic UUID mismatch (first "
					"byte 0x%02x), not a bootloader_api config", off, d[off]);
		return EB_OK;
	case EB_CFG_U16: {
		uint16_t h = (uint16_t)(d[off] | d[off + 1] << 8);
		memcpy(val, &h, sizeof h);
		return EB_OK;
	}
	case EB_CFG_BOOL:
		if (d[off] > 1)
			return bad_byte(name, off, d[off], "0 or 1");
		*val = d[off];
		return EB_OK;
	case EB_CFG_U64:
		v = rd64(d + off);
		memcpy(val, &v, sizeof v);
		return EB_OK;
	case EB_CFG_MAPPING:
		return parse_mapping(d, off, name, (struct eb_mapping *)val);
	case EB_CFG_OPT_MAPPING:
		return parse_opt_mapping(d, off, name, some, (struct eb_mapping *)val);
	case EB_CFG_OPT_U64:
		if (parse_opt_u64(d, off, name, some, &v))
			return EB_ERR;
		memcpy(val, &v, sizeof v);
		return EB_OK;
	}
	return eb_error("config: %s: unknown field kind %u", name, f->kind);
}

int config_parse(const uint8_t *d, uint64_t len, struct eb_config *c)
{
	if (!config_form(len))
		return eb_error("config: .bootloader-config is %lu bytes, expected 133 "
				"(bootloader_api >= 0.11.11), 124 or 115", len);
	config_default(c);
	c->len = (uint32_t)len;
	for (unsigned i = 0; i < eb_cfg_nfields; i++) {
		int off = config_field_off(&eb_cfg_fields[i], len);
		if (off >= 0 && parse_field(&eb_cfg_fields[i], d, off, c))
			return EB_ERR;
	}
	return config_semantics(c);
}

/* The field's bytes for c's value (payloads of Dynamic/None zeroed). */
static void put_field(const struct eb_cfg_field *f, const struct eb_config *c, uint8_t *p)
{
	const uint8_t *val = (const uint8_t *)c + f->val, *some = (const uint8_t *)c + f->some;
	struct eb_mapping m;
	uint64_t v;
	memset(p, 0, f->size);
	switch (f->kind) {
	case EB_CFG_MAGIC:
		memcpy(p, config_magic, 16);
		break;
	case EB_CFG_U16: {
		uint16_t h;
		memcpy(&h, val, sizeof h);
		p[0] = (uint8_t)h;
		p[1] = (uint8_t)(h >> 8);
		break;
	}
	case EB_CFG_BOOL:
		p[0] = *val;
		break;
	case EB_CFG_U64:
		memcpy(&v, val, sizeof v);
		wr64(p, v);
		break;
	case EB_CFG_OPT_MAPPING:
		if (!*some)
			break;
		p[0] = 1;
		p++;
		/* fall through */
	case EB_CFG_MAPPING:
		memcpy(&m, val, sizeof m);
		p[0] = m.fixed;
		wr64(p + 1, m.fixed ? m.addr : 0);
		break;
	case EB_CFG_OPT_U64:
		memcpy(&v, val, sizeof v);
		p[0] = *some;
		wr64(p + 1, *some ? v : 0);
		break;
	}
}

int config_serialize_len(const struct eb_config *c, uint64_t len, uint8_t *out)
{
	const struct eb_cfg_form *form = config_form(len);
	if (!form)
		return eb_error("config: no bootloader_api release writes a %lu-byte config", len);
	for (unsigned i = 0; i < eb_cfg_nfields; i++) {
		const struct eb_cfg_field *f = &eb_cfg_fields[i];
		uint8_t bytes[16];
		int off = config_field_off(f, len);
		put_field(f, c, bytes);
		if (off >= 0)
			memcpy(out + off, bytes, f->size);
		else if (!all_zero(bytes, f->size))
			/* An older form can only mean the field's default. */
			return eb_error("config: this kernel's %lu-byte config (bootloader_api %s) "
					"has no %s", len, form->releases, config_field_name(f));
	}
	return EB_OK;
}

uint32_t config_serialize(const struct eb_config *c, uint8_t out[ELFBOOT_CONFIG_LEN])
{
	config_serialize_len(c, ELFBOOT_CONFIG_LEN, out); /* every field fits */
	return ELFBOOT_CONFIG_LEN;
}
