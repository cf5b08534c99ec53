/* SPDX-License-Identifier: MIT */
/*
 * embed.c - the loader binaries the tool carries (config-tool/loaders.S) and
 * where `image`, `--iso` and `netboot` take them from: --loader-dir, then
 * $ELFBOOT_LOADER_DIR (development), else the embedded copies, written to a
 * private temporary directory (mtools and xorriso read files) that is
 * removed at exit.  Also the build id: docs/build-id.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elfboot.h"
#include "tool.h"

/* Weak: a build of the tool's sources without loaders.S (the fuzz target)
 * links, and then has no embedded loaders (all addresses NULL). */
#define BLOB(n) \
	extern const uint8_t eb_embedded_##n[] __attribute__((weak)); \
	extern const uint8_t eb_embedded_##n##_end[] __attribute__((weak));
BLOB(stage1)
BLOB(stage2)
BLOB(cdboot)
BLOB(pxe)
BLOB(efi)
BLOB(stage2_pxe)
BLOB(efi_net)
extern const char eb_embedded_id[] __attribute__((weak));

/* The loaders' file names, in loaders.S's order: stage2.bin and
 * BOOTX64.EFI serve disks and CDs, stage2-pxe.bin and BOOTX64-net.EFI
 * (with the PXE code) the network boot (`elfboot netboot`). */
static const char *const loader_names[LOADER_COUNT] = {
	"stage1.bin", "stage2.bin", "cdboot.bin", "pxe.bin", "BOOTX64.EFI", "stage2-pxe.bin",
	"BOOTX64-net.EFI",
};
static struct loader_blob blobs[LOADER_COUNT];

int embedded_loaders(const struct loader_blob **list)
{
	const uint8_t *se[LOADER_COUNT][2] = {
		{ eb_embedded_stage1, eb_embedded_stage1_end },
		{ eb_embedded_stage2, eb_embedded_stage2_end },
		{ eb_embedded_cdboot, eb_embedded_cdboot_end },
		{ eb_embedded_pxe, eb_embedded_pxe_end },
		{ eb_embedded_efi, eb_embedded_efi_end },
		{ eb_embedded_stage2_pxe, eb_embedded_stage2_pxe_end },
		{ eb_embedded_efi_net, eb_embedded_efi_net_end },
	};
	*list = blobs;
	for (int i = 0; i < LOADER_COUNT; i++) {
		if (!se[i][0] || !se[i][1] || se[i][1] < se[i][0])
			return 0;
		blobs[i] = (struct loader_blob){ loader_names[i], se[i][0],
						 (size_t)(se[i][1] - se[i][0]) };
	}
	return LOADER_COUNT;
}

const char *embedded_id(void)
{
	return eb_embedded_id ? eb_embedded_id : NULL;
}

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

int find_build_id(const uint8_t *buf, size_t n, char *out, size_t outn)
{
	static const char pre[] = "elfboot ", mid[] = " (build ";
	for (const uint8_t *p = buf; n >= sizeof pre - 1 && p <= buf + n - (sizeof pre - 1); p++) {
		p = memmem(p, (size_t)(buf + n - p), pre, sizeof pre - 1);
		if (!p)
			return 0;
		/* "elfboot VERSION (build XXXXXXXX)": a version of digits, dots
		 * and [a-z-], then 8 lower-case hex digits. */
		size_t left = (size_t)(buf + n - p), i = sizeof pre - 1, v = i;
		while (i < left && i < 40 && ((p[i] >= '0' && p[i] <= '9') || p[i] == '.' ||
					      p[i] == '-' || (p[i] >= 'a' && p[i] <= 'z')))
			i++;
		if (i == v || left < i + sizeof mid - 1 + 9 || memcmp(p + i, mid, sizeof mid - 1))
			continue;
		i += sizeof mid - 1;
		size_t h = 0;
		while (h < 8 && is_hex((char)p[i + h]))
			h++;
		if (h != 8 || p[i + 8] != ')')
			continue;
		size_t len = i + 9;
		if (len >= outn)
			continue;
		memcpy(out, p, len);
		out[len] = 0;
		return 1;
	}
	return 0;
}

static char tmp_dir[4096];

