/* SPDX-License-Identifier: MIT */
/*
 * main.c - the elfboot host tool: builds bootable disk images and shows or
 * checks the boot config embedded in a kernel.  Kernel validation is the
 * loader's own code from common/, so the tool and the loader accept and
 * reject exactly the same kernels with the same messages.  Every error is
 * one line on stderr and a non-zero exit.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_layout.h"
#include "requests.h"
#include "sha256.h"
#include "sim.h"
#include "tool.h"

/* The core's console (eb_printf) is stderr on the host: its "serial". */
void plat_serial_putc(char c)
{
	fputc(c, stderr);
}

void plat_screen_putc(char c)
{
	(void)c; /* the same text already went to stderr */
}

int tool_error(const char *fmt, ...)
{
	va_list ap;
	fputs("elfboot: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

uint8_t *read_file(const char *path, uint64_t *size)
{
	/* O_NONBLOCK: opening a FIFO must not wait for a writer (it is then
	 * refused as not a regular file). */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		tool_error("cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		tool_error("'%s' is not a regular file", path);
		return NULL;
	}
	uint8_t *buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	size_t got = 0;
	while (buf && got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
		if (r <= 0) {
			free(buf);
			buf = NULL;
		} else {
			got += (size_t)r;
		}
	}
	close(fd);
	if (!buf)
		tool_error("cannot read '%s'", path);
	*size = got;
	return buf;
}

uint8_t *read_kernel(const char *path, uint64_t *size, struct elf_image *img,
		     struct eb_config *cfg)
{
	uint8_t *buf = read_file(path, size);
	if (buf && kernel_check(buf, *size, img, cfg)) {
		tool_error("%s: %s", path, eb_last_error());
		free(buf);
		buf = NULL;
	}
	return buf;
}

/* Finds the config section with libelf; cross-checked against common/. */
static int libelf_config(const char *path, const uint8_t *buf, uint64_t size, uint64_t *off,
			 uint64_t *len)
{
	elf_version(EV_CURRENT);
	Elf *e = elf_memory((char *)buf, size);
	if (!e || elf_kind(e) != ELF_K_ELF) {
		if (e)
			elf_end(e);
		return tool_error("%s: libelf: not an ELF file", path);
	}
	size_t shstrndx;
	int found = 0;
	if (elf_getshdrstrndx(e, &shstrndx) == 0) {
		for (Elf_Scn *s = elf_nextscn(e, NULL); s; s = elf_nextscn(e, s)) {
			GElf_Shdr sh;
			const char *name;
			if (!gelf_getshdr(s, &sh) || !(name = elf_strptr(e, shstrndx, sh.sh_name)))
				continue;
			if (strcmp(name, ELFBOOT_CONFIG_SECTION) == 0) {
				*off = sh.sh_offset;
				*len = sh.sh_size;
				found = 1;
			}
		}
	}
	elf_end(e);
	if (!found)
		return tool_error("%s: config: kernel has no %s section", path,
				  ELFBOOT_CONFIG_SECTION);
	return 0;
}

/* A field's value as `config show` prints it ("none", "dynamic", "0x..",
 * a decimal number, "true"/"false"); *quote: JSON needs it quoted. */
static void fmt_field(char *b, size_t n, const struct eb_cfg_field *f, const struct eb_config *c,
		      int *quote)
{
	const uint8_t *val = (const uint8_t *)c + f->val, *some = (const uint8_t *)c + f->some;
	struct eb_mapping m;
	uint64_t v;
	*quote = 0;
	switch (f->kind) {
	case EB_CFG_BOOL:
		snprintf(b, n, "%s", *val ? "true" : "false");
		return;
	case EB_CFG_U64:
		memcpy(&v, val, sizeof v);
		snprintf(b, n, "%lu", (unsigned long)v);
		return;
	case EB_CFG_OPT_MAPPING:
	case EB_CFG_OPT_U64:
		if (!*some) {
			snprintf(b, n, "none");
			return;
		}
		break;
	default:
		break;
	}
	*quote = 1;
	if (f->kind == EB_CFG_MAPPING || f->kind == EB_CFG_OPT_MAPPING) {
		memcpy(&m, val, sizeof m);
		if (m.fixed)
			snprintf(b, n, "0x%lx", (unsigned long)m.addr);
		else
			snprintf(b, n, "dynamic");
		return;
	}
	memcpy(&v, val, sizeof v);
	*quote = (f->flags & EB_CFG_F_ADDR) != 0;
	snprintf(b, n, *quote ? "0x%lx" : "%lu", (unsigned long)v);
}

/* Prints s as a JSON string: quotes, backslashes and control characters
 * escaped; bytes that are not UTF-8 become U+FFFD (a path is any bytes). */
static void json_string(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	putchar('"');
	while (*p) {
		unsigned c = *p;
		if (c == '"' || c == '\\') {
			printf("\\%c", c);
			p++;
		} else if (c < 0x20 || c == 0x7f) {
			printf("\\u%04x", c);
			p++;
		} else if (c < 0x80) {
			putchar((int)c);
			p++;
		} else {
			/* Length of a well-formed UTF-8 sequence starting here, or 0. */
			int n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 :
				c >= 0xf0 && c <= 0xf4 ? 4 : 0;
			for (int i = 1; i < n; i++)
				if ((p[i] & 0xc0) != 0x80)
					n = 0;
			if (n == 3 && ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] > 0x9f)))
				n = 0; /* overlong, or a UTF-16 surrogate */
			if (n == 4 && ((c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] > 0x8f)))
				n = 0; /* overlong, or beyond U+10FFFF */
			if (n) {
				fwrite(p, 1, (size_t)n, stdout);
				p += n;
			} else {
				fputs("\\ufffd", stdout);
				p++;
			}
		}
	}
	putchar('"');
}

