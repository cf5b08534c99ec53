/* SPDX-License-Identifier: MIT */
/* test_bootcfg.c - boot.json: every key, defaults, and hostile input. */
#include "t.h"

static int parse(const char *s, struct eb_bootcfg *c)
{
	return bootcfg_parse(s, strlen(s), c);
}

static void full(void)
{
	struct eb_bootcfg c;
	T_OK(parse("{ \"frame_buffer\": { \"minimum_framebuffer_height\": 768,\n"
		   "  \"minimum_framebuffer_width\": 1024 }, \"log_level\": \"Trace\",\n"
		   "  \"frame_buffer_logging\": false, \"serial_logging\": true,\n"
		   "  \"_test_sentinel\": 18446744073709551615 }", &c));
	T_EQ(c.has_min_height, 1);
	T_EQ(c.min_height, 768);
	T_EQ(c.min_width, 1024);
	T_EQ(c.log_level, EB_LOG_TRACE);
	T_EQ(c.screen_logging, 0);
	T_EQ(c.screen_progress, 0);
	T_EQ(c.serial_logging, 1);
	T_EQ(c.test_sentinel, ~0ull);
}

static void defaults_and_partial(void)
{
	struct eb_bootcfg c;
	T_OK(parse("{}", &c));
	T_EQ(c.log_level, EB_LOG_INFO);
	/* By default errors and warnings reach the screen, progress does not;
	 * frame_buffer_logging: true asks for progress there too. */
	T_EQ(c.screen_logging, 1);
	T_EQ(c.screen_progress, 0);
	T_EQ(c.test_screen_echo, 0);
	T_OK(parse("{\"frame_buffer_logging\": true, \"_test_screen_echo\": true}", &c));
	T_EQ(c.screen_logging, 1);
	T_EQ(c.screen_progress, 1);
	T_EQ(c.test_screen_echo, 1);
	T_EQ(c.has_min_width, 0);
	T_OK(parse(" {\"log_level\":\"ERROR\", \"frame_buffer\": {\"minimum_framebuffer_width\": null}} ", &c));
	T_EQ(c.log_level, EB_LOG_ERROR);
	T_EQ(c.has_min_width, 0);
	T_OK(parse("{\"log_level\":\"off\",\"frame_buffer\":null}", &c));
	T_EQ(c.log_level, EB_LOG_OFF);
	/* Unknown keys of any shape are skipped. */
	T_OK(parse("{\"x\":[1,{\"y\":[true,null,-2.5e3]},\"s\\\"\\u0041\"],\"_test_sentinel\":7}", &c));
	T_EQ(c.test_sentinel, 7);
}

static void malformed(void)
{
	struct eb_bootcfg c;
	static const struct { const char *text, *why; } bad[] = {
		{ "", "expected '{' at byte 0" },
		{ "{", "at byte 1" },
		{ "{\"log_level\":\"Loud\"}", "log_level is not" },
		{ "{\"_test_sentinel\": -1}", "negative number" },
		{ "{\"_test_sentinel\": 1.5}", "whole number" },
		{ "{\"_test_sentinel\": 99999999999999999999}", "number too large" },
		{ "{\"serial_logging\": 1}", "unexpected value" },
		{ "{\"a\":1,}", "at byte 7" },
		{ "{\"a\":1} x", "trailing characters" },
		{ "{\"a\":\"unterminated}", "unterminated string" },
		{ "{\"a\":\"bad\\q\"}", "bad escape" },
		{ "{\"a\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}", "nested too deeply" },
		{ "[1,2]", "expected '{'" },
		{ "{\"_test_fault\": \"reboot\"}", "_test_fault is not" },
		{ "{\"_test_fault\": 1}", "expected '\"'" },
	};
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		c.log_level = 99;
		T_ERR(parse(bad[i].text, &c), bad[i].why);
		T_EQ(c.log_level, EB_LOG_INFO); /* defaults on any error */
	}
}

static void test_fault_key(void)
{
	struct eb_bootcfg c;
	T_OK(parse("{}", &c));
	T_EQ(c.test_fault, EB_TEST_FAULT_NONE);
	T_OK(parse("{\"_test_fault\": \"exception\"}", &c));
	T_EQ(c.test_fault, EB_TEST_FAULT_EXCEPTION);
	T_OK(parse("{\"_test_fault\": \"exit-retry\"}", &c));
	T_EQ(c.test_fault, EB_TEST_FAULT_EXIT_RETRY);
	T_OK(parse("{\"_test_fault\": \"exit-fail\"}", &c));
	T_EQ(c.test_fault, EB_TEST_FAULT_EXIT_FAIL);
}

static void fuzz_never_crashes(void)
{
	const char *good = "{\"frame_buffer\":{\"minimum_framebuffer_height\":768},"
			   "\"log_level\":\"Debug\",\"serial_logging\":true,\"_test_sentinel\":42}";
	size_t n = strlen(good);
	uint64_t seed = 99;
	for (int iter = 0; iter < 50000; iter++) {
		char *buf = malloc(n); /* exact size: ASan catches any overread */
		memcpy(buf, good, n);
		for (int k = 0; k < 3; k++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			buf[(seed >> 33) % n] = (char)(seed >> 17);
		}
		struct eb_bootcfg c;
		size_t len = n - (size_t)((seed >> 40) % 4);
		int r = bootcfg_parse(buf, len, &c);
		T_CHECK(r == EB_OK || (r == EB_ERR && eb_last_error()[0]));
		free(buf);
	}
}

int main(void)
{
	T_RUN(full);
	T_RUN(defaults_and_partial);
	T_RUN(malformed);
	T_RUN(test_fault_key);
	T_RUN(fuzz_never_crashes);
	return T_END();
}
