/* SPDX-License-Identifier: MIT */
/*
 * trust.c - the loaders as they go on a medium: loaders_prepare() writes
 * prepared copies into a private temporary directory (removed at exit and
 * on a signal) and repoints the paths `image`, `--iso`, `netboot` and `run`
 * use.  Steps, in this order: pins (--pin: the SHA-256 of every file the
 * medium gets, patched into the copies' pin blocks, common/include/pins.h),
 * then the Secure Boot signature of BOOTX64.EFI, so it covers the pins.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core.h"
#include "pins.h"
#include "tool.h"

static char prep_dir[4096];
static int prep_fd = -1; /* the directory, for unlinkat */

/* Every name a step may leave in prep_dir. */
static const char *const prep_names[] = { "BOOTX64.EFI", "stage2.bin", "pin.tmp",
					   "BOOTX64.EFI.sbsign" };
#define PREP_NAMES (sizeof prep_names / sizeof prep_names[0])

void loaders_tmp_remove(void)
{
	/* Async-signal-safe: unlinkat, rmdir and close only. */
	if (!prep_dir[0])
		return;
	for (size_t i = 0; i < PREP_NAMES; i++)
		unlinkat(prep_fd, prep_names[i], 0);
	close(prep_fd);
	rmdir(prep_dir);
	prep_dir[0] = 0;
}

