/* SPDX-License-Identifier: MIT */
/*
 * k_requests.c - a kernel with .elfboot-requests (built static and PIE):
 * TIMESTAMPS must be answered in order and plausibly, an unknown id and a
 * TIMESTAMPS revision newer than the loader's must read 0, and the response
 * must sit in Bootloader memory after BootInfo's region array.  The host's
 * UNIX time arrives as boot.json's _test_sentinel (tests/mk/requests.mk).
 */
#include "ktest.h"

ELFBOOT_CONFIG(boot_config, .physical_memory = ELFBOOT_SOME_DYNAMIC);

ELFBOOT_REQUEST_TIMESTAMPS(ts_req);
ELFBOOT_REQUEST(unknown_req, 0x6e1f3b0c8a2d5effull, 0, 0);
ELFBOOT_REQUEST(future_req, ELFBOOT_REQ_TIMESTAMPS, 7, 0);

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

void kmain(struct elfboot_boot_info *bi);
void kmain(struct elfboot_boot_info *bi)
{
	uint64_t now = rdtsc();
	ktest_init();
	kputs("ktest: k_requests\n");
	ktest_common_checks(bi);
	CHECK_EQ(unknown_req.response, 0);
	CHECK_EQ(future_req.response, 0);
	CHECK(ts_req.response != 0);
	const struct elfboot_timestamps_response *t =
		ELFBOOT_RESPONSE(ts_req, const struct elfboot_timestamps_response);
	if (!t)
		kexit(0);
	kprintf("ktest: timestamps entry %lu loaded %lu jump %lu now %lu hz %lu unix %ld\n",
		t->tsc_loader_entry, t->tsc_kernel_loaded, t->tsc_jump, now, t->tsc_hz,
		(long)t->unix_seconds);
	CHECK_EQ(t->revision, 0);
	CHECK(t->tsc_loader_entry != 0);
	CHECK(t->tsc_loader_entry <= t->tsc_kernel_loaded);
	CHECK(t->tsc_kernel_loaded <= t->tsc_jump);
	CHECK(t->tsc_jump <= now);
	/* Under TCG the TSC runs at the host's rate: 10 MHz - 100 GHz is any CPU. */
	CHECK(t->tsc_hz >= 10000000ull && t->tsc_hz <= 100000000000ull);
	if (t->tsc_hz) {
		uint64_t ms = (now - t->tsc_loader_entry) / (t->tsc_hz / 1000);
		kprintf("ktest: loader entry to kernel: %lu ms\n", ms);
		CHECK(ms < 120000);
	}
	CHECK(t->unix_seconds > 1577836800); /* 2020-01-01 */
	int64_t host = (int64_t)bi->_test_sentinel, d = t->unix_seconds - host;
	kprintf("ktest: wall clock %ld, host %ld at image time\n", (long)t->unix_seconds,
		(long)host);
	CHECK(host > 1577836800 && d > -86400 && d < 86400);

	/* The response follows BootInfo and its regions, in Bootloader memory. */
	uint64_t r = ts_req.response, b = (uint64_t)(uintptr_t)bi;
	CHECK(r >= b + sizeof *bi + bi->memory_regions_len * sizeof(struct elfboot_memory_region));
	CHECK(r - b < (1ull << 20));
	CHECK_EQ(r % 16, 0);
	uint64_t pa, fl;
	CHECK(ktest_translate(bi->physical_memory_offset.value, r, &pa, &fl));
	const struct elfboot_memory_region *reg = ktest_region_of(bi, pa);
	CHECK(reg && reg->kind == ELFBOOT_REGION_BOOTLOADER);
	kexit(1);
}
