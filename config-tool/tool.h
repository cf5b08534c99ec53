/* SPDX-License-Identifier: MIT */
/* tool.h - shared declarations of the elfboot host tool. */
#ifndef ELFBOOT_TOOL_H
#define ELFBOOT_TOOL_H

#include <stddef.h>
#include <stdint.h>

#include "sha256.h"

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

/* embed.c: the directory holding the loader binaries: override
 * (--loader-dir), $ELFBOOT_LOADER_DIR, else a temporary copy of the
 * embedded ones (removed at exit); NULL with the error printed.  A given
 * directory whose loaders carry another build id gets a warning line. */
const char *loader_dir(const char *override);
struct loader_blob {
	const char *name;
	const uint8_t *data;
	size_t size;
};
/* The embedded loaders (LOADER_COUNT: stage1, the disk/CD stage2, cdboot,
 * the PXE stage, the disk/CD BOOTX64.EFI, the network stage2, the network
 * BOOTX64-net.EFI), or 0 in a build without them. */
#define LOADER_COUNT 7
int embedded_loaders(const struct loader_blob **list);
/* "elfboot VERSION (build XXXXXXXX)", or NULL. */
const char *embedded_id(void);
/* Finds a build id string in buf; 1 with it copied to out. */
int find_build_id(const uint8_t *buf, size_t n, char *out, size_t outn);
/* Removes the temporary loader copies (async-signal-safe). */
void loader_tmp_remove(void);
int print_version(void);

/* main.c: `config show` of the kernel at path, named `label` in the output. */
int config_show(const char *path, const char *label, int json);

/* info.c: `elfboot image-info IMG`. */
int image_info(const char *path);

/* repro.c: reproducible images (docs/build-id.md): seeds from the inputs. */
/* Adds a digest of a file's contents (with a tag) to the hash; 1 with the
 * error printed. */
int hash_file(struct sha256 *s, const char *tag, const char *path);
/* The timestamp every file and volume gets: $SOURCE_DATE_EPOCH (checked),
 * else 1980-01-01 00:00:00 UTC; -1 with the error printed.  Also exports
 * SOURCE_DATE_EPOCH and TZ=UTC0 for mtools and xorriso. */
long long repro_epoch(void);
/* A GUID (RFC 4122 version 4 layout) derived from seed and an index. */
void repro_guid(const uint8_t seed[32], unsigned index, uint8_t out[16]);
/* The seed of an image: every input's content, the kind and the epoch. */
int repro_seed(const char *kind, const char *const *files, int nfiles, long long epoch,
	       uint8_t seed[32]);

/* gpt.c */
struct gpt_part {
	uint8_t type[16];
	uint64_t first_lba, last_lba; /* inclusive */
	const char *name;
};
void guid_parse(const char *s, uint8_t out[16]);
/* Writes protective MBR, both GPT headers and entry arrays to fd. */
int gpt_write(int fd, uint64_t total_sectors, const struct gpt_part *parts, int nparts,
	      int mbr_boot_flag, const uint8_t seed[32]);

/* setcfg.c */
int config_set(const char *path, int nkv, char **kv);

/* modules.c: --module FILE[:NAME[:CMDLINE]] and --cmdline STR (issue 10). */
#define TOOL_MAX_MODULES 64
struct boot_mods {
	const char *spec[TOOL_MAX_MODULES]; /* as given */
	int n;
	const char *cmdline;                /* NULL: none */
	char *file[TOOL_MAX_MODULES];       /* mods_prepare: the FILE paths */
	uint64_t total;                     /* mods_prepare: bytes, 64 KiB-rounded */
};
/* If argv[*i] is --module or --cmdline: takes it and its value (advancing
 * *i) and returns 1; -1 with the error printed; 0 if it is neither. */
int mods_option(struct boot_mods *m, const char *cmd, int argc, char **argv, int *i);
/* Checks the modules and strings, and (if there are any) writes the final
 * boot.json (the one in *config_file plus "cmdline" and "modules") to a
 * temporary file (removed at exit) that *config_file then names.  A
 * --config-file listing "modules" is refused (its files would not be on the
 * medium) unless unchecked.  0, or 1 with the error printed. */
int mods_prepare(struct boot_mods *m, const char **config_file, int unchecked);

