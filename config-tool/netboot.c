/* SPDX-License-Identifier: MIT */
/*
 * netboot.c - `elfboot netboot`: a TFTP root for network boot.  DIR gets the
 * BIOS network boot program (elfboot.pxe: the PXE stage, then the network
 * stage2, stage2-pxe.bin), BOOTX64.EFI (the network one, BOOTX64-net.EFI),
 * kernel-x86_64 and the optional ramdisk and boot.json, each written to a
 * temporary file in DIR and renamed into place when complete; then the
 * DHCP settings a server needs are printed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core.h"
#include "bios_layout.h"
#include "tool.h"

static char tmp_path[4200];
static time_t file_time;

static void cleanup_tmp(void)
{
	if (tmp_path[0])
		unlink(tmp_path);
	tmp_path[0] = 0;
}

/* Writes the n parts (concatenated) to DIR/name through a temporary file. */
static int put(const char *dir, const char *name, const uint8_t *const *parts,
	       const uint64_t *sizes, int n)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	snprintf(tmp_path, sizeof tmp_path, "%s/.%s.tmp.XXXXXX", dir, name);
	int fd = mkstemp(tmp_path);
	if (fd < 0) {
		tmp_path[0] = 0;
		return tool_error("netboot: cannot create a file in '%s': %s", dir, strerror(errno));
	}
	for (int i = 0; i < n; i++) {
		uint64_t done = 0;
		while (done < sizes[i]) {
			ssize_t w = write(fd, parts[i] + done, sizes[i] - done);
			if (w <= 0) {
				int e = errno;
				close(fd);
				cleanup_tmp();
				return tool_error("netboot: writing '%s': %s", path, strerror(e));
			}
			done += (uint64_t)w;
		}
	}
	/* TFTP servers serve world-readable files only (dnsmasq refuses others). */
	struct timespec ts[2] = { { file_time, 0 }, { file_time, 0 } };
	if (fchmod(fd, 0644) || futimens(fd, ts) || fsync(fd) || close(fd)) {
		int e = errno;
		cleanup_tmp();
		return tool_error("netboot: writing '%s': %s", path, strerror(e));
	}
	if (rename(tmp_path, path)) {
		int e = errno;
		cleanup_tmp();
		return tool_error("netboot: cannot rename into '%s': %s", path, strerror(e));
	}
	tmp_path[0] = 0;
	return 0;
}

static int put_file(const char *dir, const char *name, const char *src)
{
	uint64_t size;
	uint8_t *buf = read_file(src, &size);
	if (!buf)
		return 1;
	const uint8_t *parts[1] = { buf };
	int rc = put(dir, name, parts, &size, 1);
	free(buf);
	return rc;
}

