/* SPDX-License-Identifier: MIT */
/*
 * setcfg.c - `elfboot config set KERNEL key=value ...`: edits the embedded
 * .bootloader-config in place through libelf (layout kept, ELF_F_LAYOUT),
 * in its own serialised form (133, 124 or 115 bytes).  The result is
 * validated with the loader's own checks and a simulated load before it
 * replaces the kernel: the edit goes to a temporary copy, which is renamed
 * over the original (a symlink's target) only when complete and valid.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core.h"
#include "sim.h"
#include "tool.h"

static const char *const keys_help =
	"kernel_stack_size, mappings.{kernel_stack,kernel_base,boot_info,framebuffer,"
	"ramdisk_memory} (dynamic|ADDR), mappings.{physical_memory,page_table_recursive} "
	"(none|dynamic|ADDR), mappings.aslr (true|false), mappings.dynamic_range_{start,end} "
	"(none|ADDR), frame_buffer.minimum_framebuffer_{width,height} (none|N)";

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;
	errno = 0;
	if (!*s || *s == '-')
		return -1;
	unsigned long long x = strtoull(s, &end, 0);
	if (errno || *end)
		return -1;
	*v = x;
	return 0;
}

static int set_mapping(struct eb_mapping *m, const char *v)
{
	if (!strcmp(v, "dynamic")) {
		m->fixed = 0;
		m->addr = 0;
		return 0;
	}
	m->fixed = 1;
	return parse_u64(v, &m->addr);
}

static int set_opt_mapping(uint8_t *some, struct eb_mapping *m, const char *v)
{
	if (!strcmp(v, "none")) {
		*some = 0;
		m->fixed = 0;
		m->addr = 0;
		return 0;
	}
	*some = 1;
	return set_mapping(m, v);
}

static int set_opt_u64(uint8_t *some, uint64_t *x, const char *v)
{
	if (!strcmp(v, "none")) {
		*some = 0;
		*x = 0;
		return 0;
	}
	*some = 1;
	return parse_u64(v, x);
}

/* Applies one key=value; returns 0 or prints the error and returns 1. */
static int apply(struct eb_config *c, const char *kv)
{
	const char *eq = strchr(kv, '=');
	if (!eq)
		return tool_error("config set: '%s' is not key=value", kv);
	char key[64];
	size_t kl = (size_t)(eq - kv);
	if (kl >= sizeof key)
		return tool_error("config set: unknown key '%.*s' (keys: %s)", (int)kl, kv, keys_help);
	memcpy(key, kv, kl);
	key[kl] = 0;
	const char *v = eq + 1, *k = key;
	if (!strncmp(k, "mappings.", 9))
		k += 9;
	else if (!strncmp(k, "frame_buffer.", 13))
		k += 13;
	int bad;
	const char *want;
	if (!strcmp(k, "kernel_stack_size")) {
		bad = parse_u64(v, &c->kernel_stack_size), want = "a number";
	} else if (!strcmp(k, "kernel_stack")) {
		bad = set_mapping(&c->kernel_stack, v), want = "dynamic or an address";
	} else if (!strcmp(k, "kernel_base")) {
		bad = set_mapping(&c->kernel_base, v), want = "dynamic or an address";
	} else if (!strcmp(k, "boot_info")) {
		bad = set_mapping(&c->boot_info, v), want = "dynamic or an address";
	} else if (!strcmp(k, "framebuffer")) {
		bad = set_mapping(&c->framebuffer, v), want = "dynamic or an address";
	} else if (!strcmp(k, "ramdisk_memory")) {
		bad = set_mapping(&c->ramdisk_memory, v), want = "dynamic or an address";
	} else if (!strcmp(k, "physical_memory")) {
		bad = set_opt_mapping(&c->has_physical_memory, &c->physical_memory, v),
		want = "none, dynamic or an address";
	} else if (!strcmp(k, "page_table_recursive")) {
		bad = set_opt_mapping(&c->has_recursive, &c->recursive, v),
		want = "none, dynamic or an address";
	} else if (!strcmp(k, "aslr")) {
		bad = strcmp(v, "true") && strcmp(v, "false");
		c->aslr = !strcmp(v, "true");
		want = "true or false";
	} else if (!strcmp(k, "dynamic_range_start")) {
		bad = set_opt_u64(&c->has_dyn_start, &c->dyn_start, v), want = "none or an address";
	} else if (!strcmp(k, "dynamic_range_end")) {
		bad = set_opt_u64(&c->has_dyn_end, &c->dyn_end, v), want = "none or an address";
	} else if (!strcmp(k, "minimum_framebuffer_height")) {
		bad = set_opt_u64(&c->has_min_height, &c->min_height, v), want = "none or a number";
	} else if (!strcmp(k, "minimum_framebuffer_width")) {
		bad = set_opt_u64(&c->has_min_width, &c->min_width, v), want = "none or a number";
	} else {
		return tool_error("config set: unknown key '%s' (keys: %s)", key, keys_help);
	}
	if (bad)
		return tool_error("config set: bad value '%s' for %s: expected %s", v, key, want);
	return 0;
}

/* The config in the layout of `len` bytes (fields the old forms lack must
 * stay at their default). */
