/* SPDX-License-Identifier: MIT */
/*
 * pins.h - the pin block: SHA-256 digests of the files a loader may read,
 * kept inside the loader binary (BOOTX64.EFI's .data, stage2's unpacked
 * .entry part) where `elfboot image --pin` patches them in, found by its
 * magic.  Empty (count 0) means "not pinned".  Layout: docs/trusted-boot.md.
 */
#ifndef ELFBOOT_PINS_H
#define ELFBOOT_PINS_H

#include <stddef.h>
#include <stdint.h>

#define EB_PIN_MAGIC "elfboot pins v1" /* 15 chars + NUL: the 16 magic bytes */
#define EB_PIN_VERSION 1
/* boot.json, kernel-x86_64, ramdisk and five modules: the block is stored
 * in both loaders' size budgets, so it holds what a pinned boot needs
 * rather than EB_MAX_MODULES (the version field lets it grow). */
#define EB_PIN_MAX 8
#define EB_PIN_NAME 16 /* "kernel-x86_64", "module-63": NUL-terminated */

/* flags: EB_PIN_FILE is what the tool writes (the file must be on the
 * medium and match); EB_PIN_SEEN is set by the loader once it matched. */
#define EB_PIN_FILE 0x1u
#define EB_PIN_SEEN 0x80000000u

struct eb_pin_entry {
	char name[EB_PIN_NAME]; /* +0  file name on the medium, NUL-padded */
	uint32_t flags;         /* +16 EB_PIN_FILE */
	uint32_t reserved;      /* +20 0 */
	uint8_t sha256[32];     /* +24 the file's SHA-256 */
};
_Static_assert(sizeof(struct eb_pin_entry) == 56, "pin entry layout");
_Static_assert(offsetof(struct eb_pin_entry, sha256) == 24, "pin entry layout");

struct eb_pin_block {
	char magic[16];         /* +0  EB_PIN_MAGIC */
	uint32_t version;       /* +16 EB_PIN_VERSION */
	uint32_t count;         /* +20 entries in use; 0: not pinned */
	uint32_t reserved[2];   /* +24 0 */
	struct eb_pin_entry entry[EB_PIN_MAX]; /* +32 */
};
_Static_assert(sizeof(struct eb_pin_block) == 32 + 56 * EB_PIN_MAX, "pin block layout");
_Static_assert(offsetof(struct eb_pin_block, entry) == 32, "pin block layout");

/* The empty block a front end defines (where the tool can patch it). */
#define EB_PIN_BLOCK_INIT { EB_PIN_MAGIC, EB_PIN_VERSION, 0, { 0, 0 }, { { { 0 }, 0, 0, { 0 } } } }

/* The block is well formed: version, count <= EB_PIN_MAX, each name
 * NUL-terminated and non-empty, flags EB_PIN_FILE (SEEN allowed: the
 * loader's own mark).  EB_OK, or EB_ERR with eb_error() naming the
 * field. */
int pin_block_check(const struct eb_pin_block *b);
/* The entry pinning `name`, or NULL; b passed pin_block_check(). */
struct eb_pin_entry *pin_find(struct eb_pin_block *b, const char *name);
/* The digest as 64 lowercase hex digits and a NUL. */
void pin_hex(const uint8_t d[32], char out[65]);
/* Finds the one block in a loader file's bytes: EB_OK with *off, else
 * EB_NOTFOUND (no magic), or EB_ERR (two magics, or one too near the end). */
int pin_block_find(const uint8_t *buf, size_t n, size_t *off);

#endif
