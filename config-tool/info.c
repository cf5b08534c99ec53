/* SPDX-License-Identifier: MIT */
/*
 * info.c - `elfboot image-info IMAGE`: reads back what `image`, `image --iso`
 * or `netboot` wrote: the loaders' build ids, the GPT partitions, the files
 * on the ESP (mtools) or in the ISO's root (common/iso9660.c), and the
 * kernel's config as `config show` prints it.  The image is hostile input:
 * every GPT field is checked before use; a bad one is one error line.
 */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core.h"
#include "iso9660.h"
#include "pins.h"
#include "tool.h"

#define ESP_GUID "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"
#define BIOS_BOOT_GUID "21686148-6449-6E6F-744E-656564454649"
#define GPT_MAX_ENTRIES 1024
#define GPT_MAX_ARRAY (1024 * 1024)

static char tmp_dir[4096];

static int rm_entry(const char *p, const struct stat *st, int type, struct FTW *f)
{
	(void)st;
	(void)type;
	(void)f;
	remove(p);
	return 0;
}

static void cleanup(void)
{
	if (tmp_dir[0])
		nftw(tmp_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	tmp_dir[0] = 0;
}

/* An interrupt only records itself (removing a tree is not async-signal
 * safe): the mcopy child dies of it or waitpid() is interrupted, the run
 * fails, the temporary tree is removed, then the signal is raised again. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
}

/* The loaders' build ids, gathered as found and printed as one section;
 * likewise their pins (pins.h): one line per pinned file, or why none. */
static char ids[4][160], raw[4][64];
static int nids;
static char pins_text[4][EB_PIN_MAX * 100 + 200];
static int npins;

static void note_pins(const char *what, const uint8_t *buf, size_t n)
{
	if (npins == 4)
		return;
	char *o = pins_text[npins++];
	size_t cap = sizeof pins_text[0], len = 0;
	size_t off;
	int st = pin_block_find(buf, n, &off);
	struct eb_pin_block b;
	if (st == EB_OK) {
		memcpy(&b, buf + off, sizeof b);
		st = pin_block_check(&b);
	}
	if (st == EB_NOTFOUND) {
		snprintf(o, cap, "  %-34s no pin block (a loader from before issue 11)\n", what);
		return;
	}
	if (st != EB_OK) {
		snprintf(o, cap, "  %-34s damaged: %s\n", what, eb_last_error());
		return;
	}
	if (!b.count) {
		snprintf(o, cap, "  %-34s not pinned\n", what);
		return;
	}
	len += (size_t)snprintf(o, cap, "  %-34s %u file%s pinned\n", what, b.count,
				b.count > 1 ? "s" : "");
	for (uint32_t i = 0; i < b.count && len < cap; i++) {
		char hex[65];
		pin_hex(b.entry[i].sha256, hex);
		len += (size_t)snprintf(o + len, cap - len, "    %-16s sha256 %s\n", b.entry[i].name,
					hex);
	}
}
/* Whether each BOOTX64.EFI is signed (pesig.c), printed after the ids. */
static char sigs[2][400]; /* room for the name (34) and the text (320) */
static int nsigs;

static void print_id(const char *what, const uint8_t *buf, size_t n)
{
	char id[64];
	if (nids == 4)
		return;
	if (!find_build_id(buf, n, id, sizeof id))
		snprintf(id, sizeof id, "no build id (not an elfboot loader of this series)");
	snprintf(raw[nids], sizeof raw[0], "%s", id);
	snprintf(ids[nids++], sizeof ids[0], "  %-34s %s", what, id);
	note_pins(what, buf, n);
}

static void print_ids(void)
{
	printf("loader build:\n");
	for (int i = 0; i < nids; i++)
		printf("%s\n", ids[i]);
	for (int i = 1; i < nids; i++)
		if (strcmp(raw[0], raw[i])) {
			printf("  (the loaders come from different builds)\n");
			break;
		}
	printf("pins:\n");
	for (int i = 0; i < npins; i++)
		printf("%s", pins_text[i]);
	if (nsigs)
		printf("secure boot (Authenticode signatures; the firmware checks them):\n");
	for (int i = 0; i < nsigs; i++)
		printf("%s\n", sigs[i]);
}

static void note_signature(const char *what, const uint8_t *buf, size_t n)
{
	char subject[256], why[128], text[320];
	if (nsigs == 2)
		return;
	int k = pe_signatures(buf, n, subject, sizeof subject, why, sizeof why);
	if (k < 0)
		snprintf(text, sizeof text, "signed: unreadable (%s)", why);
	else if (k == 0)
		snprintf(text, sizeof text, "signed: no");
	else
		snprintf(text, sizeof text, "signed: yes (%d signature%s, subject %s)", k,
			 k > 1 ? "s" : "", subject);
	snprintf(sigs[nsigs++], sizeof sigs[0], "  %-34s %s", what, text);
}

static void print_file_id(const char *what, const char *path)
{
	uint64_t n;
	uint8_t *b = read_file(path, &n);
	if (!b)
		return;
	print_id(what, b, n);
	if (strstr(what, "BOOTX64.EFI"))
		note_signature(what, b, n);
	free(b);
}

static void guid_text(const uint8_t g[16], char out[37])
{
	snprintf(out, 37, "%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X",
		 g[3], g[2], g[1], g[0], g[5], g[4], g[7], g[6], g[8], g[9], g[10], g[11], g[12],
		 g[13], g[14], g[15]);
}

struct part {
	uint64_t first, last;
	int esp, bios_boot;
};

static int read_at(int fd, void *dst, size_t n, uint64_t off)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = pread(fd, (uint8_t *)dst + got, n - got, (off_t)(off + got));
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

/* The primary GPT: header and entries checked (CRCs, bounds), partitions
 * printed; the ESP and BIOS boot partition returned.  0, or 1 with the
 * error printed. */
static int gpt_read(const char *path, int fd, uint64_t size, struct part *esp, struct part *bb)
{
	uint8_t h[512];
	uint64_t sectors = size / 512;
	if (read_at(fd, h, 512, 512))
		return tool_error("%s: cannot read the GPT header at byte 512", path);
	uint32_t hsize = get32(h + 12), hcrc = get32(h + 16);
	if (hsize < 92 || hsize > 512)
		return tool_error("%s: GPT header size is %u (want 92-512)", path, hsize);
	memset(h + 16, 0, 4);
	if (eb_crc32(h, hsize) != hcrc)
		return tool_error("%s: GPT header CRC32 is 0x%08x, the header's bytes give 0x%08x",
				  path, hcrc, eb_crc32(h, hsize));
	uint64_t elba = get64(h + 72);
	uint32_t n = get32(h + 80), esize = get32(h + 84), ecrc = get32(h + 88);
	if (n == 0 || n > GPT_MAX_ENTRIES || esize < 128 || esize > 4096 || esize % 8 ||
	    (uint64_t)n * esize > GPT_MAX_ARRAY)
		return tool_error("%s: GPT entry array of %u entries of %u bytes is not plausible",
				  path, n, esize);
	uint64_t abytes = (uint64_t)n * esize;
	if (elba < 2 || elba >= sectors || abytes > (sectors - elba) * 512)
		return tool_error("%s: GPT entry array at LBA %lu lies outside the %lu-sector image",
				  path, (unsigned long)elba, (unsigned long)sectors);
	uint8_t *a = malloc(abytes);
	if (!a)
		return tool_error("out of memory");
	if (read_at(fd, a, abytes, elba * 512)) {
		free(a);
		return tool_error("%s: cannot read the GPT entry array", path);
	}
	if (eb_crc32(a, abytes) != ecrc) {
		uint32_t got = eb_crc32(a, abytes);
		free(a);
		return tool_error("%s: GPT entry array CRC32 is 0x%08x, its bytes give 0x%08x", path,
				  ecrc, got);
	}
	char dg[37];
	guid_text(h + 56, dg);
	printf("partitions (GPT, disk GUID %s):\n", dg);
	uint8_t espg[16], biosg[16];
	guid_parse(ESP_GUID, espg);
	guid_parse(BIOS_BOOT_GUID, biosg);
	static const uint8_t zero[16];
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = a + (size_t)i * esize;
		if (!memcmp(e, zero, 16))
			continue;
		uint64_t f = get64(e + 32), l = get64(e + 40);
		if (f > l || l >= sectors) {
			free(a);
			return tool_error("%s: GPT partition %u: LBA %lu-%lu outside the %lu-sector image",
					  path, i + 1, (unsigned long)f, (unsigned long)l,
					  (unsigned long)sectors);
		}
		char name[37], tg[37], pg[37];
		int k;
		for (k = 0; k < 36; k++) {
			uint16_t c = (uint16_t)(e[56 + 2 * k] | e[57 + 2 * k] << 8);
			if (!c)
				break;
			name[k] = c >= 0x20 && c < 0x7f ? (char)c : '?';
		}
		name[k] = 0;
		guid_text(e, tg);
		guid_text(e + 16, pg);
		int is_esp = !memcmp(e, espg, 16), is_bb = !memcmp(e, biosg, 16);
		printf("  %u  %-12s LBA %lu-%lu (%lu bytes)  name \"%s\"  type %s  guid %s\n", i + 1,
		       is_esp ? "EFI System" : is_bb ? "BIOS boot" : "other", (unsigned long)f,
		       (unsigned long)l, (unsigned long)((l - f + 1) * 512), name, tg, pg);
		struct part p = { f, l, is_esp, is_bb };
		if (is_esp && !esp->esp)
			*esp = p;
		if (is_bb && !bb->bios_boot)
			*bb = p;
	}
	free(a);
	return 0;
}

