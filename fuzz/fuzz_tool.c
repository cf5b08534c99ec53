/* SPDX-License-Identifier: MIT */
/*
 * fuzz_tool.c - the host tool (config-tool/, built with its main() renamed
 * to elfboot_tool_main) on arbitrary kernel files: `elfboot config show`
 * or `config show --json` (libelf's view of the section cross-checked
 * against common/'s) and read_kernel(), the read-and-check path `image`
 * and `config check` use.  The file is a memfd reached through
 * /proc/self/fd, so no temporary file is left anywhere.
 * Invariant: show succeeds only for kernels the loader's checks accept, and
 * read_kernel returns the file's bytes exactly for those.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core.h"
#include "fuzz.h"
#include "tool.h"

int elfboot_tool_main(int argc, char **argv);

static int fd = -1;
static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (fd < 0) {
		fd = memfd_create("fuzz-kernel", 0);
		FUZZ_CHECK(fd >= 0, "memfd_create failed");
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
		/* The tool prints its report on stdout: nobody reads it here. */
		FUZZ_CHECK(freopen("/dev/null", "w", stdout), "no /dev/null");
	}
	FUZZ_CHECK(ftruncate(fd, 0) == 0 && pwrite(fd, data, size, 0) == (ssize_t)size,
		   "cannot write the memfd");
	/* `show`, or `show --json` for odd-sized inputs (a third of the cost
	 * each; both forms run the same checks before printing). */
	char *show[] = { "elfboot", "config", "show", path, NULL };
	char *json[] = { "elfboot", "config", "show", "--json", path, NULL };
	int rc_show = (size & 1) ? elfboot_tool_main(5, json) : elfboot_tool_main(4, show);

	uint64_t got;
	struct elf_image img;
	struct eb_config cfg;
	uint8_t *buf = read_kernel(path, &got, &img, &cfg);
	if (buf) {
		FUZZ_CHECK(got == size && memcmp(buf, data, size) == 0, "read_kernel read other bytes");
		free(buf);
	}
	FUZZ_CHECK(rc_show != 0 || buf, "config show accepted a kernel read_kernel rejects");
	FUZZ_CHECK((kernel_check(data, size, &img, &cfg) == EB_OK) == (buf != NULL),
		   "read_kernel and kernel_check disagree");
	return 0;
}
