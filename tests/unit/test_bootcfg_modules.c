/* SPDX-License-Identifier: MIT */
/* test_bootcfg_modules.c - boot.json "cmdline" and "modules" (issue 10's
 * MODULES and CMDLINE requests): decoding, defaults and hostile input. */
#include "t.h"

static int parse(const char *s, struct eb_bootcfg *c)
{
	return bootcfg_parse(s, strlen(s), c);
}

/* The decoded string at offset off ("" for 0, absent). */
#define str(text, off) (c.strings + (off))

static void cmdline_and_modules(void)
{
	struct eb_bootcfg c;
	const char *t = "{\"cmdline\": \"console=ttyS0 a=\\\"b\\\"\", \"modules\": ["
			"{\"file\": \"module-0\", \"name\": \"init\", \"cmdline\": \"-v\"},"
			"{\"file\": \"module-1\", \"x\": [1, {\"y\": 2}]},"
			"{\"cmdline\": \"q\", \"name\": \"fs\\/root\", \"file\": \"m.2\"}]}";
	T_OK(parse(t, &c));
	T_CHECK(c.cmdline != 0);
	T_CHECK(!strcmp(str(t, c.cmdline), "console=ttyS0 a=\"b\""));
	T_EQ(c.module_count, 3);
	T_CHECK(!strcmp(str(t, c.modules[0].file), "module-0"));
	T_CHECK(!strcmp(str(t, c.modules[0].name), "init"));
	T_CHECK(!strcmp(str(t, c.modules[0].cmdline), "-v"));
	/* No name: the file's; no cmdline: empty. */
	T_CHECK(!strcmp(str(t, c.modules[1].name), "module-1"));
	T_EQ(c.modules[1].cmdline, 0);
	T_CHECK(!strcmp(str(t, c.modules[1].cmdline), ""));
	T_CHECK(!strcmp(str(t, c.modules[2].name), "fs/root"));
	T_CHECK(!strcmp(str(t, c.modules[2].file), "m.2"));
	/* Empty strings are present ("" stored), absent ones offset 0. */
	T_OK(parse("{\"cmdline\": \"\"}", &c));
	T_CHECK(c.cmdline != 0);
	T_CHECK(!strcmp(str(t, c.cmdline), ""));
	/* Absent: none, and an empty list is allowed. */
	T_OK(parse("{\"modules\": []}", &c));
	T_EQ(c.cmdline, 0);
	T_EQ(c.module_count, 0);
}

static void limits(void)
{
	struct eb_bootcfg c;
	/* 64 modules parse; the 65th is refused with the bound named. */
	static char big[16384];
	for (int n = 64; n <= 65; n++) {
		size_t k = (size_t)snprintf(big, sizeof big, "{\"modules\": [");
		for (int i = 0; i < n; i++)
			k += (size_t)snprintf(big + k, sizeof big - k, "%s{\"file\": \"module-%d\"}",
					      i ? "," : "", i);
		snprintf(big + k, sizeof big - k, "]}");
		if (n == 64) {
			T_OK(parse(big, &c));
			T_EQ(c.module_count, 64);
			T_CHECK(!strcmp(str(big, c.modules[63].name), "module-63"));
		} else {
			T_ERR(parse(big, &c), "more than 64 modules");
			T_EQ(c.module_count, 0); /* defaults on error */
		}
	}
	/* cmdline: 4095 bytes fit, 4096 do not. */
	static char line[8192];
	for (int n = 4095; n <= 4096; n++) {
		size_t k = (size_t)snprintf(line, sizeof line, "{\"cmdline\": \"");
		memset(line + k, 'a', (size_t)n);
		snprintf(line + k + (size_t)n, sizeof line - k - (size_t)n, "\"}");
		if (n == 4095) {
			T_OK(parse(line, &c));
			T_EQ(strlen(str(line, c.cmdline)), 4095);
		} else {
			T_ERR(parse(line, &c), "string of 4096 bytes (at most 4095)");
		}
	}
	/* A name: 255 bytes; escapes count in their JSON form. */
	static char nm[1024];
	snprintf(nm, sizeof nm, "{\"modules\": [{\"file\": \"m\", \"name\": \"%0254d\\\\\"}]}", 0);
	T_ERR(parse(nm, &c), "string of 256 bytes (at most 255)");
	/* All strings together: 8 KiB.  Two 4095-byte command lines fit,
	 * the third does not. */
	static char all[16384];
	size_t k = (size_t)snprintf(all, sizeof all, "{\"modules\": [");
	for (int i = 0; i < 3; i++) {
		k += (size_t)snprintf(all + k, sizeof all - k, "%s{\"file\": \"m%d\", \"cmdline\": \"",
				      i ? "," : "", i);
		memset(all + k, 'x', 4090);
		k += 4090;
		k += (size_t)snprintf(all + k, sizeof all - k, "\"}");
	}
	snprintf(all + k, sizeof all - k, "]}");
	T_ERR(parse(all, &c), "strings total more than 8 KiB");
}

