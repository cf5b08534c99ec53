/* header_c99.c - elfboot.h compiles as C99 with -pedantic, macro included. */
#include "elfboot.h"

ELFBOOT_CONFIG(c99_config, .kernel_stack_size = 4096 * 4, .aslr = 1,
	       .physical_memory = ELFBOOT_SOME_DYNAMIC);

ELFBOOT_REQUEST_TIMESTAMPS(c99_ts);
ELFBOOT_REQUEST(c99_other, 0x1234, 3, 1);

uint64_t c99_probe(const struct elfboot_boot_info *bi);
uint64_t c99_probe(const struct elfboot_boot_info *bi)
{
	const struct elfboot_timestamps_response *t =
		ELFBOOT_RESPONSE(c99_ts, const struct elfboot_timestamps_response);
	return elfboot_regions(bi)[0].end + bi->framebuffer.info.stride + c99_config.aslr +
	       (t ? t->tsc_hz : 0) + c99_other.flags;
}
