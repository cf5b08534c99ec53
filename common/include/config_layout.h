/* SPDX-License-Identifier: MIT */
/*
 * config_layout.h - the one description of the ".bootloader-config" bytes: a
 * table of fields (key, kind, size, offset in the 133-byte form, the 0.11.x
 * release that added it, where its value lives in struct eb_config).
 * config.c parses and serialises every form by walking it and pins it to
 * struct elfboot_config (elfboot.h) with static asserts; the host tool shows
 * and sets fields through it.  Older forms are the 133-byte one minus the
 * fields they predate, in the same order.
 */
#ifndef ELFBOOT_CONFIG_LAYOUT_H
#define ELFBOOT_CONFIG_LAYOUT_H

#include <stdint.h>

/* How a field is encoded (all integers little-endian). */
enum eb_cfg_kind {
	EB_CFG_MAGIC,       /* 16 bytes, must be the bootloader_api UUID */
	EB_CFG_U16,         /* u16 */
	EB_CFG_BOOL,        /* one byte, 0 or 1 */
	EB_CFG_U64,         /* u64 */
	EB_CFG_MAPPING,     /* tag 0 Dynamic (payload zero) / 1 FixedAddress, u64 */
	EB_CFG_OPT_MAPPING, /* tag 0 None (payload zero) / 1 Some, Mapping */
	EB_CFG_OPT_U64,     /* tag 0 None (payload zero) / 1 Some, u64 */
};

#define EB_CFG_F_ADDR  1u /* the value is an address (shown in hex) */
#define EB_CFG_F_FIXED 2u /* identifies the config; `config set` leaves it */

#define EB_CFG_KEY_MAX 40 /* longest key + NUL, checked by the compiler */

struct eb_cfg_field {
	/* bootloader_api's path, e.g. "mappings.kernel_stack": an array, not a
	 * pointer, so the table needs no load-time relocation in BOOTX64.EFI. */
	char key[EB_CFG_KEY_MAX];
	uint8_t kind;     /* EB_CFG_* */
	uint8_t size;     /* bytes in the section */
	uint8_t off;      /* offset in the 133-byte form */
	uint8_t since;    /* first bootloader_api 0.11.x patch release with it */
	uint8_t flags;    /* EB_CFG_F_* */
	uint16_t val;     /* offsetof(struct eb_config, value); unused for MAGIC */
	uint16_t some;    /* offsetof(struct eb_config, its has_ flag); OPT kinds */
};

/* A serialised form: its length and the releases that write it. */
struct eb_cfg_form {
	uint32_t len;
	uint8_t since;        /* first 0.11.x patch release writing this length */
	char releases[16];    /* for messages, e.g. "0.11.1-0.11.10" */
};

extern const struct eb_cfg_field eb_cfg_fields[];
extern const unsigned eb_cfg_nfields;

/* The form of `len` bytes, or 0 if no release writes that length. */
const struct eb_cfg_form *config_form(uint64_t len);
/* The key's last component ("kernel_stack"): error messages use it. */
const char *config_field_name(const struct eb_cfg_field *f);
/* The field's offset in the form of `len` bytes; -1 if that form lacks it. */
int config_field_off(const struct eb_cfg_field *f, uint64_t len);

#endif /* ELFBOOT_CONFIG_LAYOUT_H */
