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

#include "config_layout.h"
#include "core.h"
#include "sim.h"
#include "tool.h"

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

/* What a value of this field may be: for the key list and for errors. */
static const char *field_values(const struct eb_cfg_field *f, int words)
{
	switch (f->kind) {
	case EB_CFG_BOOL:
		return words ? "true or false" : "true|false";
	case EB_CFG_MAPPING:
		return words ? "dynamic or an address" : "dynamic|ADDR";
	case EB_CFG_OPT_MAPPING:
		return words ? "none, dynamic or an address" : "none|dynamic|ADDR";
	case EB_CFG_OPT_U64:
		if (f->flags & EB_CFG_F_ADDR)
			return words ? "none or an address" : "none|ADDR";
		return words ? "none or a number" : "none|N";
	default:
		return words ? "a number" : "N";
	}
}

/* The settable keys, from the field table. */
static int unknown_key(const char *key, size_t kl)
{
	char help[1024];
	size_t n = 0;
	help[0] = 0;
	for (unsigned i = 0; i < eb_cfg_nfields; i++) {
		const struct eb_cfg_field *f = &eb_cfg_fields[i];
		if (!(f->flags & EB_CFG_F_FIXED) && n < sizeof help)
			n += (size_t)snprintf(help + n, sizeof help - n, "%s%s (%s)", n ? ", " : "",
					      f->key, field_values(f, 0));
	}
	return tool_error("config set: unknown key '%.*s' (keys: %s)", (int)kl, key, help);
}

/* Stores v into the field's place in c; -1 if v is not a value of it. */
static int set_field(const struct eb_cfg_field *f, struct eb_config *c, const char *v)
{
	uint8_t *val = (uint8_t *)c + f->val, *some = (uint8_t *)c + f->some;
	struct eb_mapping m = { 0, 0 };
	uint64_t x = 0;
	int none = !strcmp(v, "none") && (f->kind == EB_CFG_OPT_MAPPING || f->kind == EB_CFG_OPT_U64);
	switch (f->kind) {
	case EB_CFG_BOOL:
		if (strcmp(v, "true") && strcmp(v, "false"))
			return -1;
		*val = !strcmp(v, "true");
		return 0;
	case EB_CFG_U64:
		if (parse_u64(v, &x))
			return -1;
		memcpy(val, &x, sizeof x);
		return 0;
	case EB_CFG_MAPPING:
	case EB_CFG_OPT_MAPPING:
		if (!none && set_mapping(&m, v))
			return -1;
		memcpy(val, &m, sizeof m);
		break;
	case EB_CFG_OPT_U64:
		if (!none && parse_u64(v, &x))
			return -1;
		memcpy(val, &x, sizeof x);
		break;
	default:
		return -1;
	}
	if (f->kind != EB_CFG_MAPPING)
		*some = !none;
	return 0;
}

/* Applies one key=value; returns 0 or prints the error and returns 1.  A
 * key is the full path `config show` prints or its last component. */
static int apply(struct eb_config *c, const char *kv)
{
	const char *eq = strchr(kv, '=');
	if (!eq)
		return tool_error("config set: '%s' is not key=value", kv);
	char key[64];
	size_t kl = (size_t)(eq - kv);
	if (kl >= sizeof key)
		return unknown_key(kv, kl);
	memcpy(key, kv, kl);
	key[kl] = 0;
	const char *v = eq + 1;
	for (unsigned i = 0; i < eb_cfg_nfields; i++) {
		const struct eb_cfg_field *f = &eb_cfg_fields[i];
		if ((f->flags & EB_CFG_F_FIXED) ||
		    (strcmp(key, f->key) && strcmp(key, config_field_name(f))))
			continue;
		if (set_field(f, c, v))
			return tool_error("config set: bad value '%s' for %s: expected %s", v, key,
					  field_values(f, 1));
		return 0;
	}
	return unknown_key(key, kl);
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
	/* In the kernel's own form: an older one cannot hold every field. */
	uint8_t bytes[ELFBOOT_CONFIG_LEN];
	if (config_serialize_len(&c, c.len, bytes)) {
		free(buf);
		return tool_error("%s: config set: %s", shown, eb_last_error());
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
