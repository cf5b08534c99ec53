// header_cxx.cc - elfboot.h's types and static asserts compile as C++.
#include "elfboot.h"

static_assert(sizeof(elfboot_boot_info) == 232, "BootInfo from C++");
static_assert(sizeof(elfboot_request) == 32, "request record from C++");

ELFBOOT_REQUEST_TIMESTAMPS(cxx_ts);

extern "C" uint64_t cxx_probe(const elfboot_boot_info *bi);
extern "C" uint64_t cxx_probe(const elfboot_boot_info *bi)
{
	const elfboot_timestamps_response *t =
		ELFBOOT_RESPONSE(cxx_ts, const elfboot_timestamps_response);
	return elfboot_regions(bi)->start + bi->kernel_len + (t ? t->tsc_jump : 0);
}
