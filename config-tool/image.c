/* SPDX-License-Identifier: MIT */
/*
 * image.c - `elfboot image`: a GPT disk image with an EFI System Partition
 * (FAT, written by mtools: no root, no loop devices) holding the loader, the
 * kernel and the ramdisk.  The kernel is checked with the loader's own code
 * first.  The image is built in a temporary file next to OUT and renamed
 * into place only when complete: a failed run leaves no partial image.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core.h"
#include "bios_layout.h"
#include "sim.h"
#include "tool.h"

extern char **environ;

#define ESP_GUID "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"
#define BIOS_BOOT_GUID "21686148-6449-6E6F-744E-656564454649"
#define STAGE2_LBA 34     /* right after the primary GPT */
#define ESP_LBA 2048      /* 1 MiB */
#define MIB (1024ull * 1024)

static char tmp_path[4096];

static void cleanup_tmp(void)
{
	if (tmp_path[0])
		unlink(tmp_path);
	tmp_path[0] = 0;
}

static void on_signal(int sig)
{
	if (tmp_path[0])
		unlink(tmp_path);
	loader_tmp_remove();
	loaders_tmp_remove();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* What a failed tool_run() says the tool was doing (image-info changes it). */
const char *tool_run_doing = "building the image";
char *(*tool_run_complaint)(char *msg);

/* Runs an mtools command with MTOOLS_SKIP_CHECK; returns 0 on success.
 * Its stderr is captured, so a failure is still one line (ours, quoting
 * the last line of its complaint). */
int tool_run(char *const argv[])
{
	pid_t pid;
	int pfd[2];
	setenv("MTOOLS_SKIP_CHECK", "1", 1);
	setenv("MTOOLS_NO_VFAT", "0", 1);
	if (pipe(pfd))
		return tool_error("cannot run %s: %s", argv[0], strerror(errno));
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 2);
	posix_spawn_file_actions_addclose(&fa, pfd[0]);
	posix_spawn_file_actions_addclose(&fa, pfd[1]);
	int e = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	char msg[4096] = "", chunk[512];
	ssize_t n;
	size_t len = 0;
	while (!e && (n = read(pfd[0], chunk, sizeof chunk)) > 0) {
		/* Keep the tail: the last complete line is the useful one. */
		if (len + (size_t)n >= sizeof msg) {
			size_t drop = len + (size_t)n - (sizeof msg - 1);
			if (drop > len)
				drop = len;
			memmove(msg, msg + drop, len - drop);
			len -= drop;
		}
		size_t take = (size_t)n < sizeof msg - 1 - len ? (size_t)n : sizeof msg - 1 - len;
		memcpy(msg + len, chunk + (size_t)n - take, take);
		len += take;
		msg[len] = 0;
	}
	close(pfd[0]);
	if (e)
		return tool_error("cannot run %s: %s (install %s)", argv[0], strerror(e),
				  !strcmp(argv[0], "xorriso") ? "xorriso" :
				  !strcmp(argv[0], "sbsign") ? "Debian's sbsigntool package" : "mtools");
	int status;
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		while (len && (msg[len - 1] == '\n' || msg[len - 1] == '\r'))
			msg[--len] = 0;
		char *last = strrchr(msg, '\n');
		last = tool_run_complaint ? tool_run_complaint(msg) : last ? last + 1 : msg;
		for (char *c = last; *c; c++)
			if ((unsigned char)*c < 0x20)
				*c = ' ';
		return tool_error("%s failed (status %d) while %s%s%s", argv[0],
				  WIFEXITED(status) ? WEXITSTATUS(status) : -1, tool_run_doing,
				  *last ? ": " : "",
				  last);
	}
	return 0;
}

/* A path as an mtools argument: mtools reads "x:..." as a DOS drive and
 * "-..." as an option, so a relative path gets "./" in front. */
const char *mtools_path(const char *path, char *buf, size_t n)
{
	if (path[0] == '/')
		return path;
	snprintf(buf, n, "./%s", path);
	return buf;
}

/* Refuses an output that is one of the inputs (the same file by device and
 * inode, whatever path names it): the rename at the end would destroy it. */
int same_file_check(const char *out, const char *in, const char *what)
{
	struct stat so, si;
	if (!in || stat(out, &so) != 0 || stat(in, &si) != 0)
		return 0;
	if (so.st_dev == si.st_dev && so.st_ino == si.st_ino)
		return tool_error("image: output '%s' is the %s '%s'; refusing to overwrite an input",
				  out, what, in);
	return 0;
}