/* The files under a directory, sorted by path (directory order is the
 * file system's). */
static const char *rel_base;
static char **found;
static size_t nfound;

static int list_entry(const char *p, const struct stat *st, int type, struct FTW *f)
{
	(void)f;
	if (type != FTW_F)
		return 0;
	char **g = realloc(found, (nfound + 1) * sizeof *found);
	if (!g)
		return 1;
	found = g;
	size_t n = strlen(p) + 64;
	if (!(found[nfound] = malloc(n)))
		return 1;
	snprintf(found[nfound++], n, "  %-34s %lu bytes", p + strlen(rel_base) + 1,
		 (unsigned long)st->st_size);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_files(const char *dir)
{
	rel_base = dir;
	int bad = nftw(dir, list_entry, 16, FTW_PHYS) != 0;
	if (!bad) {
		qsort(found, nfound, sizeof *found, cmp_str);
		for (size_t i = 0; i < nfound; i++)
			printf("%s\n", found[i]);
	}
	for (size_t i = 0; i < nfound; i++)
		free(found[i]);
	free(found);
	found = NULL;
	nfound = 0;
	return bad ? tool_error("cannot list the files copied from the image") : 0;
}

static int make_tmp(void)
{
	const char *t = getenv("TMPDIR");
	snprintf(tmp_dir, sizeof tmp_dir, "%s/elfboot-info.XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(tmp_dir)) {
		int e = errno;
		tmp_dir[0] = 0;
		return tool_error("cannot create a temporary directory: %s", strerror(e));
	}
	atexit(cleanup);
	return 0;
}

/* The ESP's files, copied out with mtools to a temporary directory. */
static int esp_read(const char *path, const struct part *esp, char *dir, size_t dn)
{
	char target[4200], pb[4100];
	snprintf(target, sizeof target, "%s@@%lu", mtools_path(path, pb, sizeof pb),
		 (unsigned long)(esp->first * 512));
	snprintf(dir, dn, "%s/esp", tmp_dir);
	if (mkdir(dir, 0700))
		return tool_error("cannot create '%s': %s", dir, strerror(errno));
	char *cp[] = { "mcopy", "-s", "-n", "-i", target, "::*", dir, NULL };
	tool_run_doing = "reading the ESP";
	if (tool_run(cp))
		return 1;
	printf("files on the ESP:\n");
	return list_files(dir);
}

static int host_read(void *ctx, uint64_t lba, uint64_t count, void *dst)
{
	int fd = *(int *)ctx;
	if (read_at(fd, dst, (size_t)(count * ISO_BLOCK), lba * ISO_BLOCK))
		return eb_error("short read of %lu blocks at block %lu", (unsigned long)count,
				(unsigned long)lba);
	return EB_OK;
}

/* The ISO 9660 side: the files elfboot puts in its root, the boot file's
 * build id, and the kernel written out to kpath. */
static int iso_info(const char *path, int fd, uint64_t size, const char *kpath)
{
	static struct iso_vol vol;
	struct iso_dev dev = { &fd, host_read, size / ISO_BLOCK };
	if (iso_mount(&vol, &dev) != EB_OK)
		return tool_error("%s: ISO 9660: %s", path, eb_last_error());
	static const char *const names[] = { "elfboot-cd.bin", "kernel-x86_64", "ramdisk",
					     "boot.json", "boot.catalog" };
	printf("files in the ISO 9660 root (the ones elfboot reads):\n");
	int have_kernel = 0;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		struct iso_file f;
		int st = iso_lookup(&vol, names[i], &f);
		if (st == EB_NOTFOUND)
			continue;
		if (st != EB_OK)
			return tool_error("%s: ISO 9660: %s: %s", path, names[i], eb_last_error());
		printf("  %-34s %u bytes\n", names[i], f.size);
		if (i > 1)
			continue;
		uint8_t *b = malloc(f.size ? f.size : 1);
		if (!b)
			return tool_error("out of memory");
		if (iso_read(&vol, &f, b) != EB_OK) {
			free(b);
			return tool_error("%s: ISO 9660: %s: %s", path, names[i], eb_last_error());
		}
		int bad = 0;
		if (i == 0) {
			print_id("stage2 (elfboot-cd.bin):", b, f.size);
		} else {
			FILE *k = fopen(kpath, "wb");
			bad = !k || fwrite(b, 1, f.size, k) != f.size;
			bad |= k && fclose(k);
			have_kernel = !bad;
		}
		free(b);
		if (bad)
			return tool_error("cannot write '%s'", kpath);
	}
	if (!have_kernel)
		return tool_error("%s: the ISO holds no kernel-x86_64", path);
	return 0;
}