/* The kernel's .elfboot-requests records (config show): id, name,
 * revision, flags; with answers, what this loader makes of each. */
static void show_requests(const struct elf_image *img, int json, const struct sim_result *r)
{
	struct elfboot_request q;
	if (json)
		printf(",\n  \"requests\": [");
	else if (!r)
		printf("requests: %u in %s%s\n", img->req_count, ELFBOOT_REQUESTS_SECTION,
		       img->req_count ? "" : " (none)");
	else
		printf("  requests (%u):\n", img->req_count);
	for (uint32_t i = 0; i < img->req_count; i++) {
		req_record(img, i, &q);
		const char *name = req_name(q.id);
		const char *id = name ? name : "unknown";
		struct req_handler h = { 0 };
		/* 1: this loader answers it (config show); check also places it */
		int known = req_handler_for(q.id, q.revision, &h); /* h.id 0: no handler */
		if (json) {
			printf("%s\n    { \"id\": \"0x%016lx\", \"name\": \"%s\", \"revision\": %u, "
			       "\"flags\": %u", i ? "," : "", (unsigned long)q.id, id, q.revision,
			       q.flags);
			printf(", \"answered\": %s", (r ? r->req_response[i] != 0 : known) ? "true" : "false");
			printf(" }");
			continue;
		}
		printf("  %-12s id 0x%016lx revision %u flags 0x%x", id, (unsigned long)q.id,
		       q.revision, q.flags);
		if (!r && known)
			printf(": answered by this loader\n");
		else if (r && r->req_response[i])
			printf(": answered, response at 0x%lx\n", (unsigned long)r->req_response[i]);
		else if (name && h.id == q.id)
			printf(": not answered (revision above %u)\n", h.max_revision);
		else
			printf(": not answered (%s)\n", name ? "this loader has no handler"
							    : "unknown id");
	}
	if (json)
		printf("%s]", img->req_count ? "\n  " : "");
}

