/* SPDX-License-Identifier: MIT */
/*
 * run.c - `elfboot run`: builds a disk image, ISO or TFTP root for a kernel
 * in a private temporary directory (with the very functions `image`,
 * `image --iso` and `netboot` use), boots it in QEMU with COM1 on stdout,
 * and removes the directory on every way out, signals included.
 * --test turns the kernel's isa-debug-exit code into the exit status.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core.h"
#include "sim.h"
#include "tool.h"

/* Exit statuses (documented in --help and docs/running.md). */
#define RUN_OK 0
#define RUN_FAILED 1   /* --test: the kernel reported failure, or none */
#define RUN_MISSING 2  /* QEMU, OVMF or the iPXE ROMs are not installed */
#define RUN_QEMU 3     /* QEMU failed to start or died */
#define RUN_SETUP 4    /* bad arguments, or the kernel/image was refused */
#define RUN_TIMEOUT 124 /* --timeout expired (as timeout(1)) */

/* isa-debug-exit: QEMU exits with (value << 1) | 1.  bootloader_api's
 * test kernels write 0x10 for success and 0x11 for failure. */
#define DEBUG_EXIT_PASS ((0x10 << 1) | 1)

enum run_fw { FW_AUTO, FW_BIOS, FW_UEFI };
enum run_media { MEDIA_DISK, MEDIA_ISO, MEDIA_NET };

struct run_opts {
	const char *kernel, *ramdisk, *config_file, *loader_dir;
	const char *sign_key, *sign_cert; /* a signed loader, booted with Secure Boot on */
	enum run_fw fw;
	enum run_media media;
	int gdb, test, gdb_port;
	double timeout; /* seconds; 0: none */
	int nqemu;      /* arguments after "--" */
	char **qemu;
	struct boot_mods mods; /* --module, --cmdline */
	int pin;               /* --pin */
};

static char run_dir[PATH_MAX];
static volatile sig_atomic_t run_signal;
static pid_t qemu_pid;

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) && errno != ENOENT ? 1 : 0;
}