static int show_kernel(const char *kpath, const char *label)
{
	printf("kernel config:\n");
	fflush(stdout);
	return config_show(kpath, label, 0);
}

static int dir_info(const char *path)
{
	printf("image: %s (netboot directory)\n", path);
	char p[4200];
	snprintf(p, sizeof p, "%s/kernel-x86_64", path);
	if (access(p, F_OK))
		return tool_error("%s: no kernel-x86_64 (not an `elfboot netboot` directory)", path);
	printf("files:\n");
	rel_base = path;
	struct dirent **list;
	int n = scandir(path, &list, NULL, alphasort);
	if (n < 0)
		return tool_error("cannot read the directory '%s': %s", path, strerror(errno));
	for (int i = 0; i < n; i++) {
		struct stat st;
		snprintf(p, sizeof p, "%s/%s", path, list[i]->d_name);
		if (list[i]->d_name[0] != '.' && !lstat(p, &st) && S_ISREG(st.st_mode))
			printf("  %-34s %lu bytes\n", list[i]->d_name, (unsigned long)st.st_size);
		free(list[i]);
	}
	free(list);
	snprintf(p, sizeof p, "%s/elfboot.pxe", path);
	if (!access(p, F_OK))
		print_file_id("stage2 (elfboot.pxe):", p);
	snprintf(p, sizeof p, "%s/BOOTX64.EFI", path);
	if (!access(p, F_OK))
		print_file_id("BOOTX64.EFI:", p);
	print_ids();
	snprintf(p, sizeof p, "%s/kernel-x86_64", path);
	return show_kernel(p, "kernel-x86_64");
}