/* image.c */
struct image_opts {
	struct boot_mods mods;
	const char *kernel, *ramdisk, *out, *loader_dir, *config_file;
	int uefi, bios;
	int unchecked; /* skip the kernel checks (to test the loader's own) */
	int fat32;     /* FAT32 ESP (default); 0: let mtools pick FAT12/16/32 */
	int iso;       /* an ISO 9660 image for CDs and USB sticks (iso.c) */
	int pin;       /* --pin: the files' SHA-256 in the loaders (trust.c) */
	const char *sign_key, *sign_cert; /* sign BOOTX64.EFI (trust.c); both or neither */
};
int image_build(const struct image_opts *o);
/* The loader binaries' paths (in loader_dir()), after refusing an output
 * that is one of the inputs the image will hold; 1 with the error printed. */
struct loader_paths {
	char efi[4096], stage1[4096], stage2[4096], cdboot[4096];
};
int loader_paths(const struct image_opts *o, struct loader_paths *p);
/* trust.c: prepared copies of the loaders in a private temporary
 * directory, p repointed at them: pins (o->pin) patched in.  Call once the
 * medium's files are final (after mods_prepare).  1 with the error printed. */
int loaders_prepare(const struct image_opts *o, struct loader_paths *p);
/* Removes the prepared copies (async-signal-safe). */
void loaders_tmp_remove(void);
/* The kernel (loader checks + simulated load) and boot.json checks every
 * image runs; *ksize and *rsize get the kernel's and ramdisk's sizes. */
int image_check(const struct image_opts *o, uint64_t *ksize, uint64_t *rsize);
/* Runs an external tool (mtools, xorriso); 0, or 1 with its last line of
 * complaint in one error line. */
int tool_run(char *const argv[]);
extern const char *tool_run_doing; /* "building the image" unless changed */
const char *mtools_path(const char *path, char *buf, size_t n);
int same_file_check(const char *out, const char *in, const char *what);
int file_size(const char *path, const char *what, uint64_t *size);
/* The loader binaries, checked (stage1: marker, signature; stage2: magic
 * and length); 1 / NULL with the error printed. */
int stage1_load(const char *path, uint8_t out[512]);
uint8_t *stage2_load(const char *path, uint64_t *size);
/* Tells stage1 where stage2 is: its first 512-byte LBA and its size. */
void stage1_patch(uint8_t stage1[512], uint64_t lba, uint64_t s2size);

/* trust.c: prepared copies of the loaders in a private temporary
 * directory (signed BOOTX64.EFI), with the paths in p repointed to them;
 * called right after loader_paths() by image, --iso, netboot and run.
 * 0, or 1 with the error printed (and no copy left behind). */
int loaders_prepare(const struct image_opts *o, struct loader_paths *p);
/* main.c: --sign-key and --sign-cert go together; 1 with the error printed. */
int sign_opts_check(const char *cmd, const char *key, const char *cert);
/* Removes the prepared copies (async-signal-safe; the builders' signal
 * handlers call it). */
void loaders_tmp_remove(void);
/* Picks the line of a failed tool's stderr that tool_run() quotes
 * (default: the last); trust.c sets it for sbsign. */
extern char *(*tool_run_complaint)(char *msg);

/* pesig.c: the Authenticode signatures of a PE image: the number of
 * PKCS#7 entries in its security directory (0: unsigned) with the first
 * signer's certificate subject, or -1 with why it cannot be read. */
int pe_signatures(const uint8_t *buf, size_t n, char *subject, size_t sn, char *why, size_t wn);

/* iso.c: `elfboot image --iso`, a hybrid ISO 9660 image (xorriso). */
int iso_build(const struct image_opts *o);

/* The kernel, its simulated load (with a ramdisk of rsize bytes) and
 * boot.json checked as `image` checks them; 0, or 1 with the error printed. */
int inputs_check(const char *kernel, const char *config_file, uint64_t rsize, int unchecked,
		 uint64_t *ksize);

/* netboot.c */
struct netboot_opts {
	struct boot_mods mods;
	const char *kernel, *ramdisk, *out, *loader_dir, *config_file;
	const char *sign_key, *sign_cert;
	int unchecked;
	int pin; /* --pin, as image_opts */
};
int netboot_build(const struct netboot_opts *o);

/* run.c: `elfboot run ARGS` (argv after "run"); returns the exit status. */
int cmd_run(int argc, char **argv);

#endif
