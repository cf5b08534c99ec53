/* SPDX-License-Identifier: MIT */
/* tool.h - shared declarations of the elfboot host tool. */
#ifndef ELFBOOT_TOOL_H
#define ELFBOOT_TOOL_H

#include <stddef.h>
#include <stdint.h>

/* Longest path argument accepted: room for the ".tmp.XXXXXX" suffix and
 * mtools' "./" and "@@OFFSET" in 4 KiB buffers. */
#define TOOL_PATH_MAX 4000

/* Prints "elfboot: error: ..." to stderr; returns 1 (the exit status). */
int tool_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Reads a whole file; NULL with an error printed on failure. */
uint8_t *read_file(const char *path, uint64_t *size);

/* Reads a kernel and runs the loader's checks on it; NULL with the
 * loader's error printed (naming the file) if it would not boot. */
struct elf_image;
struct eb_config;
uint8_t *read_kernel(const char *path, uint64_t *size, struct elf_image *img,
		     struct eb_config *cfg);

/* Runs the loader's whole load of the kernel on the simulated machine
 * (sim.c); returns 1 with "PATH: would fail at boot: ..." printed if it
 * would not boot.  res: what the kernel would get. */
struct sim_result;
int sim_check(const char *path, const uint8_t *buf, uint64_t size, uint64_t ramdisk_size,
	      struct sim_result *res);

/* Directory holding BOOTX64.EFI (and later stage1/stage2 binaries). */
const char *loader_dir(const char *override);

/* gpt.c */
struct gpt_part {
	uint8_t type[16];
	uint64_t first_lba, last_lba; /* inclusive */
	const char *name;
};
void guid_parse(const char *s, uint8_t out[16]);
/* Writes protective MBR, both GPT headers and entry arrays to fd. */
int gpt_write(int fd, uint64_t total_sectors, const struct gpt_part *parts, int nparts,
	      int mbr_boot_flag);

/* setcfg.c */
int config_set(const char *path, int nkv, char **kv);

/* image.c */
struct image_opts {
	const char *kernel, *ramdisk, *out, *loader_dir, *config_file;
	int uefi, bios;
	int unchecked; /* skip the kernel checks (to test the loader's own) */
	int fat32;     /* FAT32 ESP (default); 0: let mtools pick FAT12/16/32 */
	int iso;       /* an ISO 9660 image for CDs and USB sticks (iso.c) */
};
int image_build(const struct image_opts *o);
/* The loader binaries' paths (in loader_dir()), after refusing an output
 * that is one of the inputs the image will hold; 1 with the error printed. */
struct loader_paths {
	char efi[4096], stage1[4096], stage2[4096], cdboot[4096];
};
int loader_paths(const struct image_opts *o, struct loader_paths *p);
/* The kernel (loader checks + simulated load) and boot.json checks every
 * image runs; *ksize and *rsize get the kernel's and ramdisk's sizes. */
int image_check(const struct image_opts *o, uint64_t *ksize, uint64_t *rsize);
/* Runs an external tool (mtools, xorriso); 0, or 1 with its last line of
 * complaint in one error line. */
int tool_run(char *const argv[]);
const char *mtools_path(const char *path, char *buf, size_t n);
int same_file_check(const char *out, const char *in, const char *what);
int file_size(const char *path, const char *what, uint64_t *size);
/* The loader binaries, checked (stage1: marker, signature; stage2: magic
 * and length); 1 / NULL with the error printed. */
int stage1_load(const char *path, uint8_t out[512]);
uint8_t *stage2_load(const char *path, uint64_t *size);
/* Tells stage1 where stage2 is: its first 512-byte LBA and its size. */
void stage1_patch(uint8_t stage1[512], uint64_t lba, uint64_t s2size);

/* iso.c: `elfboot image --iso`, a hybrid ISO 9660 image (xorriso). */
int iso_build(const struct image_opts *o);

/* The kernel, its simulated load (with a ramdisk of rsize bytes) and
 * boot.json checked as `image` checks them; 0, or 1 with the error printed. */
int inputs_check(const char *kernel, const char *config_file, uint64_t rsize, int unchecked,
		 uint64_t *ksize);

/* netboot.c */
struct netboot_opts {
	const char *kernel, *ramdisk, *out, *loader_dir, *config_file;
	int unchecked;
};
int netboot_build(const struct netboot_opts *o);

/* run.c: `elfboot run ARGS` (argv after "run"); returns the exit status. */
int cmd_run(int argc, char **argv);

#endif
