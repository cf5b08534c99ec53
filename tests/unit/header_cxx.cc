// header_cxx.cc - elfboot.h's types and static asserts compile as C++.
#include "elfboot.h"

static_assert(sizeof(elfboot_boot_info) == 232, "BootInfo from C++");

extern "C" uint64_t cxx_probe(const elfboot_boot_info *bi);
extern "C" uint64_t cxx_probe(const elfboot_boot_info *bi)
{
	return elfboot_regions(bi)->start + bi->kernel_len;
}
