/* SPDX-License-Identifier: MIT */
/*
 * modules.c - `--module FILE[:NAME[:CMDLINE]]` and `--cmdline STR` of image,
 * netboot and run (the MODULES and CMDLINE requests, docs/PROTOCOL.md).
 * Checks every module and string as the loader's boot.json parser will, then
 * writes the boot.json the medium gets (the user's --config-file plus
 * "cmdline" and "modules") to a temporary file; the builders copy it and the
 * module files (as module-0, module-1, ...) onto the medium.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core.h"
#include "tool.h"

_Static_assert(TOOL_MAX_MODULES == EB_MAX_MODULES, "the tool's module cap is the loader's");

static char json_path[4096];

static void json_remove(void)
{
	if (json_path[0])
		unlink(json_path);
	json_path[0] = 0;
}

int mods_option(struct boot_mods *m, const char *cmd, int argc, char **argv, int *i)
{
	const char *a = argv[*i];
	int is_mod = !strcmp(a, "--module");
	if (!is_mod && strcmp(a, "--cmdline"))
		return 0;
	if (*i + 1 >= argc) {
		tool_error("%s: %s needs an argument", cmd, a);
		return -1;
	}
	const char *v = argv[++*i];
	if (is_mod) {
		if (!*v || (v[0] == '-' && v[1])) {
			tool_error("%s: --module needs FILE[:NAME[:CMDLINE]], got '%s'", cmd, v);
			return -1;
		}
		if (m->n == TOOL_MAX_MODULES) {
			tool_error("%s: more than %d modules (--module '%s')", cmd, TOOL_MAX_MODULES, v);
			return -1;
		}
		m->spec[m->n++] = v;
	} else {
		if (m->cmdline) {
			tool_error("%s: --cmdline given twice", cmd);
			return -1;
		}
		m->cmdline = v; /* may be empty, or start with '-' ("--cmdline -v") */
	}
	return 1;
}

/* Appends s as a JSON string ("..." with \" and \\) to f; refuses control
 * characters and strings whose JSON form is longer than max bytes (the
 * loader's bound on the raw string).  0, or 1 with the error printed. */
static int put_string(FILE *f, const char *what, const char *s, size_t len, size_t max)
{
	size_t raw = 0;
	for (size_t i = 0; i < len; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return tool_error("%s: contains a control character (byte %zu)", what, i);
		raw += (s[i] == '"' || s[i] == '\\') ? 2 : 1;
	}
	if (raw > max)
		return tool_error("%s: %zu bytes in boot.json, at most %zu", what, raw, max);
	fputc('"', f);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"' || s[i] == '\\')
			fputc('\\', f);
		fputc(s[i], f);
	}
	fputc('"', f);
	return 0;
}

/* Splits spec into FILE, NAME, CMDLINE (NAME: FILE's basename when absent);
 * checks the file.  0, or 1 with the error printed. */
static int split(struct boot_mods *m, int k, const char **name, size_t *name_len,
		 const char **line)
{
	const char *spec = m->spec[k], *c1 = strchr(spec, ':');
	size_t flen = c1 ? (size_t)(c1 - spec) : strlen(spec);
	if (!flen)
		return tool_error("--module '%s': no FILE before ':'", spec);
	if (flen > TOOL_PATH_MAX)
		return tool_error("--module: FILE path is %zu bytes long (at most %d)", flen,
				  TOOL_PATH_MAX);
	m->file[k] = strndup(spec, flen);
	if (!m->file[k])
		return tool_error("out of memory");
	struct stat st;
	if (stat(m->file[k], &st))
		return tool_error("module '%s': %s", m->file[k], strerror(errno));
	if (!S_ISREG(st.st_mode))
		return tool_error("module '%s' is not a regular file", m->file[k]);
	/* The loader's file readers refuse an empty file. */
	if (!st.st_size)
		return tool_error("module '%s' is empty", m->file[k]);
	m->total += EB_ALIGN_UP((uint64_t)st.st_size, 64 * 1024);
	*line = "";
	if (!c1) {
		const char *b = strrchr(m->file[k], '/');
		*name = b ? b + 1 : m->file[k];
		*name_len = strlen(*name);
		if (!*name_len)
			return tool_error("--module '%s': FILE has no base name; give a NAME", spec);
		return 0;
	}
	const char *c2 = strchr(c1 + 1, ':');
	*name = c1 + 1;
	*name_len = c2 ? (size_t)(c2 - *name) : strlen(*name);
	if (c2)
		*line = c2 + 1;
	if (!*name_len)
		return tool_error("--module '%s': NAME is empty", spec);
	return 0;
}