static void on_signal(int sig)
{
	loaders_tmp_remove();
	loader_tmp_remove();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* The private directory for the copies, made on first use; NULL with the
 * error printed. */
static const char *prep_path(const char *name, char *buf, size_t n)
{
	if (!prep_dir[0]) {
		const char *t = getenv("TMPDIR");
		snprintf(prep_dir, sizeof prep_dir, "%s/elfboot-prepared.XXXXXX",
			 t && *t ? t : "/tmp");
		if (strlen(prep_dir) > sizeof prep_dir - 64 || !mkdtemp(prep_dir) ||
		    (prep_fd = open(prep_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
			int e = errno;
			if (prep_dir[0] && prep_fd < 0)
				rmdir(prep_dir);
			prep_dir[0] = 0;
			tool_error("cannot create a temporary directory for the prepared loaders: %s",
				   strerror(e));
			return NULL;
		}
		atexit(loaders_tmp_remove);
		/* The image writers install their own handlers later; theirs
		 * call loaders_tmp_remove too. */
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
	}
	snprintf(buf, n, "%s/%s", prep_dir, name);
	return buf;
}

/* The SHA-256 of a file's contents, read 1 MiB at a time; 1 with the
 * error printed. */
static int file_digest(const char *path, uint8_t out[SHA256_BYTES])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return tool_error("--pin: cannot open '%s': %s", path, strerror(errno));
	static uint8_t buf[1 << 20];
	struct sha256 s;
	sha256_init(&s);
	ssize_t r;
	while ((r = read(fd, buf, sizeof buf)) > 0)
		sha256_update(&s, buf, (size_t)r);
	int e = errno;
	close(fd);
	if (r < 0)
		return tool_error("--pin: cannot read '%s': %s", path, strerror(e));
	sha256_final(&s, out);
	return 0;
}

/* The block for this medium: every file it gets, by its name there. */
static int pin_block_make(const struct image_opts *o, struct eb_pin_block *b)
{
	const char *names[3 + TOOL_MAX_MODULES], *paths[3 + TOOL_MAX_MODULES];
	static char modnames[TOOL_MAX_MODULES][EB_PIN_NAME];
	int n = 0;
	if (o->config_file) {
		names[n] = "boot.json";
		paths[n++] = o->config_file;
	}
	names[n] = "kernel-x86_64";
	paths[n++] = o->kernel;
	if (o->ramdisk) {
		names[n] = "ramdisk";
		paths[n++] = o->ramdisk;
	}
	for (int i = 0; i < o->mods.n; i++) {
		snprintf(modnames[i], sizeof modnames[i], "module-%d", i);
		names[n] = modnames[i];
		paths[n++] = o->mods.file[i];
	}
	if (n > EB_PIN_MAX)
		return tool_error("--pin: the medium holds %d files; a loader's pin block holds %d "
				  "(boot.json, kernel, ramdisk and %d modules)",
				  n, EB_PIN_MAX, EB_PIN_MAX - 3);
	memset(b, 0, sizeof *b);
	memcpy(b->magic, EB_PIN_MAGIC, sizeof b->magic);
	b->version = EB_PIN_VERSION;
	b->count = (uint32_t)n;
	for (int i = 0; i < n; i++) {
		snprintf(b->entry[i].name, EB_PIN_NAME, "%s", names[i]);
		b->entry[i].flags = EB_PIN_FILE;
		if (file_digest(paths[i], b->entry[i].sha256))
			return 1;
	}
	return pin_block_check(b) ? tool_error("--pin: %s", eb_last_error()) : 0;
}

/* Copies the loader at *path into the private directory as `name` with
 * its block replaced by b, and repoints *path there. */
static int pin_loader(const char *name, char *path, size_t pathn, const struct eb_pin_block *b)
{
	uint64_t n;
	uint8_t *buf = read_file(path, &n);
	if (!buf)
		return 1;
	size_t off = 0;
	int st = pin_block_find(buf, n, &off);
	if (st != EB_OK) {
		free(buf);
		return st == EB_NOTFOUND
			       ? tool_error("--pin: '%s' has no pin block (a loader from before "
					    "issue 11?)", path)
			       : tool_error("--pin: '%s': %s", path, eb_last_error());
	}
	memcpy(buf + off, b, sizeof *b);
	char tmp[4200], out[4200];
	if (!prep_path("pin.tmp", tmp, sizeof tmp) || !prep_path(name, out, sizeof out)) {
		free(buf);
		return 1;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int bad = fd < 0 || write(fd, buf, n) != (ssize_t)n;
	int e = errno;
	free(buf);
	if (fd >= 0 && close(fd))
		bad = 1, e = errno;
	if (bad || rename(tmp, out)) {
		e = bad ? e : errno;
		unlink(tmp);
		return tool_error("--pin: writing '%s': %s", out, strerror(e));
	}
	snprintf(path, pathn, "%s", out);
	return 0;
}

/* A key or certificate file: there, readable, a regular file. */
static int sign_input(const char *opt, const char *path)
{
	struct stat st;
	if (stat(path, &st) || access(path, R_OK))
		return tool_error("%s '%s': %s", opt, path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return tool_error("%s '%s' is not a regular file", opt, path);
	return 0;
}

/* sbsign's stderr: "Can't load key from file 'K'" and the like, followed
 * by OpenSSL's error queue ("40A7...:error:0480006C:PEM routines:...:no
 * start line:..."): its own first line, with the first OpenSSL reason. */
static char *sbsign_complaint(char *msg)
{
	static char line[600];
	char *own = NULL, *reason = NULL;
	for (char *l = strtok(msg, "\n"); l; l = strtok(NULL, "\n")) {
		char *err = strstr(l, ":error:");
		if (err && !reason) {
			/* HEX:error:CODE:LIBRARY:FUNCTION:REASON:FILE:LINE:... */
			char *r = err + 7;
			for (int i = 0; i < 3 && r; i++)
				r = strchr(r, ':') ? strchr(r, ':') + 1 : NULL;
			if (r && *r) {
				reason = r;
				*strchrnul(r, ':') = 0;
			}
		} else if (!err && !own && strncmp(l, "Signing ", 8) &&
			   strncmp(l, "Enter PEM pass phrase", 21)) {
			own = l;
		}
	}
	snprintf(line, sizeof line, "%s%s%s%s", own ? own : "", own && reason ? " (" : "",
		 reason ? reason : "", own && reason ? ")" : "");
	return line;
}

/* Whether a PEM key is encrypted (sbsign then asks for the passphrase on
 * the terminal). */
static int key_encrypted(const char *path)
{
	uint64_t n;
	uint8_t *b = read_file(path, &n);
	if (!b)
		return 0; /* sbsign reports it */
	int enc = memmem(b, n, "ENCRYPTED", 9) != NULL;
	free(b);
	return enc;
}

/* Signs the UEFI loader: sbsign writes a signed copy next to the other
 * prepared copies, which then replaces p->efi. */
static int sign_efi(const struct image_opts *o, struct loader_paths *p)
{
	char out[4096], tmp[4096]; /* prep_dir leaves room for the names */
	if (sign_input("--sign-key", o->sign_key) || sign_input("--sign-cert", o->sign_cert))
		return 1;
	if (key_encrypted(o->sign_key)) {
		int tty = open("/dev/tty", O_RDWR | O_CLOEXEC);
		if (tty < 0)
			return tool_error("--sign-key '%s' is encrypted and there is no terminal to "
					  "ask its passphrase on (decrypt a copy with: openssl pkey "
					  "-in KEY -out PLAIN.key)", o->sign_key);
		close(tty);
	}
	if (!prep_path("BOOTX64.EFI.sbsign", tmp, sizeof tmp) ||
	    !prep_path("BOOTX64.EFI", out, sizeof out))
		return 1;
	char *argv[] = { "sbsign", "--key", (char *)o->sign_key, "--cert", (char *)o->sign_cert,
			 "--output", tmp, p->efi, NULL };
	const char *doing = tool_run_doing;
	tool_run_doing = "signing BOOTX64.EFI";
	tool_run_complaint = sbsign_complaint;
	int bad = tool_run(argv);
	tool_run_doing = doing;
	tool_run_complaint = NULL;
	if (bad) {
		unlink(tmp);
		return 1;
	}
	/* Read back: the copy must carry a signature this tool can see. */
	uint64_t n;
	uint8_t *b = read_file(tmp, &n);
	if (!b) {
		unlink(tmp);
		return 1;
	}
	char subject[256], why[128];
	int sigs = pe_signatures(b, n, subject, sizeof subject, why, sizeof why);
	free(b);
	if (sigs < 1) {
		unlink(tmp);
		return tool_error("sbsign wrote '%s' without a readable signature%s%s", tmp,
				  sigs < 0 ? ": " : "", sigs < 0 ? why : "");
	}
	if (rename(tmp, out)) {
		int e = errno;
		unlink(tmp);
		return tool_error("cannot rename '%s': %s", tmp, strerror(e));
	}
	snprintf(p->efi, sizeof p->efi, "%s", out);
	return 0;
}

int loaders_prepare(const struct image_opts *o, struct loader_paths *p)
{
	/* Pins first: the signature (the next step) must cover them. */
	if (o->pin) {
		static struct eb_pin_block b;
		/* Only the loaders the medium gets: a --uefi image's loader
		 * directory need not hold a stage2. */
		int uefi = o->uefi || o->iso, bios = o->bios || o->iso;
		if (pin_block_make(o, &b) ||
		    (uefi && pin_loader("BOOTX64.EFI", p->efi, sizeof p->efi, &b)) ||
		    (bios && pin_loader("stage2.bin", p->stage2, sizeof p->stage2, &b)))
			return 1;
	}
	if (o->sign_key && sign_efi(o, p))
		return 1;
	return 0;
}
