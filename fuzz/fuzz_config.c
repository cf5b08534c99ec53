/* SPDX-License-Identifier: MIT */
/*
 * fuzz_config.c - config_parse (common/config.c) on arbitrary bytes.  A
 * config that parses must serialise and re-parse to the same values, and a
 * 133-byte one is canonical (every byte checked), so it must serialise back
 * to exactly the input bytes.
 */
#include <string.h>

#include "core.h"
#include "fuzz.h"

/* Field-wise, so struct padding never matters. */
static int config_equal(const struct eb_config *a, const struct eb_config *b)
{
#define EQ(f) (a->f == b->f)
#define MEQ(m) (EQ(m.fixed) && EQ(m.addr))
	return EQ(version_major) && EQ(version_minor) && EQ(version_patch) && EQ(pre_release) &&
	       EQ(kernel_stack_size) && MEQ(kernel_stack) && MEQ(kernel_base) && MEQ(boot_info) &&
	       MEQ(framebuffer) && EQ(has_physical_memory) &&
	       (!a->has_physical_memory || MEQ(physical_memory)) && EQ(has_recursive) &&
	       (!a->has_recursive || MEQ(recursive)) && EQ(aslr) && EQ(has_dyn_start) &&
	       (!a->has_dyn_start || EQ(dyn_start)) && EQ(has_dyn_end) &&
	       (!a->has_dyn_end || EQ(dyn_end)) && MEQ(ramdisk_memory) && EQ(has_min_height) &&
	       (!a->has_min_height || EQ(min_height)) && EQ(has_min_width) &&
	       (!a->has_min_width || EQ(min_width));
#undef EQ
#undef MEQ
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct eb_config c, again;
	if (config_parse(data, size, &c) != EB_OK) {
		FUZZ_CHECK(eb_last_error()[0], "config_parse failed without a message");
		return 0;
	}
	FUZZ_CHECK(c.len == size, "len %u for a %zu-byte input", c.len, size);
	FUZZ_CHECK(c.pre_release <= 1 && c.aslr <= 1, "bool out of range");
	FUZZ_CHECK(c.kernel_stack_size && c.kernel_stack_size <= (1ull << 40),
		   "stack size 0x%lx accepted", (unsigned long)c.kernel_stack_size);
	uint8_t out[ELFBOOT_CONFIG_LEN];
	FUZZ_CHECK(config_serialize(&c, out) == ELFBOOT_CONFIG_LEN, "serialised length");
	FUZZ_CHECK(config_parse(out, sizeof out, &again) == EB_OK,
		   "serialised config does not re-parse: %s", eb_last_error());
	FUZZ_CHECK(config_equal(&c, &again), "re-parsed config differs");
	if (size == ELFBOOT_CONFIG_LEN)
		FUZZ_CHECK(memcmp(out, data, size) == 0,
			   "a valid 133-byte config does not serialise back to its bytes");
	return 0;
}
