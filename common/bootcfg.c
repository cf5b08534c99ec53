/* SPDX-License-Identifier: MIT */
/*
 * bootcfg.c - the runtime config file boot.json at the boot partition's
 * root, with the keys the bootloader_api 0.11 loader reads:
 *   { "frame_buffer": { "minimum_framebuffer_height": N,
 *                       "minimum_framebuffer_width": N },
 *     "log_level": "Off"|"Error"|"Warn"|"Info"|"Debug"|"Trace",
 *     "frame_buffer_logging": bool, "serial_logging": bool,
 *     "_test_sentinel": N, "_test_fault": "exception"|"exit-retry"|"exit-fail"|"tftp-blocks",
 *     "_test_screen_echo": bool,
 *     "cmdline": "...", "modules": [{"file": F, "name": "...", "cmdline": "..."}] }
 * (the last two: elfboot's MODULES and CMDLINE requests, docs/PROTOCOL.md;
 * the host tool checks the module files' names, which the loader only
 * looks up at the volume's root).
 * A small recursive-descent JSON reader, bounded in depth and length.  The
 * file is hostile: any error leaves every setting at its default and is
 * reported (the loader warns and boots on).  Unknown keys are ignored.
 * The "_test_" keys exist for elfboot's own tests only (off by default).
 */
#include "core.h"

struct json {
	const char *p, *end, *start;
	int depth;
};

static void skip_ws(struct json *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int fail(struct json *j, const char *what)
{
	return eb_error("boot.json: %s at byte %lu", what, (uint64_t)(j->p - j->start));
}

static int expect(struct json *j, char c)
{
	skip_ws(j);
	if (j->p >= j->end || *j->p != c) {
		char msg[32];
		eb_snprintf(msg, sizeof msg, "expected '%c'", c);
		return fail(j, msg);
	}
	j->p++;
	return EB_OK;
}

/* A string into buf (ASCII; escapes kept simple, \uXXXX skipped). */
static int parse_string(struct json *j, char *buf, size_t n)
{
	if (expect(j, '"'))
		return EB_ERR;
	size_t k = 0;
	while (j->p < j->end && *j->p != '"') {
		char c = *j->p++;
		if ((unsigned char)c < 0x20)
			return fail(j, "control character in string");
		if (c == '\\') {
			if (j->p >= j->end)
				break;
			c = *j->p++;
			if (c == 'u') {
				for (int i = 0; i < 4; i++, j->p++)
					if (j->p >= j->end)
						return fail(j, "truncated \\u escape");
				c = '?';
			} else if (c == 'n' || c == 't' || c == 'r' || c == 'b' || c == 'f') {
				c = ' ';
			} else if (c != '"' && c != '\\' && c != '/') {
				return fail(j, "bad escape");
			}
		}
		if (k + 1 < n)
			buf[k++] = c;
	}
	if (j->p >= j->end)
		return fail(j, "unterminated string");
	j->p++;
	if (n)
		buf[k] = 0;
	return EB_OK;
}

static int parse_u64(struct json *j, uint64_t *v)
{
	skip_ws(j);
	const char *s = j->p;
	uint64_t x = 0;
	if (j->p < j->end && *j->p == '-')
		return fail(j, "negative number");
	while (j->p < j->end && *j->p >= '0' && *j->p <= '9') {
		uint64_t d = (uint64_t)(*j->p - '0');
		if (x > (~0ull - d) / 10)
			return fail(j, "number too large");
		x = x * 10 + d;
		j->p++;
	}
	if (j->p == s)
		return fail(j, "expected a number");
	if (j->p < j->end && (*j->p == '.' || *j->p == 'e' || *j->p == 'E'))
		return fail(j, "expected a whole number");
	*v = x;
	return EB_OK;
}

static int parse_word(struct json *j, const char *w)
{
	size_t n = strlen(w);
	if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n) != 0)
		return fail(j, "unexpected value");
	j->p += n;
	return EB_OK;
}

static int parse_bool(struct json *j, uint8_t *v)
{
	skip_ws(j);
	if (j->p < j->end && *j->p == 't') {
		*v = 1;
		return parse_word(j, "true");
	}
	*v = 0;
	return parse_word(j, "false");
}

