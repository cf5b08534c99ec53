/* SPDX-License-Identifier: MIT */
/*
 * requests.h - the core's side of ".elfboot-requests": the handler table
 * every request plugs into, the response area handlers allocate from, and
 * the dispatch load.c and loader.c call.  docs/PROTOCOL.md has the ABI.
 */
#ifndef ELFBOOT_REQUESTS_H
#define ELFBOOT_REQUESTS_H

#include "core.h"

/* Records one kernel may carry (elf_parse refuses more, naming the count). */
#define REQ_MAX 64

struct req_env {                 /* what a handler may use */
	struct load_input *in;
	struct load_result *r;   /* 0 while size() is asked for load_estimate */
	/* finish(): the physical address of the response prepare answered
	 * with (the VA it returned, translated). */
	void *response;
};

/* Allocates `size` bytes (zeroed, 16-aligned) in the response area, which is
 * mapped for the kernel; returns the physical pointer (usable by the loader
 * now) and sets *va to the kernel's address.  0 on exhaustion (eb_error set). */
void *req_alloc(struct req_env *env, uint64_t size, uint64_t *va);

struct req_handler {
	uint64_t id;
	uint32_t max_revision;                 /* highest request revision answered */
	/* Bytes of response area this request may need (load_estimate sums
	 * these, so the pool is big enough); may look at env->in. */
	uint64_t (*size)(const struct req_env *env, const struct elfboot_request *q);
	/* Before leaving the firmware (errors still reach the screen):
	 * validate, allocate with req_alloc, fill what is known.  Returns the
	 * response's VA via *va (0: leave unanswered).  EB_OK / EB_ERR. */
	int (*prepare)(struct req_env *env, const struct elfboot_request *q, uint64_t *va);
	/* After leaving the firmware, right before the jump (may be 0):
	 * fill what is only known then (final map, TSC at jump, start APs). */
	int (*finish)(struct req_env *env, const struct elfboot_request *q);
};

/* Fills *o, field by field (see req_handler_for in requests.c). */
#define REQ_SET(o, id_, max_, size_, prepare_, finish_)                      \
	((o)->id = (id_), (o)->max_revision = (max_), (o)->size = (size_),   \
	 (o)->prepare = (prepare_), (o)->finish = (finish_))

/* Handlers' functions, one line per request (each in its own
 * common/req_*.c), and their entries for req_handler_for's switch. */
uint64_t ts_size(const struct req_env *e, const struct elfboot_request *q);
int ts_prepare(struct req_env *e, const struct elfboot_request *q, uint64_t *va);
int ts_finish(struct req_env *e, const struct elfboot_request *q);
/* Seconds since 1970-01-01 00:00 of a calendar date and time (years
 * 1970-2399), -1 if a field is out of range (the front ends' clocks). */
int64_t eb_unix_time(uint32_t year, uint32_t mon, uint32_t day, uint32_t hour, uint32_t min,
		     uint32_t sec);
#define REQ_TIMESTAMPS_HANDLER REQ_SET(out, ELFBOOT_REQ_TIMESTAMPS, 0, ts_size, ts_prepare, ts_finish)
uint64_t fw_size(const struct req_env *e, const struct elfboot_request *q);
int fw_prepare(struct req_env *e, const struct elfboot_request *q, uint64_t *va);
int fw_finish(struct req_env *e, const struct elfboot_request *q);
#define REQ_FIRMWARE_HANDLER REQ_SET(out, ELFBOOT_REQ_FIRMWARE, 0, fw_size, fw_prepare, fw_finish)
/* MODULES and CMDLINE (req_modules.c): one pair of functions for both. */
uint64_t req_modules_size(const struct req_env *e, const struct elfboot_request *q);
int req_modules_prepare(struct req_env *e, const struct elfboot_request *q, uint64_t *va);
#define REQ_MODULES_HANDLER REQ_SET(out, id, 0, req_modules_size, req_modules_prepare, 0)
uint64_t smp_size(const struct req_env *e, const struct elfboot_request *q);
int smp_prepare(struct req_env *e, const struct elfboot_request *q, uint64_t *va);
int smp_finish(struct req_env *e, const struct elfboot_request *q);
#define REQ_SMP_HANDLER REQ_SET(out, ELFBOOT_REQ_SMP, 0, smp_size, smp_prepare, smp_finish)

/* 1 and *out filled if a handler answers `id` at `revision`; 0 for an
 * unknown id or a revision above the handler's max_revision (*out is then
 * the handler, if the id is known, or untouched). */
int req_handler_for(uint64_t id, uint32_t revision, struct req_handler *out);
/* "TIMESTAMPS", ... or 0 for an id no request of this header has. */
const char *req_name(uint64_t id);
/* Record i of a checked image (copied: the file may be unaligned). */
void req_record(const struct elf_image *img, uint32_t i, struct elfboot_request *q);
/* 1 if the kernel carries a record with this id (the front end gathers
 * costly data, e.g. the TSC rate, only for kernels that ask). */
int req_wanted(const struct elf_image *img, uint64_t id);

/* Bytes of response area the kernel's answered requests need. */
uint64_t req_estimate(const struct load_input *in, const struct elf_image *img);
/* load_prepare, once the image and the response area are in place: answers
 * each record it can and writes every slot in the loaded image. */
int req_prepare(struct load_input *in, struct load_result *r);
/* Right before the jump, after leaving the firmware: the handlers' finish. */
int req_finish(struct load_input *in, struct load_result *r);

#endif
