/* SPDX-License-Identifier: MIT */
/*
 * iso.c - `elfboot image --iso`: one hybrid ISO 9660 image (xorriso; no root,
 * no loop devices) that boots from a CD and, written to a disk or USB stick,
 * from that too, on BIOS and UEFI.  Layout: docs/boot-media.md.  Inputs are
 * checked as for a disk image; everything is built in temporary files next
 * to OUT, checked with the loader's own ISO reader, and renamed into place.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core.h"
#include "gpt.h"
#include "iso9660.h"
#include "bios_layout.h"
#include "tool.h"

#define MIB (1024ull * 1024)
#define CDBOOT_BYTES 2048
#define BOOT_FILE "elfboot-cd.bin" /* cdboot + stage2, the El Torito BIOS image */

/* The three temporary files; removed on every failure and on a signal. */
static char tmp[3][4200];

static void cleanup(void)
{
	for (int i = 0; i < 3; i++) {
		if (tmp[i][0])
			unlink(tmp[i]);
		tmp[i][0] = 0;
	}
}

static void on_signal(int sig)
{
	for (int i = 0; i < 3; i++)
		if (tmp[i][0])
			unlink(tmp[i]);
	loader_tmp_remove();
	loaders_tmp_remove();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int make_tmp(int i, const char *out, const char *what)
{
	snprintf(tmp[i], sizeof tmp[i], "%s.%s.XXXXXX", out, what);
	int fd = mkstemp(tmp[i]);
	if (fd < 0) {
		int e = errno;
		tmp[i][0] = 0;
		tool_error("cannot create a temporary file next to '%s': %s", out, strerror(e));
	}
	return fd;
}

/* "NAME=PATH" for xorriso's -graft-points, with '=' and '\' in PATH escaped. */
static char *graft(const char *name, const char *path)
{
	size_t n = strlen(name) + 2 * strlen(path) + 2;
	char *g = malloc(n), *p = g;
	if (!g)
		return NULL;
	p += sprintf(p, "%s=", name);
	for (const char *c = path; *c; c++) {
		if (*c == '=' || *c == '\\')
			*p++ = '\\';
		*p++ = *c;
	}
	*p = 0;
	return g;
}

static int host_read(void *ctx, uint64_t lba, uint64_t count, void *dst)
{
	int fd = *(int *)ctx;
	size_t want = (size_t)(count * ISO_BLOCK);
	ssize_t got = pread(fd, dst, want, (off_t)(lba * ISO_BLOCK));
	if (got != (ssize_t)want)
		return eb_error("short read of %lu blocks at block %lu", (unsigned long)count,
				(unsigned long)lba);
	return EB_OK;
}

/* The boot file: cdboot's 2048 bytes, then stage2. */
static int write_boot_file(int fd, const char *cdpath, const char *s2path)
{
	uint64_t cdsize, s2size;
	uint8_t *cd = read_file(cdpath, &cdsize);
	if (!cd)
		return 1;
	if (cdsize != CDBOOT_BYTES || !memmem(cd, cdsize, "elfboot: cdboot E", 17)) {
		free(cd);
		return tool_error("'%s' is not an elfboot cdboot (size %lu)", cdpath,
				  (unsigned long)cdsize);
	}
	uint8_t *s2 = stage2_load(s2path, &s2size);
	if (!s2) {
		free(cd);
		return 1;
	}
	int bad = s2size > STAGE2_LIMIT - STAGE2_BASE
		? tool_error("stage2 is %lu bytes, more than the %u cdboot loads",
			     (unsigned long)s2size, STAGE2_LIMIT - STAGE2_BASE)
		: 0;
	if (!bad && (write(fd, cd, cdsize) != (ssize_t)cdsize ||
		     write(fd, s2, s2size) != (ssize_t)s2size))
		bad = tool_error("writing the boot file: %s", strerror(errno));
	free(cd);
	free(s2);
	return bad;
}

/* A FAT image holding EFI/BOOT/BOOTX64.EFI only: the El Torito EFI image
 * and, appended after the ISO volume, the ESP of the disk view.  Kept
 * small: El Torito counts it in 16 bits of 512-byte sectors (32 MiB). */
static int write_esp(int fd, const char *efi, uint64_t esize, const char *serial)
{
	uint64_t bytes = EB_ALIGN_UP(esize + 512 * 1024, MIB);
	if (bytes > 32 * MIB)
		return tool_error("BOOTX64.EFI is %lu bytes; the El Torito EFI image holds 32 MiB",
				  (unsigned long)esize);
	if (ftruncate(fd, (off_t)bytes))
		return tool_error("writing the EFI image: %s", strerror(errno));
	char sectors[32], pi[4100], pe[4100];
	snprintf(sectors, sizeof sectors, "%lu", (unsigned long)(bytes / 512));
	const char *img = mtools_path(tmp[2], pi, sizeof pi);
	char *fmt[] = { "mformat", "-i", (char *)img, "-T", sectors, "-h", "64", "-s", "32",
			"-v", "ELFBOOTEFI", "-N", (char *)serial, "::", NULL };
	char *mkd[] = { "mmd", "-i", (char *)img, "::/EFI", "::/EFI/BOOT", NULL };
	char *cpe[] = { "mcopy", "-i", (char *)img, (char *)mtools_path(efi, pe, sizeof pe),
			"::/EFI/BOOT/BOOTX64.EFI", NULL };
	return tool_run(fmt) || tool_run(mkd) || tool_run(cpe);
}

/* Checks the image xorriso wrote with the loader's ISO reader, and tells
 * stage1 (in the MBR) where stage2 is inside the boot file. */
static int finish(const char *out, const uint8_t stage1_in[512], uint64_t ksize,
		  uint64_t s2size)
{
	int fd = open(tmp[0], O_RDWR);
	if (fd < 0)
		return tool_error("cannot reopen the ISO image: %s", strerror(errno));
	static struct iso_vol vol;
	struct iso_dev dev = { &fd, host_read, 0 };
	struct iso_file boot, kernel;
	int st = iso_mount(&vol, &dev);
	if (st == EB_OK)
		st = iso_lookup(&vol, BOOT_FILE, &boot);
	if (st == EB_OK)
		st = iso_lookup(&vol, "kernel-x86_64", &kernel);
	if (st != EB_OK) {
		close(fd);
		return tool_error("xorriso wrote an ISO the loader cannot read: %s",
				  st == EB_NOTFOUND ? "a file is missing" : eb_last_error());
	}
	if (kernel.size != ksize || boot.size != CDBOOT_BYTES + s2size) {
		close(fd);
		return tool_error("xorriso wrote files of unexpected sizes (kernel %u, boot file %u)",
				  kernel.size, boot.size);
	}
	uint8_t mbr[512], stage1[512];
	memcpy(stage1, stage1_in, 512);
	/* stage2 follows cdboot's 2048 bytes: 512-byte LBA 4 * block + 4. */
	stage1_patch(stage1, (uint64_t)boot.lba * 4 + CDBOOT_BYTES / 512, s2size);
	int bad = pread(fd, mbr, 512, 0) != 512;
	if (!bad && memcmp(mbr, stage1_in, 440) != 0) {
		close(fd);
		return tool_error("xorriso did not keep stage1 in the MBR's code area");
	}
	/* Some CSM BIOSes boot a GPT disk only if the protective entry has
	 * the boot flag (UEFI ignores it), as on elfboot's disk images. */
	const struct mbr_partition *pe = (const struct mbr_partition *)(mbr + MBR_PARTITIONS_OFF);
	if (!bad && pe->type != MBR_TYPE_GPT_PROTECTIVE) {
		close(fd);
		return tool_error("xorriso wrote no protective MBR entry (type 0x%x)", pe->type);
	}
	uint8_t active = 0x80;
	bad = bad || pwrite(fd, stage1, 440, 0) != 440 ||
	      pwrite(fd, &active, 1, MBR_PARTITIONS_OFF + offsetof(struct mbr_partition, status)) != 1 ||
	      fsync(fd);
	close(fd);
	if (bad)
		return tool_error("writing '%s': %s", out, strerror(errno));
	return 0;
}

int iso_build(const struct image_opts *o)
{
	static struct loader_paths lp;
	if (loader_paths(o, &lp) || loaders_prepare(o, &lp))
		return 1;
	const char *efi = lp.efi, *s1path = lp.stage1, *s2path = lp.stage2, *cdpath = lp.cdboot;
	uint64_t ksize, rsize, esize, s2size;
	if (image_check(o, &ksize, &rsize) || file_size(efi, "UEFI loader", &esize) ||
	    file_size(s2path, "stage2 loader", &s2size))
		return 1;
	/* One extent per file (what the loader reads), and the BIOS path's
	 * room below 4 GiB. */
	if (ksize + rsize > 3ull * 1024 * MIB)
		return tool_error("kernel and ramdisk total %lu MiB; the BIOS path loads files "
				  "below 4 GiB", (unsigned long)((ksize + rsize) / MIB));
	uint8_t stage1[512];
	if (stage1_load(s1path, stage1))
		return 1;
	/* Reproducible (repro.c): the dates from SOURCE_DATE_EPOCH (which
	 * repro_epoch() exports, or sets to the fixed epoch); the GPT disk GUID
	 * (xorriso derives the partitions' from it) and the FAT image's serial
	 * number from a hash of the inputs. */
	long long epoch = repro_epoch();
	uint8_t seed[32];
	const char *inputs[7] = { o->kernel, o->ramdisk, o->config_file, efi, s1path, s2path,
				  cdpath };
	if (epoch < 0 || repro_seed("iso", inputs, 7, epoch, seed))
		return 1;
	char serial[16], guid[40], date[48], mdate[80];
	snprintf(serial, sizeof serial, "%02x%02x%02x%02x", seed[16], seed[17], seed[18], seed[19]);
	uint8_t g[16];
	repro_guid(seed, 0, g);
	for (int i = 0; i < 16; i++)
		snprintf(guid + 2 * i, 3, "%02x", g[i]);
	/* xorriso's SOURCE_DATE_EPOCH covers the volume dates and the boot
	 * catalog but leaves each file's mtime as on disk: set them all. */
	time_t t = (time_t)epoch;
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(date, sizeof date, "%04d%02d%02d%02d%02d%02d00", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	snprintf(mdate, sizeof mdate, "--modification-date=%s", date);

	atexit(cleanup);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	int fd_out = make_tmp(0, o->out, "tmp"), fd_boot = -1, fd_esp = -1;
	if (fd_out >= 0)
		fd_boot = make_tmp(1, o->out, "boot");
	if (fd_boot >= 0)
		fd_esp = make_tmp(2, o->out, "esp");
	int bad = fd_esp < 0;
	if (fd_out >= 0)
		close(fd_out);
	if (!bad)
		bad = write_boot_file(fd_boot, cdpath, s2path) || write_esp(fd_esp, efi, esize, serial);
	if (fd_boot >= 0)
		close(fd_boot);
	if (fd_esp >= 0)
		close(fd_esp);
	if (bad) {
		cleanup();
		return 1;
	}

	/* -U keeps names as given ("kernel-x86_64": no ISO 9660 level-1
	 * mangling, no ";1"), so the loader's reader finds them by name; Rock
	 * Ridge and Joliet are for the operating systems that mount it. */
	char *gk = graft("kernel-x86_64", o->kernel), *gb = graft(BOOT_FILE, tmp[1]);
	char *gr = o->ramdisk ? graft("ramdisk", o->ramdisk) : NULL;
	char *gc = o->config_file ? graft("boot.json", o->config_file) : NULL;
	char *argv[64];
	int n = 0;
	char *fixed[] = { "xorriso", "-as", "mkisofs", "-quiet", "-o", tmp[0], "-R", "-J", "-U",
			  "-iso-level", "3", "-V", "ELFBOOT", "-graft-points",
			  /* reproducible: every date, the GPT disk GUID */
			  mdate, "--set_all_file_dates", date, "--gpt_disk_guid", guid,
			  /* the disk view: stage1 in the MBR code, a GPT whose ESP is
			   * the FAT image appended after the ISO volume */
			  "-G", lp.stage1, "-append_partition", "2", "0xef", tmp[2],
			  "-appended_part_as_gpt",
			  /* El Torito: BIOS no-emulation cdboot, then EFI = the same
			   * appended FAT image */
			  "-c", "boot.catalog", "-b", BOOT_FILE, "-no-emul-boot", "-boot-load-size",
			  "4", "-boot-info-table", "-eltorito-alt-boot", "-e",
			  "--interval:appended_partition_2:all::", "-no-emul-boot" };
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		argv[n++] = fixed[i];
	argv[n++] = gk;
	argv[n++] = gb;
	if (gr)
		argv[n++] = gr;
	if (gc)
		argv[n++] = gc;
	argv[n] = NULL;
	if (!gk || !gb || (o->ramdisk && !gr) || (o->config_file && !gc))
		bad = tool_error("out of memory");
	else
		bad = tool_run(argv);
	free(gk);
	free(gb);
	free(gr);
	free(gc);
	if (!bad)
		bad = finish(o->out, stage1, ksize, s2size);
	struct stat sb;
	if (!bad && stat(tmp[0], &sb) != 0)
		bad = tool_error("cannot stat the ISO image: %s", strerror(errno));
	if (!bad && rename(tmp[0], o->out) != 0)
		bad = tool_error("cannot rename the image to '%s': %s", o->out, strerror(errno));
	if (bad) {
		cleanup();
		return 1;
	}
	tmp[0][0] = 0;
	cleanup();
	printf("%s: %lu MiB ISO 9660 image (CD and USB, BIOS + UEFI), kernel %lu bytes%s\n",
	       o->out, (unsigned long)((sb.st_size + MIB - 1) / MIB), (unsigned long)ksize,
	       o->ramdisk ? ", with ramdisk" : "");
	return 0;
}