static void hostile(void)
{
	struct eb_bootcfg c;
	static const struct { const char *text, *why; } bad[] = {
		{ "{\"cmdline\": \"a\", \"cmdline\": \"b\"}", "duplicate key at byte 28" },
		{ "{\"cmdline\": 5}", "expected '\"'" },
		{ "{\"cmdline\": \"\\x\"}", "bad escape" },
		{ "{\"cmdline\": \"abc", "unterminated string" },
		{ "{\"modules\": [{\"file\":\"a\"}], \"modules\": [{\"file\":\"b\"}]}",
		  "duplicate key" },
		{ "{\"modules\": {}}", "expected '['" },
		{ "{\"modules\": [\"module-0\"]}", "expected '{'" },
		{ "{\"modules\": [{\"name\": \"x\"}]}", "module file or name missing or empty" },
		{ "{\"modules\": [{\"file\": \"\"}]}", "module file or name missing or empty" },
		{ "{\"modules\": [{\"file\": \"a\", \"name\": \"\"}]}", "module file or name missing or empty" },
		{ "{\"modules\": [{\"file\": \"a\", \"file\": \"b\"}]}", "duplicate key" },
		{ "{\"modules\": [{\"file\": \"a\", \"name\": \"n\", \"name\": \"m\"}]}", "duplicate key" },
		{ "{\"cmdline\": \"\", \"cmdline\": \"\"}", "duplicate key" },
		{ "{\"modules\": [{\"file\": \"a\" \"name\": \"n\"}]}", "expected '}'" },
		{ "{\"modules\": [{\"file\": \"a\",}]}", "expected '\"'" },
		{ "{\"modules\": [{\"file\": \"a\"},]}", "expected '{'" },
		{ "{\"modules\": [{\"file\": \"a\"}", "expected ']'" },
		{ "{\"modules\": [{\"file\": \"a\", \"cmdline\": 1}]}", "expected '\"'" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		T_ERR(parse(bad[i].text, &c), bad[i].why);
		T_EQ(c.module_count, 0);
		T_EQ(c.cmdline, 0);
	}
}

/* Every prefix of a valid file, and single-byte damage, never crash (ASan). */
static void truncations(void)
{
	struct eb_bootcfg c;
	const char *t = "{\"cmdline\":\"x\\u0041y\",\"modules\":[{\"file\":\"m\",\"name\":\"n\\\\\","
			"\"cmdline\":\"c\"}]}";
	size_t n = strlen(t);
	T_OK(parse(t, &c));
	T_CHECK(!strcmp(str(t, c.cmdline), "x?y"));
	T_CHECK(!strcmp(str(t, c.modules[0].name), "n\\"));
	for (size_t k = 0; k < n; k++) {
		char *p = malloc(k ? k : 1);
		memcpy(p, t, k);
		T_CHECK(bootcfg_parse(p, k, &c) == EB_ERR);
		free(p);
	}
}

int main(void)
{
	T_RUN(cmdline_and_modules);
	T_RUN(limits);
	T_RUN(hostile);
	T_RUN(truncations);
	return T_END();
}