int netboot_build(const struct netboot_opts *opts)
{
	/* A copy: mods_prepare may replace config_file by the final boot.json. */
	static struct netboot_opts oc;
	oc = *opts;
	const struct netboot_opts *o = &oc;
	const char *ldir = loader_dir(o->loader_dir);
	if (!ldir || mods_prepare(&oc.mods, &oc.config_file, oc.unchecked))
		return 1;
	/* Reproducible: every file gets the same mtime (SOURCE_DATE_EPOCH or
	 * the fixed epoch, repro.c), so an archive of DIR is too. */
	long long epoch = repro_epoch();
	if (epoch < 0)
		return 1;
	file_time = (time_t)epoch;
	char pxe[4096];
	static struct loader_paths lp;
	/* BOOTX64-net.EFI, served as BOOTX64.EFI (the name DHCP configs give):
	 * the disk/CD BOOTX64.EFI has no PXE code either. */
	snprintf(lp.efi, sizeof lp.efi, "%s/BOOTX64-net.EFI", ldir);
	snprintf(pxe, sizeof pxe, "%s/pxe.bin", ldir);
	/* stage2-pxe.bin: the disk/CD stage2.bin has no PXE code. */
	snprintf(lp.stage2, sizeof lp.stage2, "%s/stage2-pxe.bin", ldir);
	/* The same preparation (pins, then signing) as `image` gives its loaders. */
	struct image_opts io = { .kernel = o->kernel, .ramdisk = o->ramdisk,
				 .config_file = o->config_file, .loader_dir = o->loader_dir,
				 .unchecked = o->unchecked, .mods = o->mods, .uefi = 1, .bios = 1,
				 .pin = o->pin, .sign_key = o->sign_key, .sign_cert = o->sign_cert };
	if (loaders_prepare(&io, &lp))
		return 1;
	const char *efi = lp.efi, *s2 = lp.stage2;
	atexit(cleanup_tmp);

	uint64_t ksize, rsize = 0;
	if (o->ramdisk) {
		struct stat st;
		if (stat(o->ramdisk, &st) || !S_ISREG(st.st_mode))
			return tool_error("ramdisk '%s' is not a regular file", o->ramdisk);
		rsize = (uint64_t)st.st_size;
	}
	if (inputs_check(o->kernel, o->config_file, rsize, o->unchecked, &ksize))
		return 1;
	/* The NBP: the 1 KiB PXE stage, then stage2, which so lands at 0x8000
	 * when the PXE ROM loads the whole file at 0x7c00. */
	uint64_t psize, s2size;
	uint8_t *pb = read_file(pxe, &psize);
	if (!pb)
		return 1;
	uint8_t *sb = read_file(s2, &s2size);
	if (!sb) {
		free(pb);
		return 1;
	}
	uint32_t magic = 0, len = 0;
	if (s2size >= 12) {
		memcpy(&magic, sb + 4, 4);
		memcpy(&len, sb + 8, 4);
	}
	int bad = 0;
	if (psize != PXE_STAGE_SIZE || STAGE1_BASE + PXE_STAGE_SIZE != STAGE2_BASE)
		bad = tool_error("'%s' is not an elfboot PXE stage (%lu bytes, want %d)", pxe,
				 (unsigned long)psize, PXE_STAGE_SIZE);
	else if (magic != STAGE2_MAGIC || len != s2size || s2size > STAGE2_LIMIT - STAGE2_BASE)
		bad = tool_error("'%s' is not an elfboot stage2 (magic 0x%x, length %u of %lu bytes)",
				 s2, magic, len, (unsigned long)s2size);
	if (!bad && mkdir(o->out, 0755) && errno != EEXIST)
		bad = tool_error("netboot: cannot create '%s': %s", o->out, strerror(errno));
	const uint8_t *parts[2] = { pb, sb };
	uint64_t sizes[2] = { psize, s2size };
	if (!bad)
		bad = put(o->out, "elfboot.pxe", parts, sizes, 2);
	free(pb);
	free(sb);
	if (bad || put_file(o->out, "BOOTX64.EFI", efi) ||
	    put_file(o->out, "kernel-x86_64", o->kernel) ||
	    (o->ramdisk && put_file(o->out, "ramdisk", o->ramdisk)) ||
	    (o->config_file && put_file(o->out, "boot.json", o->config_file)))
		return 1;
	for (int i = 0; i < TOOL_MAX_MODULES; i++) {
		char name[32];
		snprintf(name, sizeof name, "module-%d", i);
		if (i < o->mods.n) {
			if (put_file(o->out, name, o->mods.file[i]))
				return 1;
			continue;
		}
		/* An earlier run's module-N would be served as if asked for. */
		char path[4200];
		snprintf(path, sizeof path, "%s/%s", o->out, name);
		if (unlink(path) && errno != ENOENT)
			return tool_error("netboot: cannot remove the old '%s': %s", path, strerror(errno));
	}
	/* A ramdisk or boot.json left by an earlier run would be served as if
	 * asked for: this run's set is the whole set. */
	const char *optional[2] = { o->ramdisk ? NULL : "ramdisk", o->config_file ? NULL : "boot.json" };
	for (int i = 0; i < 2; i++) {
		char path[4200];
		if (!optional[i])
			continue;
		snprintf(path, sizeof path, "%s/%s", o->out, optional[i]);
		if (unlink(path) && errno != ENOENT)
			return tool_error("netboot: cannot remove the old '%s': %s", path, strerror(errno));
	}
	printf("%s: TFTP root: elfboot.pxe (BIOS), BOOTX64.EFI (UEFI), kernel-x86_64 (%lu bytes)%s%s\n",
	       o->out, (unsigned long)ksize, o->ramdisk ? ", ramdisk" : "",
	       o->config_file ? ", boot.json" : "");
	printf("DHCP settings (next-server / siaddr = this TFTP server's address):\n"
	       "  client architecture (option 93) 0, BIOS x86:      boot file elfboot.pxe\n"
	       "  client architecture (option 93) 7, x86-64 UEFI:   boot file BOOTX64.EFI\n"
	       "  client architecture (option 93) 9, x86-64 UEFI (some firmware): BOOTX64.EFI\n"
	       "The files may sit in a subdirectory of the TFTP root: give the boot file as\n"
	       "DIR/elfboot.pxe or DIR/BOOTX64.EFI and elfboot reads the rest from DIR/.\n"
	       "dnsmasq, for example:\n"
	       "  enable-tftp\n"
	       "  tftp-root=%s\n"
	       "  dhcp-match=set:bios,option:client-arch,0\n"
	       "  dhcp-match=set:efi64,option:client-arch,7\n"
	       "  dhcp-match=set:efi64,option:client-arch,9\n"
	       "  dhcp-boot=tag:bios,elfboot.pxe\n"
	       "  dhcp-boot=tag:efi64,BOOTX64.EFI\n",
	       o->out);
	return 0;
}