int config_show(const char *path, const char *label, int json)
{
	uint64_t size, off = 0, len = 0;
	struct elf_image img;
	struct eb_config c;
	/* The loader's checks first, so a kernel it refuses gets its reason
	 * (ELF class, byte order, truncation...), not libelf's. */
	/* Errors name the label: image-info shows a kernel it copied out to a
	 * temporary file as the file in the image. */
	uint8_t *buf = read_file(path, &size);
	if (buf && kernel_check(buf, size, &img, &c)) {
		tool_error("%s: %s", label, eb_last_error());
		free(buf);
		buf = NULL;
	}
	if (!buf)
		return 1;
	int rc = 1;
	if (libelf_config(label, buf, size, &off, &len))
		goto out;
	if (img.config_offset != off || img.config_len != len) {
		tool_error("%s: libelf and elfboot disagree on the config section", label);
		goto out;
	}
	char ver[64], v[64];
	snprintf(ver, sizeof ver, "%u.%u.%u%s", c.version_major, c.version_minor,
		 c.version_patch, c.pre_release ? "-pre" : "");
	const struct eb_cfg_form *form = config_form(c.len);
	/* Every settable field in section order; the identifying ones (magic,
	 * version) only as api_version. */
	if (json) {
		printf("{\n  \"kernel\": ");
		json_string(label);
		printf(",\n  \"pie\": %s,\n  \"section_length\": %u,\n", img.pie ? "true" : "false",
		       c.len);
		printf("  \"api_version\": \"%s\"", ver);
		for (unsigned i = 0; i < eb_cfg_nfields; i++) {
			const struct eb_cfg_field *f = &eb_cfg_fields[i];
			int quote, none;
			if (f->flags & EB_CFG_F_FIXED)
				continue;
			fmt_field(v, sizeof v, f, &c, &quote);
			none = !strcmp(v, "none");
			printf(",\n  \"%s\": %s%s%s", f->key, quote ? "\"" : "", none ? "null" : v,
			       quote ? "\"" : "");
		}
		show_requests(&img, 1, 0);
		printf("\n}\n");
	} else {
		printf("kernel: %s (%s, entry 0x%lx)\n", label,
		       img.pie ? "PIE, ET_DYN" : "static, ET_EXEC", (unsigned long)img.entry);
		printf("section: %s, %u bytes at file offset 0x%lx (%s layout)\n",
		       ELFBOOT_CONFIG_SECTION, c.len, (unsigned long)off,
		       form ? form->releases : "?");
		printf("%-42s %s\n", "api_version", ver);
		for (unsigned i = 0; i < eb_cfg_nfields; i++) {
			const struct eb_cfg_field *f = &eb_cfg_fields[i];
			int quote;
			if (f->flags & EB_CFG_F_FIXED)
				continue;
			fmt_field(v, sizeof v, f, &c, &quote);
			uint64_t x;
			memcpy(&x, (const uint8_t *)&c + f->val, sizeof x);
			if (f->kind == EB_CFG_U64) /* a size: both ways */
				printf("%-42s %s (0x%lx)\n", f->key, v, (unsigned long)x);
			else
				printf("%-42s %s\n", f->key, v);
		}
		show_requests(&img, 0, 0);
	}
	rc = 0;
out:
	free(buf);
	return rc;
}

/* Runs the whole load on the simulated machine (sim.c); prints the one
 * error line and returns 1 if the kernel would not boot. */
int sim_check(const char *path, const uint8_t *buf, uint64_t size, uint64_t ramdisk_size,
	      struct sim_result *res)
{
	struct sim_opts o = { .ramdisk_size = ramdisk_size };
	switch (sim_load(buf, size, &o, res)) {
	case SIM_OK:
		return 0;
	case SIM_BOOT_FAIL:
		return tool_error("%s: would fail at boot: %s", path, res->error);
	case SIM_NO_RAM:
		if (res->ram_size == ~0ull)
			return tool_error("%s: would fail at boot: needs more RAM than 64-bit "
					  "addresses reach", path);
		return tool_error("%s: would fail at boot: needs %lu GiB of RAM (the largest "
				  "simulated machine has %lu GiB)", path,
				  (unsigned long)(res->ram_size >> 30),
				  (unsigned long)(SIM_RAM_MAX >> 30));
	default:
		return tool_error("%s: cannot simulate the load: %s", path, res->error);
	}
}