/* Any value, ignored (unknown keys). */
static int skip_value(struct json *j)
{
	skip_ws(j);
	if (j->p >= j->end)
		return fail(j, "expected a value");
	if (++j->depth > 16)
		return fail(j, "nested too deeply");
	int r = EB_OK;
	char c = *j->p;
	if (c == '"') {
		r = parse_string(j, 0, 0);
	} else if (c == '{' || c == '[') {
		char close = c == '{' ? '}' : ']';
		j->p++;
		skip_ws(j);
		if (j->p < j->end && *j->p == close) {
			j->p++;
		} else {
			for (;;) {
				if (c == '{' && (parse_string(j, 0, 0) || expect(j, ':')))
					return EB_ERR;
				if (skip_value(j))
					return EB_ERR;
				skip_ws(j);
				if (j->p < j->end && *j->p == ',') {
					j->p++;
					continue;
				}
				r = expect(j, close);
				break;
			}
		}
	} else if (c == 't' || c == 'f') {
		uint8_t b;
		r = parse_bool(j, &b);
	} else if (c == 'n') {
		r = parse_word(j, "null");
	} else {
		skip_ws(j);
		if (j->p < j->end && *j->p == '-')
			j->p++;
		const char *s = j->p;
		while (j->p < j->end && ((*j->p >= '0' && *j->p <= '9') || *j->p == '.' ||
					 *j->p == 'e' || *j->p == 'E' || *j->p == '+' || *j->p == '-'))
			j->p++;
		if (j->p == s)
			r = fail(j, "unexpected character");
	}
	j->depth--;
	return r;
}

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c; }

static int level_of(const char *s)
{
	/* Char arrays rather than pointer tables here: a PIC loader needs no
	 * load-time relocation for them (BOOTX64.EFI's size budget). */
	static const char names[][6] = { "off", "error", "warn", "info", "debug", "trace" };
	for (int i = 0; i < 6; i++) {
		const char *a = s, *b = names[i];
		while (*a && *b && lower(*a) == *b) {
			a++;
			b++;
		}
		if (!*a && !*b)
			return i;
	}
	return -1;
}

/* Iterates the members of an object, calling fn(key) positioned at the value. */
static int parse_object(struct json *j, struct eb_bootcfg *c, int nested);

/* A string value decoded into c->strings; *off its offset there.  At most
 * `max` bytes in its JSON form, which bounds the decoded string too. */
static int pool_string(struct json *j, struct eb_bootcfg *c, uint16_t *off, uint32_t max)
{
	skip_ws(j);
	const char *s = j->p;
	if (*off) /* every string is stored past offset 0 */
		return fail(j, "duplicate key");
	if (parse_string(j, 0, 0))
		return EB_ERR;
	uint32_t raw = (uint32_t)(j->p - s) - 2;
	if (raw > max) {
		char msg[48];
		eb_snprintf(msg, sizeof msg, "string of %u bytes (at most %u)", raw, max);
		return fail(j, msg);
	}
	if (raw >= (uint32_t)(EB_BOOTCFG_STRINGS - c->strings_used))
		return fail(j, "strings total more than 8 KiB");
	j->p = s;
	*off = c->strings_used;
	parse_string(j, c->strings + *off, raw + 1);
	c->strings_used = (uint16_t)(c->strings_used + strlen(c->strings + *off) + 1);
	return EB_OK;
}

/* "modules": an array of objects, each parsed by parse_object with
 * nested 2 into the next free slot. */
static int parse_modules(struct json *j, struct eb_bootcfg *c)
{
	if (c->module_count)
		return fail(j, "duplicate key");
	if (expect(j, '['))
		return EB_ERR;
	skip_ws(j);
	if (j->p < j->end && *j->p == ']') {
		j->p++;
		return EB_OK;
	}
	for (;;) {
		if (c->module_count == EB_MAX_MODULES)
			return fail(j, "more than 64 modules");
		struct eb_bootmod *m = &c->modules[c->module_count];
		if (parse_object(j, c, 2))
			return EB_ERR;
		if (!m->name)
			m->name = m->file;
		if (!c->strings[m->file] || !c->strings[m->name])
			return fail(j, "module file or name missing or empty");
		c->module_count++;
		skip_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		return expect(j, ']');
	}
}

