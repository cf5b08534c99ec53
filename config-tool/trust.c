/* SPDX-License-Identifier: MIT */
/*
 * trust.c - the loaders as they go on a medium: loaders_prepare() writes
 * prepared copies into a private temporary directory (removed at exit and
 * on a signal) and repoints the paths `image`, `--iso`, `netboot` and `run`
 * use.  Steps, in this order: pins, then the Secure Boot signature of
 * BOOTX64.EFI (sbsign), so that the signature covers the pins.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tool.h"

static char prep_dir[4096];

/* Every name a step may leave in prep_dir, and their full paths (made
 * with the directory, so that removal needs no string work). */
static const char *const prep_names[] = { "BOOTX64.EFI", "BOOTX64.EFI.sbsign" };
#define PREP_NAMES (sizeof prep_names / sizeof prep_names[0])
static char prep_files[PREP_NAMES][4200];

void loaders_tmp_remove(void)
{
	/* Async-signal-safe: unlink and rmdir only. */
	if (!prep_dir[0])
		return;
	for (size_t i = 0; i < PREP_NAMES; i++)
		unlink(prep_files[i]);
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
		/* A TMPDIR so long that the names below would not fit: refused. */
		int too_long = strlen(prep_dir) > sizeof prep_dir - 64;
		if (too_long || !mkdtemp(prep_dir)) {
			int e = too_long ? ENAMETOOLONG : errno;
			prep_dir[0] = 0;
			tool_error("cannot create a temporary directory for the signed loader: %s",
				   strerror(e));
			return NULL;
		}
		for (size_t i = 0; i < PREP_NAMES; i++)
			snprintf(prep_files[i], sizeof prep_files[i], "%s/%s", prep_dir, prep_names[i]);
		atexit(loaders_tmp_remove);
		/* The image writers install their own handlers later; theirs
		 * call loaders_tmp_remove too. */
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
	}
	snprintf(buf, n, "%s/%s", prep_dir, name);
	return buf;
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
	/* Pins (--pin) are patched into the copies here, before signing, so
	 * that the signature covers them. */
	if (o->sign_key && sign_efi(o, p))
		return 1;
	return 0;
}