static int config_check(const char *path)
{
	uint64_t size;
	struct elf_image img;
	struct eb_config c;
	static struct sim_result r;
	uint8_t *buf = read_kernel(path, &size, &img, &c);
	if (!buf)
		return 1;
	int rc = sim_check(path, buf, size, 0, &r);
	free(buf);
	if (rc)
		return rc;
	printf("%s: ok: %s kernel, %u PT_LOAD segments, %lu relocations, config %u bytes\n",
	       path, img.pie ? "PIE" : "static", img.nseg, (unsigned long)img.rela_count, c.len);
	const struct elfboot_boot_info *bi = &r.bi;
	printf("  simulated load (%lu MiB of RAM%s):\n", (unsigned long)(r.ram_size >> 20),
	       c.aslr ? "; aslr: one random layout of many" : "");
	printf("    entry               0x%lx (image offset 0x%lx)\n", (unsigned long)r.entry,
	       (unsigned long)bi->kernel_image_offset);
	printf("    image               0x%lx - 0x%lx\n", (unsigned long)r.image_lo,
	       (unsigned long)r.image_hi);
	printf("    stack               0x%lx - 0x%lx (guard page below)\n",
	       (unsigned long)bi->kernel_stack_bottom,
	       (unsigned long)(bi->kernel_stack_bottom + bi->kernel_stack_len));
	printf("    boot info           0x%lx\n", (unsigned long)r.boot_info_va);
	printf("    framebuffer         0x%lx\n", (unsigned long)bi->framebuffer.buffer_start);
	if (bi->physical_memory_offset.tag == ELFBOOT_SOME_TAG)
		printf("    physical memory at  0x%lx\n", (unsigned long)bi->physical_memory_offset.value);
	if (bi->recursive_index.tag == ELFBOOT_SOME_TAG)
		printf("    recursive index     %u\n", bi->recursive_index.value);
	printf("    page-table pages    %lu\n", (unsigned long)r.tables);
	printf("    frames allocated    %lu KiB\n", (unsigned long)(r.allocated >> 10));
	if (img.req_count) {
		printf("    responses           0x%lx, %lu bytes (after boot info)\n",
		       (unsigned long)r.req_va, (unsigned long)r.req_used);
		show_requests(&img, 0, &r);
	}
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: elfboot <command> ...\n"
		"\n"
		"  elfboot image [--bios|--uefi] [--ramdisk FILE] [--config-file boot.json]\n"
		"                [--module FILE[:NAME[:CMDLINE]]]... [--cmdline STR]\n"
		"                [--fat-auto] [--pin] [--sign-key KEY --sign-cert CERT]\n"
		"                [--loader-dir DIR] -o OUT.img KERNEL\n"
		"      Build a GPT disk image that boots on BIOS and UEFI (or only one with\n"
		"      --bios / --uefi): stage1 in the protective MBR, stage2 in a BIOS boot\n"
		"      partition, and an EFI System Partition holding EFI/BOOT/BOOTX64.EFI,\n"
		"      kernel-x86_64 and (optionally) ramdisk and boot.json (the runtime config:\n"
		"      framebuffer minimum, log_level, frame_buffer_logging, serial_logging).\n"
		"      The ESP is FAT32 (what firmware must read on a fixed disk); --fat-auto\n"
		"      lets mtools pick FAT12/16 for small images.  The kernel is checked\n"
		"      and its load simulated as by `config check` (with the ramdisk's size);\n"
		"      --unchecked skips that (to test the loader's own error paths).  OUT\n"
		"      must not be one of the input files.\n"
		"      --module (up to 64 times) adds a file the kernel gets through the\n"
		"      MODULES request (docs/PROTOCOL.md), as module-0, module-1, ... on the\n"
		"      medium; NAME defaults to FILE's base name, CMDLINE to \"\".  --cmdline\n"
		"      gives the CMDLINE request's string.  Both go into the boot.json the\n"
		"      image gets (merged with --config-file's, which must not have them).\n"
		"      --pin records the SHA-256 of every file the medium gets (boot.json,\n"
		"      kernel-x86_64, ramdisk, module-N; at most 8) in the loaders on it: they\n"
		"      refuse a file that differs, is missing or is extra (docs/trusted-boot.md).\n"
		"      --sign-key KEY --sign-cert CERT signs BOOTX64.EFI (after --pin's\n"
		"      hashes went in) for UEFI Secure Boot with sbsign (Debian's sbsigntool;\n"
		"      also for --iso, netboot and run; docs/trusted-boot.md).\n"
		"  elfboot image --iso [--pin] [--sign-key KEY --sign-cert CERT] [--ramdisk FILE]\n"
		"                [--config-file boot.json] [--module FILE[:NAME[:CMDLINE]]]...\n"
		"                [--cmdline STR] -o OUT.iso KERNEL\n"
		"      Build an ISO 9660 image (with xorriso) that boots from a CD and, written\n"
		"      to a disk or USB stick (dd), from that too, on BIOS and UEFI.  The\n"
		"      kernel, ramdisk and boot.json are files in the ISO's root.\n"
		"  elfboot netboot [--pin] [--sign-key KEY --sign-cert CERT] [--ramdisk FILE]\n"
		"                  [--config-file boot.json] [--module FILE[:NAME[:CMDLINE]]]...\n"
		"                  [--cmdline STR] -o DIR KERNEL\n"
		"      Write a TFTP root for network boot to DIR: elfboot.pxe (the BIOS\n"
		"      network boot program), BOOTX64.EFI (the build's BOOTX64-net.EFI, with\n"
		"      the network code), kernel-x86_64, ramdisk, boot.json; print the DHCP\n"
		"      settings (boot file per client architecture, option 93).\n"
		"      The kernel is checked as by `image`.\n"
		"  elfboot run [--bios|--uefi] [--iso|--net] [--pin] [--ramdisk FILE] [--config-file F]\n"
		"              [--module FILE[:NAME[:CMDLINE]]]... [--cmdline STR]\n"
		"              [--sign-key KEY --sign-cert CERT] [--test] [--timeout S]\n"
		"              [--gdb] [--gdb-port N] KERNEL [-- QEMU ARGS]\n"
		"      Build a temporary image (--iso: an ISO; --net: a TFTP root on QEMU's\n"
		"      user network) and boot it in qemu-system-x86_64, COM1 on stdout.\n"
		"      Firmware: UEFI if OVMF is found ($ELFBOOT_OVMF_CODE/_VARS or\n"
		"      /usr/share/OVMF), else BIOS; OVMF gets a private variable store.\n"
		"      --test adds isa-debug-exit (port 0xf4; bootloader_api's convention:\n"
		"      0x10 success, 0x11 failure): 0x10 exits 0, any other value 1.\n"
		"      --timeout S stops QEMU after S seconds.  --sign-key/--sign-cert boot\n"
		"      the signed loader with Secure Boot enforced (OVMF's snakeoil keys unless\n"
		"      $ELFBOOT_OVMF_CODE/_VARS say otherwise).  --gdb\n"
		"      starts QEMU halted with its gdb stub and prints the gdb command that\n"
		"      attaches with the kernel's symbols (PIE: at the load offset).\n"
		"      Exit status: 0 ok (--test: kernel wrote 0x10), 1 --test failure (other\n"
		"      value, or no write), 2 QEMU/OVMF/iPXE not installed, 3 QEMU failed,\n"
		"      4 bad arguments or kernel refused, 124 timeout.\n"
		"  elfboot config show [--json] KERNEL\n"
		"      Print every field of the kernel's .bootloader-config section.\n"
		"  elfboot config set KERNEL key=value ...\n"
		"      Change the embedded config in place (validated as the loader will;\n"
		"      keys as `config show` prints them, values dynamic|none|ADDR|N|true|false;\n"
		"      a symlink's target is edited).\n"
		"  elfboot config check KERNEL\n"
		"      Run the loader's own checks (ELF and config) on the host, then its\n"
		"      whole load on a simulated machine: what would fail at boot, or the\n"
		"      layout the kernel would get.  The simulated machine has RAM sized by\n"
		"      the load's need (up to 32 TiB; more: \"needs N GiB of RAM\") and a\n"
		"      1024x768 framebuffer.\n"
		"  elfboot image-info IMAGE\n"
		"      Read an image back (a disk image, an ISO or a netboot directory): the\n"
		"      loaders' build id, whether each BOOTX64.EFI is signed (and by whom), the\n"
		"      GPT partitions, the files on the ESP (or ISO), and the config of the\n"
		"      kernel it holds (as `config show` prints it); each loader's pins (file,\n"
		"      SHA-256) or \"not pinned\".\n"
		"  elfboot --version | --help\n"
		"      --version: the version, the build id and the embedded loaders' sizes.\n"
		"\n"
		"The loader binaries are embedded in this program.  For development,\n"
		"--loader-dir DIR or $ELFBOOT_LOADER_DIR names a directory of others (a\n"
		"warning says when their build id differs from this program's).\n"
		"Images are reproducible: the same inputs give the same bytes.  Timestamps\n"
		"are $SOURCE_DATE_EPOCH, else 1980-01-01 00:00:00 UTC; GUIDs and FAT serial\n"
		"numbers are derived from a hash of the inputs (and of SOURCE_DATE_EPOCH).\n");
}