void loader_tmp_remove(void)
{
	/* Async-signal-safe: the image writers call it from their handlers. */
	if (!tmp_dir[0])
		return;
	char path[4200];
	for (int i = 0; i < LOADER_COUNT; i++) {
		size_t d = strlen(tmp_dir), k = strlen(loader_names[i]);
		memcpy(path, tmp_dir, d);
		path[d] = '/';
		memcpy(path + d + 1, loader_names[i], k + 1);
		unlink(path);
	}
	rmdir(tmp_dir);
	tmp_dir[0] = 0;
}

static void on_signal(int sig)
{
	loader_tmp_remove();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int write_all(const char *path, const uint8_t *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w <= 0) {
			close(fd);
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return close(fd);
}

/* A loader directory's build ids against ours: one warning line naming
 * both when they differ (mixing loaders of two builds is allowed, for
 * development, but should never be silent). */
static void compare_ids(const char *dir)
{
	const char *mine = embedded_id();
	if (!mine)
		return;
	static const char *const files[] = { "stage2.bin", "stage2-pxe.bin", "BOOTX64.EFI",
					     "BOOTX64-net.EFI" };
	enum { NF = sizeof files / sizeof files[0] };
	char diff[NF][128], list[NF * 130] = "";
	int n = 0;
	for (int i = 0; i < NF; i++) {
		char path[4200], id[64];
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		if (access(path, R_OK))
			continue; /* a missing file is the image writer's error */
		FILE *f = fopen(path, "rb");
		static uint8_t buf[4 << 20];
		size_t len = f ? fread(buf, 1, sizeof buf, f) : 0;
		if (f)
			fclose(f);
		if (!find_build_id(buf, len, id, sizeof id))
			snprintf(diff[n++], sizeof diff[0], "%s has no build id", files[i]);
		else if (strcmp(id, mine))
			snprintf(diff[n++], sizeof diff[0], "%s is %s", files[i], id);
	}
	for (int i = 0; i < n; i++) {
		if (i)
			strcat(list, ", ");
		strcat(list, diff[i]);
	}
	if (n)
		fprintf(stderr, "elfboot: warning: loaders from another build in '%s': %s; "
			"this tool is %s\n", dir, list, mine);
}

const char *loader_dir(const char *override)
{
	const char *env = getenv("ELFBOOT_LOADER_DIR");
	const char *dir = override ? override : env && *env ? env : NULL;
	if (dir) {
		compare_ids(dir);
		return dir;
	}
	if (tmp_dir[0])
		return tmp_dir;
	const struct loader_blob *b;
	if (embedded_loaders(&b) != LOADER_COUNT) {
		tool_error("this elfboot has no embedded loaders: give --loader-dir DIR");
		return NULL;
	}
	const char *t = getenv("TMPDIR");
	snprintf(tmp_dir, sizeof tmp_dir, "%s/elfboot-loaders.XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(tmp_dir)) {
		int e = errno;
		tmp_dir[0] = 0;
		tool_error("cannot create a temporary directory for the loaders: %s", strerror(e));
		return NULL;
	}
	atexit(loader_tmp_remove);
	/* An interrupt removes them too (image.c and iso.c install their own
	 * handlers later, which also call loader_tmp_remove). */
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	for (int i = 0; i < LOADER_COUNT; i++) {
		char path[4200];
		snprintf(path, sizeof path, "%s/%s", tmp_dir, b[i].name);
		if (write_all(path, b[i].data, b[i].size)) {
			int e = errno;
			loader_tmp_remove();
			tool_error("cannot write the embedded %s to a temporary directory: %s",
				   b[i].name, strerror(e));
			return NULL;
		}
	}
	return tmp_dir;
}

int print_version(void)
{
	const struct loader_blob *b;
	const char *id = embedded_id();
	printf("%s\n", id ? id : "elfboot (no build id: built without its loaders)");
	printf("protocol: bootloader_api %d.%d.%d\n", ELFBOOT_API_MAJOR, ELFBOOT_API_MINOR,
	       ELFBOOT_API_PATCH);
	int n = embedded_loaders(&b);
	if (!n) {
		printf("embedded loaders: none\n");
		return 0;
	}
	printf("embedded loaders:");
	for (int i = 0; i < n; i++)
		printf("%s %s %zu bytes", i ? "," : "", b[i].name, b[i].size);
	printf("\n");
	return 0;
}
