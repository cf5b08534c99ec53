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
