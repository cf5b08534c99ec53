/* SPDX-License-Identifier: MIT */
/*
 * source.h - where files come from: one small interface each boot medium
 * (disk, CD, network) implements in one file of its front end, and
 * source_load(), the one two-step "size, allocate, read" both front ends'
 * plat_read_file() run.  Pure types: no firmware type crosses this header.
 */
#ifndef ELFBOOT_SOURCE_H
#define ELFBOOT_SOURCE_H

#include <stdint.h>

#include "platform.h"

/* A medium the loader's files (boot.json, kernel-x86_64, ramdisk) are read
 * from.  Names are paths relative to the medium's root ("kernel-x86_64"),
 * ASCII, '/'-separated.  The contract, for every implementation:
 *   - size(): EB_OK and *bytes set; EB_NOTFOUND when no such file exists
 *     (no message: the caller decides whether that is an error); EB_ERR
 *     with eb_error() saying why, naming the file and the medium (a
 *     directory where a file should be, an unreadable medium...).  A size
 *     of 0 is reported as it is; source_load() refuses it.
 *   - read(): fills exactly `bytes` bytes at dst (memory the caller
 *     allocated, at least `bytes` long: the source never writes past it)
 *     with the file's contents, `bytes` being what size() said.  A file
 *     that turns out shorter (a transfer cut short, a short firmware read)
 *     or longer is EB_ERR, never a partly filled buffer reported as OK.
 *   - Neither allocates memory the kernel could see; sizes and reads of
 *     different files may interleave, but calls come one at a time.
 * The front end owns allocation because only it knows where file memory
 * may live (below 4 GiB on BIOS, EfiLoaderData pages on UEFI). */
struct file_source {
	const char *medium; /* "disk", "cd", "network": used in messages */
	int (*size)(const char *name, uint64_t *bytes);
	int (*read)(const char *name, void *dst, uint64_t bytes);
};

/* The front end's allocator for a file of `bytes` (> 0): EB_OK and *addr
 * (page aligned, at least `bytes` long), or EB_ERR with eb_error() saying
 * why (the caller adds the file's name).  free may be NULL; it gives back
 * what alloc returned when the read fails. */
struct file_alloc {
	int (*alloc)(uint64_t bytes, uint64_t *addr);
	void (*free)(uint64_t addr, uint64_t bytes);
};

/* size -> refuse empty -> alloc -> read, with one error wording for every
 * medium.  EB_NOTFOUND (no message) when the source has no such file.
 * When pinned (source_pins), a file that is pinned but absent, present but
 * not pinned, or that differs from its pin is EB_ERR, naming the file (and
 * both digests); the file's memory is given back. */
int source_load(const struct file_source *src, const struct file_alloc *mem, const char *name,
		struct plat_file *out);

/* Pins (pins.h), for a front end: its own pin block, checked; EB_ERR with
 * eb_error() if malformed.  A block with count 0 turns pinning off. */
struct eb_pin_block;
int source_pins(struct eb_pin_block *b);
/* Nonzero when the loader is pinned. */
int source_pinned(void);
/* A source's read() calls this after each piece of the file lands in the
 * caller's buffer (a disk transfer, a TFTP block, a 2 MiB firmware read):
 * the hash takes it while it is still in the cache.  Anything but the
 * file's next bytes is ignored; whatever was not handed over is hashed
 * after read() returns, so a source that never calls this is still
 * checked, with a second pass over the file. */
void source_filled(const void *p, uint64_t n);
/* EB_ERR naming the first pinned file never read, else EB_OK. */
int source_pins_unread(void);

#endif