int mods_prepare(struct boot_mods *m, const char **config_file, int unchecked)
{
	/* --unchecked leaves a given boot.json as it is (the loader's own
	 * checks are what such an image tests). */
	if (!m->n && !m->cmdline && (!*config_file || unchecked))
		return 0;
	/* The user's boot.json, checked, is the start. */
	char *base = NULL;
	size_t blen = 0;
	if (*config_file) {
		uint64_t size;
		uint8_t *buf = read_file(*config_file, &size);
		if (!buf)
			return 1;
		static struct eb_bootcfg bc;
		if (bootcfg_parse((const char *)buf, size, &bc)) {
			free(buf);
			/* Nothing to add: inputs_check reports it (unless unchecked). */
			return m->n || m->cmdline ? tool_error("%s: %s", *config_file, eb_last_error())
						  : 0;
		}
		/* Its modules' files would not be on the medium. */
		if (bc.module_count) {
			free(buf);
			return tool_error("%s: has \"modules\"; give them with --module, which puts "
					  "the files on the medium", *config_file);
		}
		if (bc.cmdline && m->cmdline) {
			free(buf);
			return tool_error("%s: has \"cmdline\"; give the command line once (there "
					  "or --cmdline)", *config_file);
		}
		if (!m->n && !m->cmdline) { /* nothing to add: the file as it is */
			free(buf);
			return 0;
		}
		/* Valid and an object: cut at its closing brace. */
		blen = (size_t)size;
		while (blen && buf[blen - 1] != '}')
			blen--;
		blen--;
		base = (char *)buf;
	}
	json_remove(); /* `run` builds a medium per attempt */
	snprintf(json_path, sizeof json_path, "%s/elfboot-boot.json.XXXXXX",
		 getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	int fd = mkstemp(json_path);
	if (fd < 0) {
		json_path[0] = 0;
		free(base);
		return tool_error("cannot create a temporary boot.json: %s", strerror(errno));
	}
	static int registered;
	if (!registered++)
		atexit(json_remove);
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		free(base);
		return tool_error("cannot write the temporary boot.json: %s", strerror(errno));
	}
	int bad = 0;
	size_t k = 0, lens[TOOL_MAX_MODULES];
	const char *names[TOOL_MAX_MODULES];
	if (base) {
		fwrite(base, 1, blen, f);
		/* A member before ours needs a comma: the object is not "{ }". */
		size_t e = blen;
		while (e && (base[e - 1] == ' ' || base[e - 1] == '\t' || base[e - 1] == '\n' ||
			     base[e - 1] == '\r'))
			e--;
		if (e && base[e - 1] != '{')
			fputc(',', f);
		fputc('\n', f);
	} else {
		fputs("{\n", f);
	}
	free(base);
	if (m->cmdline) {
		fputs("  \"cmdline\": ", f);
		bad = put_string(f, "--cmdline", m->cmdline, strlen(m->cmdline), EB_CMDLINE_MAX);
		k++;
	}
	if (!bad && m->n) {
		fprintf(f, "%s  \"modules\": [", k ? ",\n" : "");
		for (int i = 0; i < m->n && !bad; i++) {
			const char *name = "", *line = "";
			size_t nlen = 0;
			char what[64];
			bad = split(m, i, &name, &nlen, &line);
			/* Kernels find modules by name: each once (the loader does
			 * not check). */
			names[i] = name;
			lens[i] = nlen;
			for (int j = 0; j < i && !bad; j++)
				if (!strcmp(m->file[j], m->file[i]))
					bad = tool_error("module '%s' given twice", m->file[i]);
				else if (lens[j] == nlen && !memcmp(names[j], name, nlen))
					bad = tool_error("--module: two modules named '%.*s' (NAME must be "
							 "unique)", (int)nlen, name);
			if (bad)
				break;
			fprintf(f, "%s\n    {\"file\": \"module-%d\", \"name\": ", i ? "," : "", i);
			snprintf(what, sizeof what, "--module %d NAME", i + 1);
			bad = put_string(f, what, name, nlen, EB_MODULE_NAME_MAX);
			fputs(", \"cmdline\": ", f);
			snprintf(what, sizeof what, "--module %d CMDLINE", i + 1);
			bad = bad || put_string(f, what, line, strlen(line), EB_CMDLINE_MAX);
			fputc('}', f);
		}
		fputs("\n  ]", f);
	}
	fputs("\n}\n", f);
	if (fclose(f) && !bad)
		bad = tool_error("writing the temporary boot.json: %s", strerror(errno));
	if (bad) {
		json_remove();
		return 1;
	}
	/* What the loader will make of it: its own parser decides (e.g. the
	 * 8 KiB bound on all strings together). */
	uint64_t size;
	uint8_t *buf = read_file(json_path, &size);
	if (!buf)
		return 1;
	static struct eb_bootcfg bc;
	bad = bootcfg_parse((const char *)buf, size, &bc);
	free(buf);
	if (bad) {
		bad = tool_error("--module/--cmdline: %s", eb_last_error());
		json_remove();
		return bad;
	}
	*config_file = json_path;
	return 0;
}