static int member(struct json *j, struct eb_bootcfg *c, const char *key, int nested)
{
	skip_ws(j);
	if (nested == 2) { /* inside a module of "modules" */
		struct eb_bootmod *m = &c->modules[c->module_count];
		uint16_t *dst = !strcmp(key, "file")	  ? &m->file
				: !strcmp(key, "name")	  ? &m->name
				: !strcmp(key, "cmdline") ? &m->cmdline
							  : 0;
		if (!dst)
			return skip_value(j);
		return pool_string(j, c, dst, dst == &m->cmdline ? EB_CMDLINE_MAX : EB_MODULE_NAME_MAX);
	}
	if (nested) { /* inside "frame_buffer" */
		int h = !strcmp(key, "minimum_framebuffer_height");
		if (!h && strcmp(key, "minimum_framebuffer_width"))
			return skip_value(j);
		uint8_t *has = h ? &c->has_min_height : &c->has_min_width;
		*has = 0; /* null: no minimum */
		if (j->p < j->end && *j->p == 'n')
			return parse_word(j, "null");
		*has = 1; /* a parse error resets the whole config anyway */
		return parse_u64(j, h ? &c->min_height : &c->min_width);
	}
	if (!strcmp(key, "frame_buffer")) {
		if (j->p < j->end && *j->p == 'n')
			return parse_word(j, "null");
		return parse_object(j, c, 1);
	}
	if (!strcmp(key, "log_level")) {
		char v[16];
		if (parse_string(j, v, sizeof v))
			return EB_ERR;
		int l = level_of(v);
		if (l < 0)
			return fail(j, "log_level is not Off/Error/Warn/Info/Debug/Trace");
		c->log_level = (uint8_t)l;
		return EB_OK;
	}
	if (!strcmp(key, "frame_buffer_logging")) {
		/* Absent: errors and warnings on screen, progress on serial only
		 * (the firmware's text console is slow); true asks for progress
		 * there too; false leaves only errors. */
		if (parse_bool(j, &c->screen_logging))
			return EB_ERR;
		c->screen_progress = c->screen_logging;
		return EB_OK;
	}
	if (!strcmp(key, "cmdline"))
		return pool_string(j, c, &c->cmdline, EB_CMDLINE_MAX);
	if (!strcmp(key, "modules"))
		return parse_modules(j, c);
	if (!strcmp(key, "_test_screen_echo"))
		return parse_bool(j, &c->test_screen_echo);
	if (!strcmp(key, "serial_logging"))
		return parse_bool(j, &c->serial_logging);
	if (!strcmp(key, "_test_sentinel"))
		return parse_u64(j, &c->test_sentinel);
	if (!strcmp(key, "_test_fault")) {
		static const char names[][12] = { "exception", "exit-retry", "exit-fail",
						  "tftp-blocks" };
		char v[16];
		if (parse_string(j, v, sizeof v))
			return EB_ERR;
		for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
			if (!strcmp(v, names[i])) {
				c->test_fault = (uint8_t)(EB_TEST_FAULT_EXCEPTION + i);
				return EB_OK;
			}
		return fail(j, "_test_fault is not a known fault"); /* test-only: names in core.h */
	}
	return skip_value(j);
}

static int parse_object(struct json *j, struct eb_bootcfg *c, int nested)
{
	if (expect(j, '{'))
		return EB_ERR;
	skip_ws(j);
	if (j->p < j->end && *j->p == '}') {
		j->p++;
		return EB_OK;
	}
	for (;;) {
		char key[48];
		if (parse_string(j, key, sizeof key) || expect(j, ':') || member(j, c, key, nested))
			return EB_ERR;
		skip_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		return expect(j, '}');
	}
}

void bootcfg_default(struct eb_bootcfg *c)
{
	memset(c, 0, sizeof *c);
	c->log_level = EB_LOG_INFO;
	c->screen_logging = 1;
	c->serial_logging = 1;
	c->strings_used = 1; /* strings[0] is "": offset 0 means absent */
}

int bootcfg_parse(const char *text, uint64_t len, struct eb_bootcfg *c)
{
	struct json j = { text, text + len, text, 0 };
	static struct eb_bootcfg tmp; /* 9 KiB: off the loader's stack */
	bootcfg_default(&tmp);
	if (len > 65536) {
		bootcfg_default(c);
		return eb_error("boot.json: %lu bytes, more than 64 KiB", len);
	}
	if (parse_object(&j, &tmp, 0)) {
		bootcfg_default(c);
		return EB_ERR;
	}
	skip_ws(&j);
	if (j.p != j.end) {
		bootcfg_default(c);
		return fail(&j, "trailing characters after the object");
	}
	*c = tmp;
	return EB_OK;
}