/* --sign-key and --sign-cert: both or neither. */
int sign_opts_check(const char *cmd, const char *key, const char *cert)
{
	if (!key != !cert)
		return tool_error("%s: %s given without %s (signing needs both)", cmd,
				  key ? "--sign-key" : "--sign-cert", key ? "--sign-cert" : "--sign-key");
	return 0;
}

static int cmd_image(int argc, char **argv)
{
	static struct image_opts o = { .fat32 = 1 };
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		int mo = mods_option(&o.mods, "image", argc, argv, &i);
		if (mo < 0)
			return 1;
		if (mo)
			continue;
		if (!strcmp(a, "--uefi"))
			o.uefi = 1;
		else if (!strcmp(a, "--bios"))
			o.bios = 1;
		else if (!strcmp(a, "--unchecked"))
			o.unchecked = 1;
		else if (!strcmp(a, "--fat-auto"))
			o.fat32 = 0;
		else if (!strcmp(a, "--iso"))
			o.iso = 1;
		else if (!strcmp(a, "--pin"))
			o.pin = 1;
		else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "-o") || !strcmp(a, "--ramdisk") ||
			   !strcmp(a, "--loader-dir") || !strcmp(a, "--config-file") ||
			   !strcmp(a, "--sign-key") || !strcmp(a, "--sign-cert")) {
			if (i + 1 >= argc)
				return tool_error("image: %s needs an argument", a);
			const char *v = argv[++i];
			/* "-o --uefi K" is a forgotten value, not a file named --uefi
			 * (a file really named so can be given as ./--uefi). */
			if (v[0] == '-' && v[1])
				return tool_error("image: %s needs a value, got the option '%s'", a, v);
			if (!strcmp(a, "-o"))
				o.out = v;
			else if (!strcmp(a, "--ramdisk"))
				o.ramdisk = v;
			else if (!strcmp(a, "--config-file"))
				o.config_file = v;
			else if (!strcmp(a, "--sign-key"))
				o.sign_key = v;
			else if (!strcmp(a, "--sign-cert"))
				o.sign_cert = v;
			else
				o.loader_dir = v;
		} else if (a[0] == '-' && a[1]) {
			return tool_error("image: unknown option '%s' (see elfboot --help)", a);
		} else if (o.kernel) {
			return tool_error("image: more than one kernel given ('%s', '%s')", o.kernel,
					  a);
		} else {
			o.kernel = a;
		}
	}
	if (!o.kernel)
		return tool_error("image: no KERNEL given (see elfboot --help)");
	if (!o.out)
		return tool_error("image: no output given: -o OUT.img");
	const char *paths[7] = { o.kernel, o.out, o.ramdisk, o.config_file, o.loader_dir,
				 o.sign_key, o.sign_cert };
	const char *names[7] = { "KERNEL", "-o", "--ramdisk", "--config-file", "--loader-dir",
				 "--sign-key", "--sign-cert" };
	for (int i = 0; i < 7; i++) {
		if (paths[i] && !*paths[i])
			return tool_error("image: %s is an empty path", names[i]);
		if (paths[i] && strlen(paths[i]) > TOOL_PATH_MAX)
			return tool_error("image: %s path is %zu bytes long (at most %d)", names[i],
					  strlen(paths[i]), TOOL_PATH_MAX);
	}
	/* mtools takes "FILE@@OFFSET" for a partition: an output path holding
	 * "@@" would be cut there. */
	if (strstr(o.out, "@@"))
		return tool_error("image: output path '%s' contains '@@' (mtools reads it as an "
				  "offset)", o.out);
	if (o.iso && (o.uefi || o.bios || !o.fat32))
		return tool_error("image: --iso makes one image for both firmwares; it takes no "
				  "--bios, --uefi or --fat-auto");
	if (sign_opts_check("image", o.sign_key, o.sign_cert))
		return 1;
	if (o.sign_key && o.bios && !o.uefi)
		return tool_error("image: --sign-key signs BOOTX64.EFI; a --bios image has none");
	if (!o.uefi && !o.bios)
		o.uefi = o.bios = 1; /* one hybrid image boots either way */
	return o.iso ? iso_build(&o) : image_build(&o);
}

