/* SPDX-License-Identifier: MIT */
/*
 * fuzz_bootcfg.c - bootcfg_parse (common/bootcfg.c, boot.json) on arbitrary
 * bytes, not NUL-terminated (ASan catches any read past the end).  Checks
 * the contract: on error every setting is the default; on success every
 * field is in its range; parsing is deterministic.
 */
#include <string.h>

#include "core.h"
#include "fuzz.h"

static int bootcfg_equal(const struct eb_bootcfg *a, const struct eb_bootcfg *b)
{
#define EQ(f) (a->f == b->f)
	return EQ(has_min_height) && EQ(has_min_width) && EQ(min_height) && EQ(min_width) &&
	       EQ(log_level) && EQ(screen_logging) && EQ(serial_logging) && EQ(test_sentinel) &&
	       EQ(test_fault) && EQ(screen_progress) && EQ(test_screen_echo);
#undef EQ
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct eb_bootcfg c, again, def;
	bootcfg_default(&def);
	memset(&c, 0xa5, sizeof c); /* garbage in: the parser must set every field */
	int rc = bootcfg_parse((const char *)data, size, &c);
	if (rc != EB_OK) {
		FUZZ_CHECK(rc == EB_ERR, "status %d", rc);
		FUZZ_CHECK(eb_last_error()[0], "error without a message");
		FUZZ_CHECK(bootcfg_equal(&c, &def), "settings are not the defaults after an error");
		return 0;
	}
	FUZZ_CHECK(c.log_level <= EB_LOG_TRACE, "log level %u", c.log_level);
	FUZZ_CHECK(c.screen_logging <= 1 && c.serial_logging <= 1, "bool out of range");
	FUZZ_CHECK(c.screen_progress <= c.screen_logging && c.test_screen_echo <= 1,
		   "screen_progress %u without screen_logging %u", c.screen_progress, c.screen_logging);
	FUZZ_CHECK(c.has_min_height <= 1 && c.has_min_width <= 1, "has_* out of range");
	FUZZ_CHECK(c.test_fault <= EB_TEST_FAULT_TFTP_BLOCKS, "test_fault %u", c.test_fault);
	FUZZ_CHECK(size <= 65536, "%zu-byte file accepted", size);
	FUZZ_CHECK(bootcfg_parse((const char *)data, size, &again) == EB_OK &&
			   bootcfg_equal(&c, &again), "second parse differs");
	return 0;
}