static void run_cleanup(void)
{
	if (qemu_pid > 0) {
		kill(qemu_pid, SIGKILL);
		waitpid(qemu_pid, NULL, 0);
		qemu_pid = 0;
	}
	if (run_dir[0])
		nftw(run_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	run_dir[0] = 0;
	/* The embedded loaders' temporary copies (embed.c) and the signed one
	 * (trust.c): run's own signal handling replaces theirs, so it removes
	 * them too. */
	loader_tmp_remove();
	loaders_tmp_remove();
}

/* Only records the signal: the wait loop stops QEMU and cleans up. */
static void on_run_signal(int sig)
{
	run_signal = sig;
}

static void catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_run_signal;
	sigemptyset(&sa.sa_mask);
	/* Installed even where the shell left SIGINT ignored (a background
	 * job): the temporary directory must go whatever stops us. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* Leaves by the recorded signal, after cleaning up, so the caller sees it. */
static void die_by_signal(void)
{
	int sig = run_signal;
	run_cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
	_exit(128 + sig);
}

/* The one error line, and the run's exit status for it. */
#define run_fail(status, ...) (tool_error(__VA_ARGS__), (status))

/* Full path of an executable in $PATH, or NULL. */
static const char *find_in_path(const char *name, char *buf, size_t n)
{
	const char *path = getenv("PATH");
	if (!path)
		return NULL;
	while (*path) {
		const char *end = strchr(path, ':');
		size_t len = end ? (size_t)(end - path) : strlen(path);
		if (len && len + strlen(name) + 2 <= n) {
			snprintf(buf, n, "%.*s/%s", (int)len, path, name);
			if (access(buf, X_OK) == 0)
				return buf;
		}
		path += len + (end ? 1 : 0);
	}
	return NULL;
}

/* OVMF's code and variable-store images: $ELFBOOT_OVMF_CODE (its VARS
 * twice by name, or $ELFBOOT_OVMF_VARS), else the Debian pairs (secboot:
 * the one with Secure Boot enforced and the snakeoil test keys enrolled).
 * 1: found; 0: not installed; -1: an override names a missing file (error
 * printed). */
static int find_ovmf(char *code, char *vars, size_t n, int secboot)
{
	const char *ec = getenv("ELFBOOT_OVMF_CODE"), *ev = getenv("ELFBOOT_OVMF_VARS");
	static const char *const plain[][2] = {
		{ "/usr/share/OVMF/OVMF_CODE_4M.fd", "/usr/share/OVMF/OVMF_VARS_4M.fd" },
		{ "/usr/share/OVMF/OVMF_CODE.fd", "/usr/share/OVMF/OVMF_VARS.fd" },
	};
	static const char *const snakeoil[][2] = {
		{ "/usr/share/OVMF/OVMF_CODE_4M.snakeoil.fd",
		  "/usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd" },
	};
	const char *const(*pairs)[2] = secboot ? snakeoil : plain;
	size_t npairs = secboot ? 1 : 2;
	code[0] = vars[0] = 0;
	if (ec && *ec) {
		snprintf(code, n, "%s", ec);
		/* OVMF_CODE_4M.fd -> OVMF_VARS_4M.fd: the store must match the
		 * code's flash size. */
		char *base = strrchr(code, '/'), *c = strstr(base ? base : code, "CODE");
		if (c) {
			snprintf(vars, n, "%s", code);
			memcpy(vars + (c - code), "VARS", 4);
		}
	} else {
		for (size_t i = 0; i < npairs && !code[0]; i++) {
			if (access(pairs[i][0], R_OK) == 0 &&
			    ((ev && *ev) || access(pairs[i][1], R_OK) == 0)) {
				snprintf(code, n, "%s", pairs[i][0]);
				snprintf(vars, n, "%s", pairs[i][1]);
			}
		}
		if (!code[0])
			return 0;
	}
	if (ev && *ev)
		snprintf(vars, n, "%s", ev);
	if (access(code, R_OK)) {
		tool_error("run: OVMF firmware '%s' (ELFBOOT_OVMF_CODE): %s; install it: apt-get "
			   "install ovmf", code, strerror(errno));
		return -1;
	}
	if (!vars[0] || access(vars, R_OK)) {
		tool_error("run: no OVMF variable store '%s' for '%s'; set ELFBOOT_OVMF_VARS or "
			   "install it: apt-get install ovmf", vars, code);
		return -1;
	}
	return 1;
}

/* Copies src to dst (the private variable store: OVMF writes to it). */
static int copy_file(const char *src, const char *dst)
{
	uint64_t size;
	uint8_t *buf = read_file(src, &size);
	if (!buf)
		return 1;
	int fd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	uint64_t done = 0;
	while (fd >= 0 && done < size) {
		ssize_t w = write(fd, buf + done, size - done);
		if (w <= 0)
			break;
		done += (uint64_t)w;
	}
	free(buf);
	if (fd < 0 || done < size || close(fd))
		return tool_error("run: cannot write '%s': %s", dst, strerror(errno));
	return 0;
}

/* A TCP port on 127.0.0.1 nobody listens on now (QEMU binds it next). */
static int free_port(void)
{
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a;
	socklen_t len = sizeof a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int port = 0;
	if (s >= 0 && bind(s, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(s, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	if (s >= 0)
		close(s);
	return port;
}

/* What --gdb knows of the kernel: its path for gdb, its ELF entry, and
 * whether the load offset is only known at boot (aslr). */
struct gdb_info {
	char path[PATH_MAX];
	uint64_t entry, offset;
	int pie, aslr, port;
	int announced; /* the command is printed once QEMU listens */
};

/* What the one gdb command needs to attach with the kernel's symbols where
 * the loader will put them (gdb_announce prints it): a PIE kernel's load offset is the one the
 * loader's own code computes on the simulated machine (the kernel is placed
 * first in its range, so the machine's size does not move it).  With aslr
 * it changes every boot: the command then only attaches, and the offset is
 * taken from the loader's serial line when it comes (watch_serial). */
static int gdb_prepare(const struct run_opts *o, int port, struct gdb_info *g)
{
	uint64_t size;
	struct elf_image img;
	struct eb_config cfg;
	static struct sim_result r;
	uint8_t *buf = read_kernel(o->kernel, &size, &img, &cfg);
	if (!buf)
		return 1;
	int rc = img.pie && !cfg.aslr ? sim_check(o->kernel, buf, size, 0, &r) : 0;
	free(buf);
	if (rc)
		return 1;
	if (!realpath(o->kernel, g->path))
		return tool_error("run: '%s': %s", o->kernel, strerror(errno));
	/* The path goes inside single quotes twice (shell, then gdb's -ex). */
	if (strpbrk(g->path, "'\"\\ \t\n"))
		return tool_error("run: --gdb: kernel path '%s' has quotes, blanks or "
				  "backslashes; gdb's command line cannot carry it", g->path);
	g->entry = img.entry;
	g->pie = img.pie;
	g->aslr = img.pie && cfg.aslr;
	g->offset = img.pie && !cfg.aslr ? r.bi.kernel_image_offset : 0;
	g->port = port;
	return 0;
}

/* Whether something listens on 127.0.0.1:port (QEMU's gdb stub, once it is
 * up): /proc/net/tcp, so that no probe connection reaches the stub.  1 if
 * the table cannot be read (then there is nothing better to wait for). */
static int port_listening(int port)
{
	FILE *f = fopen("/proc/net/tcp", "r");
	if (!f)
		return 1;
	char line[256], want[32];
	snprintf(want, sizeof want, "0100007F:%04X", port);
	int found = 0;
	while (!found && fgets(line, sizeof line, f)) {
		char local[64], remote[64];
		unsigned st;
		if (sscanf(line, " %*s %63s %63s %x", local, remote, &st) == 3 && st == 0x0a &&
		    (!strcmp(local, want) || !strncmp(local, "00000000:", 9)) &&
		    !strcmp(local + 9, want + 9))
			found = 1;
	}
	fclose(f);
	return found;
}

/* Prints the gdb command line, when QEMU's stub accepts connections (a
 * script may start gdb the moment it reads the line). */
static void gdb_announce(struct gdb_info *g)
{
	fprintf(stderr, "elfboot: run: QEMU halted with its gdb stub on 127.0.0.1:%d; "
			"attach with (hbreak works before the kernel is loaded):\n", g->port);
	if (g->aslr) {
		fprintf(stderr, "gdb -ex 'target remote 127.0.0.1:%d'\n", g->port);
		fprintf(stderr, "elfboot: run: the kernel asks for aslr: its load offset is "
				"chosen at boot; the symbol-file command follows when the loader "
				"has picked it\n");
	} else {
		char off[48] = "";
		if (g->pie)
			snprintf(off, sizeof off, " -o 0x%lx", (unsigned long)g->offset);
		fprintf(stderr, "gdb -ex 'symbol-file%s %s' -ex 'target remote 127.0.0.1:%d'\n",
			off, g->path, g->port);
	}
	fflush(stderr);
	g->announced = 1;
}

/* Passes QEMU's serial output (fd, non-blocking) to stdout and looks for
 * the loader's "elfboot: jumping to ADDR" line: ADDR - entry is an aslr
 * kernel's load offset, printed as the gdb command that loads its symbols. */
struct serial_watch {
	char line[256];
	size_t len;
	int done;
};

static void watch_serial(int fd, struct serial_watch *w, const struct gdb_info *g)
{
	char b[4096];
	ssize_t r;
	while ((r = read(fd, b, sizeof b)) > 0) {
		if (write(1, b, (size_t)r) < 0)
			return;
		for (ssize_t i = 0; i < r && !w->done; i++) {
			if (b[i] != '\n') {
				if (w->len < sizeof w->line - 1)
					w->line[w->len++] = b[i];
				continue;
			}
			w->line[w->len] = 0;
			w->len = 0;
			const char *p = strstr(w->line, "elfboot: jumping to 0x");
			unsigned long long addr;
			if (p && sscanf(p + 20, "%llx", &addr) == 1) {
				w->done = 1;
				fprintf(stderr, "elfboot: run: kernel loaded at offset 0x%llx; in gdb: "
						"symbol-file -o 0x%llx %s\n",
					addr - g->entry, addr - g->entry, g->path);
			}
		}
	}
}

/* The boot medium in run_dir, built by the same code as `image`,
 * `image --iso` and `netboot`.  Their report lines (and netboot's DHCP
 * advice) describe files about to vanish: they are dropped, keeping stdout
 * for the kernel's serial output; errors still reach stderr. */
static int build_medium(const struct run_opts *o, int uefi, char *medium, size_t n)
{
	fflush(stdout);
	int saved = dup(1), null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (saved < 0 || null < 0 || dup2(null, 1) < 0)
		return tool_error("run: cannot redirect stdout: %s", strerror(errno));
	close(null);
	int rc;
	if (o->media == MEDIA_NET) {
		snprintf(medium, n, "%s/tftp", run_dir);
		if (mkdir(medium, 0755)) {
			rc = tool_error("run: cannot create '%s': %s", medium, strerror(errno));
		} else {
			struct netboot_opts no = { .kernel = o->kernel, .ramdisk = o->ramdisk,
						   .out = medium, .loader_dir = o->loader_dir,
						   .config_file = o->config_file, .mods = o->mods,
						   .pin = o->pin, .sign_key = o->sign_key,
						   .sign_cert = o->sign_cert };
			rc = netboot_build(&no);
		}
	} else {
		struct image_opts io = { .kernel = o->kernel, .ramdisk = o->ramdisk,
					 .loader_dir = o->loader_dir,
					 .config_file = o->config_file, .fat32 = 1,
					 .mods = o->mods, .pin = o->pin,
					 .sign_key = o->sign_key, .sign_cert = o->sign_cert };
		snprintf(medium, n, "%s/%s", run_dir, o->media == MEDIA_ISO ? "boot.iso" : "disk.img");
		io.out = medium;
		if (o->media == MEDIA_ISO) {
			io.iso = 1;
			rc = iso_build(&io);
		} else {
			io.uefi = uefi;
			io.bios = !uefi;
			rc = image_build(&io);
		}
	}
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	return rc;
}

/* A path as a value inside a QEMU option list ("file=..."), where a comma
 * separates options: QEMU reads ",," as one comma.  "" if it cannot fit. */
static const char *qemu_path(const char *path, char *buf, size_t n)
{
	size_t j = 0;
	for (const char *p = path; *p; p++) {
		if (j + 3 > n)
			return "";
		if (*p == ',')
			buf[j++] = ',';
		buf[j++] = *p;
	}
	buf[j] = 0;
	return buf;
}

/* Whether the user's QEMU arguments choose a display of their own. */
static int user_display(const struct run_opts *o)
{
	static const char *const opts[] = { "-display", "-nographic", "-vnc", "-sdl", "-curses",
					    "-spice" };
	for (int i = 0; i < o->nqemu; i++)
		for (size_t j = 0; j < sizeof opts / sizeof opts[0]; j++)
			if (!strcmp(o->qemu[i], opts[j]) ||
			    (o->qemu[i][0] == '-' && !strcmp(o->qemu[i] + 1, opts[j])))
				return 1;
	return 0;
}

static int nographic(const struct run_opts *o)
{
	for (int i = 0; i < o->nqemu; i++)
		if (!strcmp(o->qemu[i], "-nographic") || !strcmp(o->qemu[i], "--nographic"))
			return 1;
	return 0;
}

/* Copies QEMU's new stderr bytes (in a file, read back at the end to tell
 * a start-up failure from a kernel's exit code) to ours. */
static void relay(int fd, int killed)
{
	char b[4096];
	ssize_t r;
	while ((r = read(fd, b, sizeof b)) > 0) {
		/* Our own SIGTERM makes QEMU say so: not news to the user. */
		if (killed && memmem(b, (size_t)r, "terminating on signal", 21))
			continue;
		if (write(2, b, (size_t)r) < 0)
			break;
	}
}

/* Whether QEMU printed an error of its own (not a warning). */
static int qemu_complained(const char *errfile)
{
	FILE *f = fopen(errfile, "r");
	char line[1024];
	int bad = 0;
	while (f && fgets(line, sizeof line, f)) {
		const char *p = strstr(line, "qemu-system-x86_64: ");
		if (p && strncmp(p + 20, "warning:", 8) && !strstr(p, "terminating on signal"))
			bad = 1;
	}
	if (f)
		fclose(f);
	return bad;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int boot(const struct run_opts *o)
{
	char qemu[PATH_MAX];
	if (!find_in_path("qemu-system-x86_64", qemu, sizeof qemu)) {
		tool_error("run: qemu-system-x86_64 not found in PATH; install it: apt-get "
			   "install qemu-system-x86");
		return RUN_MISSING;
	}
	char code[PATH_MAX], vars[PATH_MAX];
	int secboot = o->sign_key != NULL;
	int ovmf = o->fw == FW_BIOS ? 0 : find_ovmf(code, vars, sizeof code, secboot);
	if (ovmf < 0)
		return RUN_MISSING;
	if (secboot && !ovmf) {
		tool_error("run: --sign-key: no Secure Boot OVMF (/usr/share/OVMF/"
			   "OVMF_CODE_4M.snakeoil.fd, or $ELFBOOT_OVMF_CODE/_VARS); install it: "
			   "apt-get install ovmf");
		return RUN_MISSING;
	}
	if (o->fw == FW_UEFI && !ovmf) {
		tool_error("run: --uefi: OVMF not found (/usr/share/OVMF/OVMF_CODE_4M.fd or "
			   "OVMF_CODE.fd, or $ELFBOOT_OVMF_CODE/_VARS); install it: apt-get install ovmf");
		return RUN_MISSING;
	}
	int uefi = ovmf > 0;
	const char *rom = NULL;
	if (o->media == MEDIA_NET && !uefi) {
		/* SeaBIOS network-boots through the NIC's iPXE option ROM. */
		rom = "/usr/lib/ipxe/qemu/pxe-e1000.rom";
		if (access(rom, R_OK)) {
			tool_error("run: --net --bios: the iPXE option ROM %s is missing; install "
				   "it: apt-get install ipxe-qemu", rom);
			return RUN_MISSING;
		}
	}
	fprintf(stderr, "elfboot: run: booting %s from %s with %s%s%s%s\n", o->kernel,
		o->media == MEDIA_NET ? "the network (QEMU's DHCP + TFTP)" :
		o->media == MEDIA_ISO ? "an ISO (CD drive)" : "a disk image",
		uefi ? "UEFI (OVMF " : "BIOS (SeaBIOS)", uefi ? code : "", uefi ? ")" : "",
		secboot ? ", Secure Boot on, the loader signed" : "");

	/* The builders install their own SIGINT/SIGTERM handlers (that remove
	 * their half-written file and die): hold signals from before run_dir
	 * exists until ours are in place, so a signal always removes it. */
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	const char *tmp = getenv("TMPDIR");
	tmp = tmp && *tmp ? tmp : "/tmp";
	if (snprintf(run_dir, sizeof run_dir, "%s/elfboot-run.XXXXXX", tmp) >= (int)sizeof run_dir ||
	    !mkdtemp(run_dir)) {
		int e = errno;
		run_dir[0] = 0;
		sigprocmask(SIG_SETMASK, &old, NULL);
		return run_fail(RUN_SETUP, "run: cannot create a temporary directory in '%s': %s",
				tmp, strlen(tmp) > PATH_MAX - 32 ? "path too long" : strerror(e));
	}
	char medium[PATH_MAX + 16];
	int rc = build_medium(o, uefi, medium, sizeof medium);
	catch_signals();
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (run_signal)
		die_by_signal();
	if (rc)
		return RUN_SETUP;
	char vars_copy[PATH_MAX + 16];
	snprintf(vars_copy, sizeof vars_copy, "%s/OVMF_VARS.fd", run_dir);
	if (uefi && copy_file(vars, vars_copy))
		return RUN_SETUP;

	int port = o->gdb_port;
	if (o->gdb && !port && !(port = free_port()))
		return run_fail(RUN_SETUP, "run: --gdb: no free TCP port on 127.0.0.1");
	struct gdb_info gi = { .aslr = 0 };
	if (o->gdb && gdb_prepare(o, port, &gi))
		return RUN_SETUP;

	/* The command line. */
	char *argv[64 + o->nqemu];
	char e_code[2 * PATH_MAX], e_vars[2 * PATH_MAX + 32], e_medium[2 * PATH_MAX + 32];
	/* Room for every path doubled by qemu_path plus the option text. */
	char a_code[2 * PATH_MAX + 96], a_vars[2 * PATH_MAX + 96], a_media[2 * PATH_MAX + 96],
		a_gdb[64], a_nic[PATH_MAX + 64];
	int n = 0;
	argv[n++] = qemu;
	argv[n++] = "-machine";
	/* A Secure Boot OVMF keeps its variables safe in SMM: the flash is
	 * writable only from there. */
	argv[n++] = secboot ? "q35,smm=on" : "q35";
	if (secboot) {
		argv[n++] = "-global";
		argv[n++] = "driver=cfi.pflash01,property=secure,value=on";
	}
	argv[n++] = "-cpu";
	argv[n++] = "max";
	argv[n++] = "-m";
	argv[n++] = "256M";
	argv[n++] = "-no-reboot";
	if (uefi) {
		snprintf(a_code, sizeof a_code, "if=pflash,format=raw,readonly=on,file=%s",
			 qemu_path(code, e_code, sizeof e_code));
		snprintf(a_vars, sizeof a_vars, "if=pflash,format=raw,file=%s",
			 qemu_path(vars_copy, e_vars, sizeof e_vars));
		argv[n++] = "-drive";
		argv[n++] = a_code;
		argv[n++] = "-drive";
		argv[n++] = a_vars;
	}
	if (o->media == MEDIA_NET) {
		snprintf(a_media, sizeof a_media, "user,id=n0,tftp=%s,bootfile=%s",
			 qemu_path(medium, e_medium, sizeof e_medium),
			 uefi ? "BOOTX64.EFI" : "elfboot.pxe");
		/* UEFI: OVMF's own virtio-net driver and PXE stack; BIOS: e1000
		 * with iPXE's ROM. */
		if (uefi)
			snprintf(a_nic, sizeof a_nic, "virtio-net-pci,netdev=n0,bootindex=0,romfile=");
		else
			snprintf(a_nic, sizeof a_nic, "e1000,netdev=n0,bootindex=0,romfile=%s", rom);
		argv[n++] = "-netdev";
		argv[n++] = a_media;
		argv[n++] = "-device";
		argv[n++] = a_nic;
	} else if (o->media == MEDIA_ISO) {
		snprintf(a_media, sizeof a_media,
			 "if=none,id=cd0,media=cdrom,readonly=on,format=raw,file=%s",
			 qemu_path(medium, e_medium, sizeof e_medium));
		argv[n++] = "-drive";
		argv[n++] = a_media;
		argv[n++] = "-device";
		argv[n++] = "ide-cd,drive=cd0,bus=ide.0,bootindex=0";
	} else {
		snprintf(a_media, sizeof a_media, "format=raw,file=%s",
			 qemu_path(medium, e_medium, sizeof e_medium));
		argv[n++] = "-drive";
		argv[n++] = a_media;
	}
	if (!nographic(o)) {
		argv[n++] = "-serial";
		argv[n++] = "stdio";
	}
	if (!user_display(o)) {
		argv[n++] = "-display";
		argv[n++] = "none";
	}
	if (o->test) {
		argv[n++] = "-device";
		argv[n++] = "isa-debug-exit,iobase=0xf4,iosize=0x04";
	}
	if (o->gdb) {
		snprintf(a_gdb, sizeof a_gdb, "tcp:127.0.0.1:%d", port);
		argv[n++] = "-S";
		argv[n++] = "-gdb";
		argv[n++] = a_gdb;
	}
	for (int i = 0; i < o->nqemu; i++)
		argv[n++] = o->qemu[i];
	argv[n] = NULL;

	char errfile[PATH_MAX + 16];
	snprintf(errfile, sizeof errfile, "%s/qemu.err", run_dir);
	int errfd = open(errfile, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (errfd < 0)
		return run_fail(RUN_SETUP, "run: cannot create '%s': %s", errfile, strerror(errno));
	/* Only an aslr kernel under --gdb has its serial output pass through
	 * us; otherwise QEMU writes to our stdout itself. */
	int sfd[2] = { -1, -1 };
	if (gi.aslr && pipe2(sfd, O_CLOEXEC)) {
		close(errfd);
		return run_fail(RUN_SETUP, "run: cannot create a pipe: %s", strerror(errno));
	}
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) {
		close(errfd);
		return run_fail(RUN_QEMU, "run: cannot start QEMU: %s", strerror(errno));
	}
	if (pid == 0) {
		dup2(errfd, 2);
		if (sfd[1] >= 0)
			dup2(sfd[1], 1);
		sigprocmask(SIG_SETMASK, &old, NULL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		execv(qemu, argv);
		dprintf(errfd, "qemu-system-x86_64: cannot execute %s: %s\n", qemu, strerror(errno));
		_exit(127);
	}
	qemu_pid = pid;
	/* A reader of our output that goes away (`elfboot run K | head`) must
	 * not kill us before QEMU is stopped and run_dir removed. */
	signal(SIGPIPE, SIG_IGN);
	int rfd = open(errfile, O_RDONLY | O_CLOEXEC);
	struct serial_watch sw = { .len = 0 };
	if (sfd[1] >= 0) {
		close(sfd[1]);
		fcntl(sfd[0], F_SETFL, O_NONBLOCK);
	}

	/* Wait: poll rather than block, so the timeout, a signal and QEMU's
	 * end are all seen without races. */
	double t0 = now(), killed_at = 0;
	int status = 0, timed_out = 0;
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (rfd >= 0)
			relay(rfd, timed_out);
		if (sfd[0] >= 0)
			watch_serial(sfd[0], &sw, &gi);
		if (o->gdb && !gi.announced && port_listening(gi.port))
			gdb_announce(&gi);
		if (run_signal) {
			kill(pid, SIGTERM);
			waitpid(pid, NULL, 0);
			qemu_pid = 0;
			close(errfd);
			if (rfd >= 0)
				close(rfd);
			die_by_signal();
		}
		if (o->timeout > 0 && !timed_out && now() - t0 >= o->timeout) {
			timed_out = 1;
			killed_at = now();
			kill(pid, SIGTERM);
		}
		if (timed_out && now() - killed_at > 3)
			kill(pid, SIGKILL);
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	qemu_pid = 0;
	if (rfd >= 0) {
		relay(rfd, timed_out);
		close(rfd);
	}
	if (sfd[0] >= 0) {
		watch_serial(sfd[0], &sw, &gi);
		close(sfd[0]);
	}
	close(errfd);
	if (timed_out) {
		fprintf(stderr, "elfboot: run: timeout: QEMU stopped after %g s\n", o->timeout);
		return RUN_TIMEOUT;
	}
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "elfboot: run: QEMU died on signal %d\n", WTERMSIG(status));
		return RUN_QEMU;
	}
	int code_ = WEXITSTATUS(status);
	/* QEMU's own exit 1 (bad option, missing file) looks like a kernel
	 * that wrote 0: what QEMU printed tells them apart. */
	if (code_ == 127 || (code_ == 1 && qemu_complained(errfile))) {
		fprintf(stderr, "elfboot: run: QEMU failed (status %d)\n", code_);
		return RUN_QEMU;
	}
	if (!o->test)
		return code_ == 0 ? RUN_OK : RUN_QEMU;
	if (code_ == DEBUG_EXIT_PASS)
		return RUN_OK;
	if (code_ & 1)
		fprintf(stderr, "elfboot: run: test failed: the kernel wrote 0x%x to isa-debug-exit "
				"(0x10 is success)\n", code_ >> 1);
	else
		fprintf(stderr, "elfboot: run: test failed: QEMU ended (status %d) without the "
				"kernel writing to isa-debug-exit\n", code_);
	return RUN_FAILED;
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o = { 0 };
	int i;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char *v = NULL;
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		int mo = mods_option(&o.mods, "run", argc, argv, &i);
		if (mo < 0)
			return RUN_SETUP;
		if (mo)
			continue;
		if (!strcmp(a, "--ramdisk") || !strcmp(a, "--config-file") ||
		    !strcmp(a, "--loader-dir") || !strcmp(a, "--timeout") || !strcmp(a, "--gdb-port") ||
		    !strcmp(a, "--sign-key") || !strcmp(a, "--sign-cert")) {
			if (i + 1 >= argc)
				return run_fail(RUN_SETUP, "run: %s needs an argument", a);
			v = argv[++i];
			if (!*v || (v[0] == '-' && v[1]))
				return run_fail(RUN_SETUP, "run: %s needs a value, got '%s'", a, v);
		}
		if (!strcmp(a, "--bios") || !strcmp(a, "--uefi")) {
			enum run_fw f = a[2] == 'b' ? FW_BIOS : FW_UEFI;
			if (o.fw && o.fw != f)
				return run_fail(RUN_SETUP, "run: --bios and --uefi exclude each other");
			o.fw = f;
		} else if (!strcmp(a, "--iso") || !strcmp(a, "--net")) {
			enum run_media m = a[2] == 'i' ? MEDIA_ISO : MEDIA_NET;
			if (o.media && o.media != m)
				return run_fail(RUN_SETUP, "run: --iso and --net exclude each other");
			o.media = m;
		} else if (!strcmp(a, "--gdb")) {
			o.gdb = 1;
		} else if (!strcmp(a, "--test")) {
			o.test = 1;
		} else if (!strcmp(a, "--pin")) {
			o.pin = 1;
		} else if (!strcmp(a, "--ramdisk")) {
			o.ramdisk = v;
		} else if (!strcmp(a, "--config-file")) {
			o.config_file = v;
		} else if (!strcmp(a, "--loader-dir")) {
			o.loader_dir = v;
		} else if (!strcmp(a, "--sign-key")) {
			o.sign_key = v;
		} else if (!strcmp(a, "--sign-cert")) {
			o.sign_cert = v;
		} else if (!strcmp(a, "--timeout")) {
			char *end;
			errno = 0;
			o.timeout = strtod(v, &end);
			if (errno || *end || !(o.timeout > 0) || o.timeout > 1e7)
				return run_fail(RUN_SETUP, "run: --timeout: '%s' is not a number of seconds "
						"(> 0)", v);
		} else if (!strcmp(a, "--gdb-port")) {
			char *end;
			long p = strtol(v, &end, 10);
			if (*end || p < 1 || p > 65535)
				return run_fail(RUN_SETUP, "run: --gdb-port: '%s' is not a TCP port (1-65535)", v);
			o.gdb_port = (int)p;
			o.gdb = 1;
		} else if (a[0] == '-' && a[1]) {
			return run_fail(RUN_SETUP, "run: unknown option '%s' (see elfboot --help)", a);
		} else if (o.kernel) {
			return run_fail(RUN_SETUP, "run: more than one kernel given ('%s', '%s'); "
					"QEMU options go after --", o.kernel, a);
		} else {
			o.kernel = a;
		}
	}
	o.qemu = argv + i;
	o.nqemu = argc - i;
	if (!o.kernel || !*o.kernel)
		return run_fail(RUN_SETUP, "run: no KERNEL given (see elfboot --help)");
	if (o.nqemu > 1000)
		return run_fail(RUN_SETUP, "run: too many QEMU arguments (%d)", o.nqemu);
	if (sign_opts_check("run", o.sign_key, o.sign_cert))
		return RUN_SETUP;
	if (o.sign_key && o.fw == FW_BIOS)
		return run_fail(RUN_SETUP, "run: --sign-key signs the UEFI loader and boots it with "
				"Secure Boot; --bios has none");
	atexit(run_cleanup);
	int rc = boot(&o);
	run_cleanup();
	return rc;
}