int file_size(const char *path, const char *what, uint64_t *size)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return tool_error("%s '%s': %s", what, path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return tool_error("%s '%s' is not a regular file", what, path);
	if (st.st_size == 0)
		return tool_error("%s '%s' is empty", what, path);
	*size = (uint64_t)st.st_size;
	return 0;
}

int stage1_load(const char *path, uint8_t out[512])
{
	uint64_t size;
	uint8_t *s1 = read_file(path, &size);
	if (!s1)
		return 1;
	uint32_t mark = 0;
	if (size >= STAGE1_PATCH_OFF + 4)
		memcpy(&mark, s1 + STAGE1_PATCH_OFF, 4);
	if (size != 512 || mark != STAGE1_PATCH_MARK || s1[510] != 0x55 || s1[511] != 0xaa) {
		free(s1);
		return tool_error("'%s' is not an elfboot stage1 (size %lu, marker 0x%x)", path,
				  (unsigned long)size, mark);
	}
	memcpy(out, s1, 512);
	free(s1);
	return 0;
}

uint8_t *stage2_load(const char *path, uint64_t *size)
{
	uint8_t *s2 = read_file(path, size);
	if (!s2)
		return NULL;
	uint32_t magic = 0, len = 0;
	if (*size >= 12) {
		memcpy(&magic, s2 + 4, 4);
		memcpy(&len, s2 + 8, 4);
	}
	if (*size < 512 || magic != STAGE2_MAGIC || len != *size) {
		free(s2);
		tool_error("'%s' is not an elfboot stage2 (magic 0x%x, length %u of %lu bytes)",
			   path, magic, len, (unsigned long)*size);
		return NULL;
	}
	return s2;
}

void stage1_patch(uint8_t stage1[512], uint64_t lba, uint64_t s2size)
{
	uint16_t sectors = (uint16_t)((s2size + 511) / 512);
	uint32_t total_sectors = sectors;
	memcpy(stage1 + STAGE1_PATCH_OFF + 4, &lba, 8);
	memcpy(stage1 + STAGE1_PATCH_OFF + 12, &sectors, 2);
	memcpy(stage1 + STAGE1_PATCH_OFF + 14, &total_sectors, 4);
}

int loader_paths(const struct image_opts *o, struct loader_paths *p)
{
	const char *dir = loader_dir(o->loader_dir);
	if (!dir)
		return 1;
	if (strlen(dir) > sizeof p->efi - 16)
		return tool_error("image: loader directory path is %zu bytes, too long",
				  strlen(dir));
	snprintf(p->efi, sizeof p->efi, "%s/BOOTX64.EFI", dir);
	snprintf(p->stage1, sizeof p->stage1, "%s/stage1.bin", dir);
	snprintf(p->stage2, sizeof p->stage2, "%s/stage2.bin", dir);
	snprintf(p->cdboot, sizeof p->cdboot, "%s/cdboot.bin", dir);
	/* An ISO holds every loader. */
	int uefi = o->uefi || o->iso, bios = o->bios || o->iso;
	return same_file_check(o->out, o->kernel, "kernel") ||
	       same_file_check(o->out, o->ramdisk, "ramdisk") ||
	       same_file_check(o->out, o->config_file, "config file") ||
	       same_file_check(o->out, uefi ? p->efi : NULL, "UEFI loader") ||
	       same_file_check(o->out, bios ? p->stage1 : NULL, "stage1 loader") ||
	       same_file_check(o->out, bios ? p->stage2 : NULL, "stage2 loader") ||
	       same_file_check(o->out, o->iso ? p->cdboot : NULL, "cdboot loader");
}

/* The checks `image` and `netboot` run before writing anything: the kernel
 * as the loader checks it, its whole load on a simulated machine (with the
 * ramdisk's size), and boot.json with the loader's parser.  *ksize: the
 * kernel's size.  0 or 1 (the error printed). */
int inputs_check(const char *kernel, const char *config_file, uint64_t rsize, int unchecked,
		 uint64_t *ksize)
{
	uint8_t *k = read_file(kernel, ksize);
	if (!k)
		return 1;
	struct elf_image img;
	struct eb_config cfg;
	if (!unchecked && kernel_check(k, *ksize, &img, &cfg)) {
		free(k);
		return tool_error("%s: %s", kernel, eb_last_error());
	}
	/* The whole load too, on a simulated machine: what only loading finds
	 * (clashing mappings, too little RAM) is refused here as well. */
	static struct sim_result sim;
	if (!unchecked && sim_check(kernel, k, *ksize, rsize, &sim)) {
		free(k);
		return 1;
	}
	free(k);
	if (config_file && !unchecked) {
		/* The loader would warn and use defaults; the tool refuses, since
		 * the user is right here to fix it. */
		uint64_t jsize;
		uint8_t *json = read_file(config_file, &jsize);
		if (!json)
			return 1;
		struct eb_bootcfg bc;
		int bad = bootcfg_parse((const char *)json, jsize, &bc);
		free(json);
		if (bad)
			return tool_error("%s: %s", config_file, eb_last_error());
	}
	return 0;
}

