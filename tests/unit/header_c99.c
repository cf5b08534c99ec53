/* header_c99.c - elfboot.h compiles as C99 with -pedantic, macro included. */
#include "elfboot.h"

ELFBOOT_CONFIG(c99_config, .kernel_stack_size = 4096 * 4, .aslr = 1,
	       .physical_memory = ELFBOOT_SOME_DYNAMIC);

uint64_t c99_probe(const struct elfboot_boot_info *bi);
uint64_t c99_probe(const struct elfboot_boot_info *bi)
{
	return elfboot_regions(bi)[0].end + bi->framebuffer.info.stride + c99_config.aslr;
}