/* The value of option argv[*i] (advancing *i): "-o --x K" is a forgotten
 * value, not a file named --x.  0, or 1 with the error printed. */
static int opt_value(const char *cmd, int argc, char **argv, int *i, const char **dst)
{
	const char *a = argv[*i];
	if (*i + 1 >= argc)
		return tool_error("%s: %s needs an argument", cmd, a);
	const char *v = argv[++*i];
	if ((v[0] == '-' && v[1]) || !*v)
		return tool_error("%s: %s needs a value, got '%s'", cmd, a, v);
	*dst = v;
	return 0;
}

static int cmd_netboot(int argc, char **argv)
{
	static struct netboot_opts o;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char **dst = !strcmp(a, "-o")		 ? &o.out
				   : !strcmp(a, "--ramdisk")	 ? &o.ramdisk
				   : !strcmp(a, "--config-file") ? &o.config_file
				   : !strcmp(a, "--loader-dir")	 ? &o.loader_dir
				   : !strcmp(a, "--sign-key")	 ? &o.sign_key
				   : !strcmp(a, "--sign-cert")	 ? &o.sign_cert
								 : NULL;
		if (dst) {
			if (opt_value("netboot", argc, argv, &i, dst))
				return 1;
		} else if (!strcmp(a, "--unchecked")) {
			o.unchecked = 1;
		} else if (!strcmp(a, "--pin")) {
			o.pin = 1;
		} else if (a[0] == '-' && a[1]) {
			int mo = mods_option(&o.mods, "netboot", argc, argv, &i);
			if (mo < 0)
				return 1;
			if (!mo)
				return tool_error("netboot: unknown option '%s' (see elfboot --help)", a);
		} else if (o.kernel) {
			return tool_error("netboot: more than one kernel given ('%s', '%s')", o.kernel, a);
		} else {
			o.kernel = a;
		}
	}
	if (!o.kernel || !*o.kernel)
		return tool_error("netboot: no KERNEL given (see elfboot --help)");
	if (!o.out)
		return tool_error("netboot: no output directory given: -o DIR");
	if (strlen(o.out) > TOOL_PATH_MAX)
		return tool_error("netboot: -o path is %zu bytes long (at most %d)", strlen(o.out),
				  TOOL_PATH_MAX);
	if (sign_opts_check("netboot", o.sign_key, o.sign_cert))
		return 1;
	return netboot_build(&o);
}