/* The checks every image runs on its inputs (disk and ISO alike). */
int image_check(const struct image_opts *o, uint64_t *ksize, uint64_t *rsize)
{
	*rsize = 0;
	if (o->ramdisk && file_size(o->ramdisk, "ramdisk", rsize))
		return 1;
	return inputs_check(o->kernel, o->config_file, *rsize, o->unchecked, ksize);
}

int image_build(const struct image_opts *opts)
{
	uint64_t ksize, rsize, esize;
	static struct loader_paths lp;
	/* A copy: mods_prepare may replace config_file by the final boot.json. */
	static struct image_opts oc;
	oc = *opts;
	const struct image_opts *o = &oc;
	/* Pins (trust.c) hash the final boot.json: after mods_prepare. */
	if (loader_paths(o, &lp) || mods_prepare(&oc.mods, &oc.config_file, oc.unchecked) ||
	    loaders_prepare(o, &lp))
		return 1;
	const char *efi = lp.efi, *s1path = lp.stage1, *s2path = lp.stage2;
	if (image_check(o, &ksize, &rsize))
		return 1;
	esize = 0;
	if (o->uefi && file_size(efi, "UEFI loader", &esize))
		return 1;
	uint8_t stage1[512];
	uint8_t *stage2 = NULL;
	uint64_t s2size = 0;
	if (o->bios) {
		if (ksize + rsize + o->mods.total > 3ull * 1024 * MIB)
			return tool_error("kernel, ramdisk and modules total %lu MiB; the BIOS path "
					  "loads files below 4 GiB (use --uefi)",
					  (unsigned long)((ksize + rsize + o->mods.total) / MIB));
		if (stage1_load(s1path, stage1) || !(stage2 = stage2_load(s2path, &s2size)))
			return 1;
		if (s2size > (ESP_LBA - STAGE2_LBA) * 512 ||
		    s2size > STAGE2_LIMIT - STAGE2_BASE) {
			free(stage2);
			return tool_error("stage2 is %lu bytes, more than its partition holds",
					  (unsigned long)s2size);
		}
		stage1_patch(stage1, STAGE2_LBA, s2size);
	}

	/* FAT payload plus room for FATs, directories and cluster slack. */
	uint64_t payload = EB_ALIGN_UP(esize, 64 * 1024) + EB_ALIGN_UP(ksize, 64 * 1024) +
			   EB_ALIGN_UP(rsize, 64 * 1024) + o->mods.total;
	uint64_t fat_bytes = EB_ALIGN_UP(payload + payload / 16 + 2 * MIB, MIB);
	if (fat_bytes < 8 * MIB)
		fat_bytes = 8 * MIB;
	/* FAT32 is what firmware must read on a fixed disk's ESP; it needs at
	 * least 65525 clusters, which 40 MiB of 512-byte clusters gives. */
	if (o->fat32 && fat_bytes < 40 * MIB)
		fat_bytes = 40 * MIB;
	if (fat_bytes > 2048ull * 1024 * MIB)
		return tool_error("files total %lu MiB; elfboot images are limited to 2 TiB",
				  (unsigned long)(payload / MIB));
	/* Reproducible: the GUIDs and the FAT serial number come from a hash of
	 * every input, the timestamps from SOURCE_DATE_EPOCH or a fixed epoch. */
	long long epoch = repro_epoch();
	uint8_t seed[32];
	const char *inputs[6 + TOOL_MAX_MODULES] = { o->kernel, o->ramdisk, o->config_file,
						     o->uefi ? efi : NULL, o->bios ? s1path : NULL,
						     o->bios ? s2path : NULL };
	for (int i = 0; i < o->mods.n; i++)
		inputs[6 + i] = o->mods.file[i];
	char kind[32];
	snprintf(kind, sizeof kind, "disk:%d:%d:%d", o->uefi, o->bios, o->fat32);
	if (epoch < 0 || repro_seed(kind, inputs, 6 + o->mods.n, epoch, seed)) {
		free(stage2);
		return 1;
	}
	char serial[16];
	snprintf(serial, sizeof serial, "%02x%02x%02x%02x", seed[16], seed[17], seed[18], seed[19]);
	uint64_t first = ESP_LBA, nsec = fat_bytes / 512;
	uint64_t total = EB_ALIGN_UP((first + nsec + 34) * 512, MIB) / 512;

	snprintf(tmp_path, sizeof tmp_path, "%s.tmp.XXXXXX", o->out);
	int fd = mkstemp(tmp_path);
	if (fd < 0) {
		tmp_path[0] = 0;
		free(stage2);
		return tool_error("cannot create a temporary file next to '%s': %s", o->out,
				  strerror(errno));
	}
	atexit(cleanup_tmp);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	struct gpt_part parts[2] = {
		{ .first_lba = first, .last_lba = first + nsec - 1, .name = "EFI System" },
		{ .first_lba = STAGE2_LBA, .last_lba = ESP_LBA - 1, .name = "elfboot stage2" },
	};
	guid_parse(ESP_GUID, parts[0].type);
	guid_parse(BIOS_BOOT_GUID, parts[1].type);
	int bad = ftruncate(fd, (off_t)(total * 512)) ||
		  gpt_write(fd, total, parts, o->bios ? 2 : 1, o->bios, seed);
	/* stage1 goes into the protective MBR's code area (bytes 0-439),
	 * leaving the disk signature and partition table gpt_write made. */
	if (!bad && o->bios)
		bad = pwrite(fd, stage1, 440, 0) != 440 ||
		      pwrite(fd, stage2, s2size, STAGE2_LBA * 512) != (ssize_t)s2size;
	free(stage2);
	if (bad || fsync(fd)) {
		close(fd);
		cleanup_tmp();
		return tool_error("writing '%s': %s", o->out, strerror(errno));
	}
	close(fd);

	char target[4200], sectors[32], pe[4100], pk[4100], pr[4100], pc[4100];
	snprintf(target, sizeof target, "%s@@%lu", mtools_path(tmp_path, pe, sizeof pe),
		 (unsigned long)(first * 512));
	snprintf(sectors, sizeof sectors, "%lu", (unsigned long)nsec);
	char *fmt[] = { "mformat", "-i", target, "-T", sectors, "-h", "64", "-s", "32",
			"-v", "ELFBOOT", "-N", serial, o->fat32 ? "-F" : "::", o->fat32 ? "::" : NULL,
			NULL };
	char *mkd[] = { "mmd", "-i", target, "::/EFI", "::/EFI/BOOT", NULL };
	char *cpe[] = { "mcopy", "-i", target, (char *)mtools_path(efi, pe, sizeof pe),
			"::/EFI/BOOT/BOOTX64.EFI", NULL };
	char *cpk[] = { "mcopy", "-i", target, (char *)mtools_path(o->kernel, pk, sizeof pk),
			"::/kernel-x86_64", NULL };
	char *cpr[] = { "mcopy", "-i", target,
			o->ramdisk ? (char *)mtools_path(o->ramdisk, pr, sizeof pr) : NULL,
			"::/ramdisk", NULL };
	char *cpc[] = { "mcopy", "-i", target,
			o->config_file ? (char *)mtools_path(o->config_file, pc, sizeof pc) : NULL,
			"::/boot.json", NULL };
	bad = tool_run(fmt) || (o->uefi && (tool_run(mkd) || tool_run(cpe))) || tool_run(cpk) ||
	    (o->ramdisk && tool_run(cpr)) || (o->config_file && tool_run(cpc));
	for (int i = 0; i < o->mods.n && !bad; i++) {
		char dst[32];
		snprintf(dst, sizeof dst, "::/module-%d", i);
		char *cpm[] = { "mcopy", "-i", target,
				(char *)mtools_path(o->mods.file[i], pr, sizeof pr), dst, NULL };
		bad = tool_run(cpm);
	}
	if (bad) {
		cleanup_tmp();
		return 1;
	}
	if (rename(tmp_path, o->out) != 0) {
		int e = errno;
		cleanup_tmp();
		return tool_error("cannot rename the image to '%s': %s", o->out, strerror(e));
	}
	tmp_path[0] = 0;
	printf("%s: %lu MiB GPT image (%s), kernel %lu bytes%s\n", o->out,
	       (unsigned long)(total * 512 / MIB),
	       o->uefi && o->bios ? "BIOS + UEFI" : o->uefi ? "UEFI" : "BIOS", (unsigned long)ksize,
	       o->ramdisk ? ", with ramdisk" : "");
	if (o->mods.n)
		printf("%s: %d module%s (module-0 ...)\n", o->out, o->mods.n, o->mods.n > 1 ? "s" : "");
	return 0;
}
