/* SPDX-License-Identifier: MIT */
/*
 * req_timestamps.c - the TIMESTAMPS request: TSC at loader entry, once the
 * kernel is loaded and at the jump, the TSC rate and the wall clock.  The
 * front end measured what needs the hardware (load_input's tsc_* fields);
 * only rdtsc is done here, which works on the host as well.
 */
#include "requests.h"
#include "cpu.h"

uint64_t ts_size(const struct req_env *e, const struct elfboot_request *q)
{
	(void)e;
	(void)q;
	return sizeof(struct elfboot_timestamps_response);
}

int ts_prepare(struct req_env *e, const struct elfboot_request *q, uint64_t *va)
{
	(void)q;
	struct elfboot_timestamps_response *t = req_alloc(e, sizeof *t, va);
	if (!t)
		return EB_ERR;
	/* load_prepare calls this once the segments are in place. */
	t->tsc_kernel_loaded = cpu_rdtsc();
	t->tsc_loader_entry = e->in->tsc_entry;
	t->tsc_hz = e->in->tsc_hz;
	t->unix_seconds = e->in->unix_seconds;
	return EB_OK;
}

int ts_finish(struct req_env *e, const struct elfboot_request *q)
{
	(void)q;
	struct elfboot_timestamps_response *t = e->response;
	t->tsc_jump = cpu_rdtsc();
	return EB_OK;
}

int64_t eb_unix_time(uint32_t year, uint32_t mon, uint32_t day, uint32_t hour, uint32_t min,
		     uint32_t sec)
{
	if (year - 1970 > 429 || mon - 1 > 11 || day - 1 > 30 || hour > 23 || min > 59 || sec > 60)
		return -1;
	/* Days since 0000-03-01 of a year that starts in March, so the leap
	 * day comes last: 153 days per 5 months, then 365 a year plus the
	 * Gregorian leap days; 719468 of them lie before 1970-01-01. */
	uint32_t y = year - (mon < 3), m = mon < 3 ? mon + 9 : mon - 3;
	uint32_t days = y * 365 + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + day - 1 - 719468;
	return (int64_t)days * 86400 + (hour * 60 + min) * 60 + sec;
}
