/* SPDX-License-Identifier: MIT */
/*
 * fuzz_dhcp.c - dhcp_boot_parse (common/dhcp.c) on arbitrary bytes: the DHCP
 * packet a PXE ROM or UEFI base code kept comes off the network.  Checks the
 * contract: on success a nonzero server, a printable NUL-terminated file
 * name, its directory a prefix of it ending in '/' (or empty); on error a
 * message; parsing is deterministic.
 */
#include <string.h>

#include "core.h"
#include "dhcp.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dhcp_boot b, again;
	memset(&b, 0xa5, sizeof b);
	int rc = dhcp_boot_parse(data, size, &b);
	if (rc != EB_OK) {
		FUZZ_CHECK(rc == EB_ERR, "status %d", rc);
		FUZZ_CHECK(eb_last_error()[0], "error without a message");
		return 0;
	}
	FUZZ_CHECK(b.server[0] | b.server[1] | b.server[2] | b.server[3], "server 0.0.0.0");
	size_t n = strnlen(b.file, sizeof b.file);
	FUZZ_CHECK(n < sizeof b.file, "file name not terminated");
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(b.file[i] >= 0x20 && b.file[i] < 0x7f, "byte 0x%x in the name", b.file[i]);
	size_t d = strnlen(b.dir, sizeof b.dir);
	FUZZ_CHECK(d <= n && memcmp(b.dir, b.file, d) == 0, "dir is not a prefix of the file");
	FUZZ_CHECK(d == 0 || b.dir[d - 1] == '/', "dir does not end in '/'");
	FUZZ_CHECK(!memchr(b.file + d, '/', n - d), "a '/' after the dir");
	FUZZ_CHECK(dhcp_boot_parse(data, size, &again) == EB_OK && memcmp(&b, &again, sizeof b) == 0,
		   "second parse differs");
	return 0;
}