int image_info(const char *path)
{
	struct stat st;
	if (stat(path, &st))
		return tool_error("cannot open '%s': %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return dir_info(path);
	if (!S_ISREG(st.st_mode))
		return tool_error("'%s' is not a regular file or a directory", path);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return tool_error("cannot open '%s': %s", path, strerror(errno));
	uint64_t size = (uint64_t)st.st_size;
	uint8_t sig[8] = { 0 }, cd[5] = { 0 };
	int gpt = size >= 1024 && !read_at(fd, sig, 8, 512) && !memcmp(sig, "EFI PART", 8);
	int iso = size >= 0x8006 && !read_at(fd, cd, 5, 0x8001) && !memcmp(cd, "CD001", 5);
	if (!gpt && !iso) {
		close(fd);
		return tool_error("%s: neither a GPT disk image ('EFI PART' at byte 512) nor an ISO "
				  "9660 image ('CD001' at byte 32769)", path);
	}
	printf("image: %s (%s, %lu bytes)\n", path,
	       iso ? "ISO 9660, hybrid" : "GPT disk image", (unsigned long)size);
	struct part esp = { 0 }, bb = { 0 };
	int rc = 1;
	struct sigaction sa = { .sa_handler = on_signal }; /* no SA_RESTART */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	char espdir[4300], kpath[4500];
	const char *kernel = NULL, *label = "kernel-x86_64";
	if (make_tmp() || (gpt && gpt_read(path, fd, size, &esp, &bb)))
		goto out;
	if (bb.bios_boot) {
		/* stage2 is at the partition's start; its length is in its header. */
		uint64_t n = (bb.last - bb.first + 1) * 512;
		if (n > 1024 * 1024)
			n = 1024 * 1024;
		uint8_t *b = malloc(n);
		if (!b || read_at(fd, b, n, bb.first * 512)) {
			free(b);
			tool_error("%s: cannot read the BIOS boot partition", path);
			goto out;
		}
		print_id("stage2 (BIOS boot partition):", b, n);
		free(b);
	}
	if (iso) {
		snprintf(kpath, sizeof kpath, "%s/kernel-x86_64", tmp_dir);
		if (iso_info(path, fd, size, kpath))
			goto out;
		kernel = kpath;
		label = "kernel-x86_64 (ISO 9660 root)";
	}
	if (esp.esp) {
		if (esp_read(path, &esp, espdir, sizeof espdir))
			goto out;
		char p[4400];
		snprintf(p, sizeof p, "%s/EFI/BOOT/BOOTX64.EFI", espdir);
		if (!access(p, F_OK))
			print_file_id("BOOTX64.EFI (ESP):", p);
		snprintf(p, sizeof p, "%s/kernel-x86_64", espdir);
		if (!kernel && !access(p, F_OK)) {
			snprintf(kpath, sizeof kpath, "%s", p);
			kernel = kpath;
			label = "kernel-x86_64 (ESP)";
		}
	}
	if (!kernel) {
		tool_error("%s: no kernel-x86_64 in the image", path);
		goto out;
	}
	print_ids();
	rc = show_kernel(kernel, label);
out:
	close(fd);
	cleanup();
	if (interrupted) {
		signal(interrupted, SIG_DFL);
		raise(interrupted);
	}
	return rc;
}