int main(int argc, char **argv)
{
	sha256_accel(1); /* pins hashed with SHA-NI if the CPU has it (Linux enables SSE) */
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version")) {
		return print_version();
	}
	if (!strcmp(cmd, "image-info")) {
		if (argc != 3 || (argv[2][0] == '-' && argv[2][1]) || !argv[2][0])
			return tool_error("image-info: expected one IMAGE (disk image, ISO or netboot "
					  "directory)");
		return image_info(argv[2]);
	}
	if (!strcmp(cmd, "image"))
		return cmd_image(argc - 2, argv + 2);
	if (!strcmp(cmd, "netboot"))
		return cmd_netboot(argc - 2, argv + 2);
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 2, argv + 2);
	if (!strcmp(cmd, "config")) {
		if (argc < 3)
			return tool_error("config: expected 'show', 'set' or 'check' (see elfboot --help)");
		const char *sub = argv[2];
		if (!strcmp(sub, "set")) {
			if (argc < 4)
				return tool_error("config set: no KERNEL given");
			if (argv[3][0] == '-' && argv[3][1])
				return tool_error("config set: unknown option '%s'", argv[3]);
			if (!argv[3][0])
				return tool_error("config set: KERNEL is an empty path");
			if (argc < 5)
				return tool_error("config set: nothing to set (key=value ...)");
			return config_set(argv[3], argc - 4, argv + 4);
		}
		int json = 0;
		const char *kernel = NULL;
		for (int i = 3; i < argc; i++) {
			if (!strcmp(argv[i], "--json") && !strcmp(sub, "show"))
				json = 1;
			else if (argv[i][0] == '-')
				return tool_error("config %s: unknown option '%s'", sub, argv[i]);
			else if (kernel)
				return tool_error("config %s: more than one kernel given", sub);
			else
				kernel = argv[i];
		}
		if (strcmp(sub, "show") && strcmp(sub, "check"))
			return tool_error("config: unknown subcommand '%s' (show, set, check)", sub);
		if (!kernel)
			return tool_error("config %s: no KERNEL given", sub);
		if (!*kernel)
			return tool_error("config %s: KERNEL is an empty path", sub);
		return !strcmp(sub, "show") ? config_show(kernel, kernel, json) : config_check(kernel);
	}
	return tool_error("unknown command '%s' (see elfboot --help)", cmd);
}