static int serialize_as(const struct eb_config *c, uint32_t len, uint8_t *out)
{
	uint8_t full[ELFBOOT_CONFIG_LEN];
	config_serialize(c, full);
	if (len == ELFBOOT_CONFIG_LEN) {
		memcpy(out, full, len);
		return 0;
	}
	if (c->kernel_base.fixed)
		return tool_error("config set: this kernel's %u-byte config (bootloader_api < "
				  "0.11.11) has no kernel_base", len);
	memcpy(out, full, 40);                    /* up to kernel_stack */
	if (len == ELFBOOT_CONFIG_LEN_0_11_1) {
		memcpy(out + 40, full + 49, 133 - 49); /* without kernel_base */
		return 0;
	}
	if (c->ramdisk_memory.fixed)
		return tool_error("config set: this kernel's 115-byte config (bootloader_api "
				  "0.11.0) has no ramdisk_memory");
	memcpy(out + 40, full + 49, 106 - 49);     /* boot_info .. dynamic_range_end */
	memcpy(out + 97, full + 115, 18);          /* framebuffer minimums */
	return 0;
}

static int config_set_file(const char *path, const char *shown, int nkv, char **kv);

int config_set(const char *path, int nkv, char **kv)
{
	/* Edit the file a symlink points to, in place: renaming the edited
	 * copy over the link itself would replace the link with a file. */
	char *real = realpath(path, NULL);
	if (!real)
		return tool_error("cannot open '%s': %s", path, strerror(errno));
	size_t len = strlen(real);
	if (len > TOOL_PATH_MAX) {
		free(real);
		return tool_error("config set: '%s' resolves to a path of %zu bytes (at most %d)",
				  path, len, TOOL_PATH_MAX);
	}
	int rc = config_set_file(real, path, nkv, kv);
	free(real);
	return rc;
}

/* path: the resolved file; shown: the name the user gave (for messages). */
static int config_set_file(const char *path, const char *shown, int nkv, char **kv)
{
	uint64_t size;
	struct elf_image img;
	struct eb_config c;
	uint8_t *buf = read_file(path, &size);
	if (!buf)
		return 1;
	if (kernel_check(buf, size, &img, &c)) {
		free(buf);
		return tool_error("%s: %s", shown, eb_last_error());
	}
	for (int i = 0; i < nkv; i++)
		if (apply(&c, kv[i])) {
			free(buf);
			return 1;
		}
	uint8_t bytes[ELFBOOT_CONFIG_LEN];
	if (serialize_as(&c, c.len, bytes)) {
		free(buf);
		return 1;
	}
	/* The loader's own checks on the edited kernel, before touching disk. */
	memcpy(buf + img.config_offset, bytes, c.len);
	struct eb_config after;
	if (kernel_check(buf, size, &img, &after)) {
		free(buf);
		return tool_error("%s: the new config would not boot: %s", shown, eb_last_error());
	}
	/* And the whole load: a clash only loading finds is refused too. */
	static struct sim_result sim;
	if (sim_check(shown, buf, size, 0, &sim)) {
		free(buf);
		return 1;
	}
	free(buf);

	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0)
		return tool_error("cannot create a temporary file next to '%s': %s", path,
				  strerror(errno));
	struct stat st;
	int src = open(path, O_RDONLY);
	int ok = src >= 0 && fstat(src, &st) == 0 && fchmod(fd, st.st_mode & 07777) == 0;
	char chunk[65536];
	ssize_t n;
	while (ok && (n = read(src, chunk, sizeof chunk)) > 0)
		ok = write(fd, chunk, (size_t)n) == n;
	if (src >= 0)
		close(src);
	/* Edit the copy through libelf, keeping every offset as it is. */
	elf_version(EV_CURRENT);
	Elf *e = ok ? elf_begin(fd, ELF_C_RDWR, NULL) : NULL;
	size_t shstrndx;
	int done = 0;
	if (e && elf_getshdrstrndx(e, &shstrndx) == 0) {
		elf_flagelf(e, ELF_C_SET, ELF_F_LAYOUT);
		for (Elf_Scn *s = elf_nextscn(e, NULL); s && !done; s = elf_nextscn(e, s)) {
			GElf_Shdr sh;
			const char *name;
			if (!gelf_getshdr(s, &sh) || !(name = elf_strptr(e, shstrndx, sh.sh_name)) ||
			    strcmp(name, ELFBOOT_CONFIG_SECTION))
				continue;
			Elf_Data *d = elf_getdata(s, NULL);
			if (d && d->d_size == c.len) {
				memcpy(d->d_buf, bytes, c.len);
				elf_flagdata(d, ELF_C_SET, ELF_F_DIRTY);
				done = elf_update(e, ELF_C_WRITE) >= 0;
			}
		}
	}
	const char *why = e ? elf_errmsg(-1) : strerror(errno);
	if (e)
		elf_end(e);
	ok = ok && done && fsync(fd) == 0;
	close(fd);
	if (ok) {
		/* Re-read what libelf wrote; it must be what we validated. */
		uint8_t *check = read_file(tmp, &size);
		ok = check && kernel_check(check, size, &img, &after) == 0 &&
		     memcmp(check + img.config_offset, bytes, c.len) == 0;
		free(check);
		why = "the rewritten kernel did not read back as written";
	}
	if (!ok || rename(tmp, path) != 0) {
		unlink(tmp);
		return tool_error("%s: config set failed: %s", shown, ok ? strerror(errno) : why);
	}
	printf("%s: config updated (%d change%s, %u-byte section)\n", shown, nkv,
	       nkv == 1 ? "" : "s", c.len);
	return 0;
}
