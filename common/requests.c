/* SPDX-License-Identifier: MIT */
/*
 * requests.c - answers a kernel's ".elfboot-requests" records: looks each
 * one up in the handler table, lets the handler fill a response in the area
 * mapped after BootInfo, and writes the response's address (or 0) into the
 * record in the loaded image.  elf_parse has checked the records already.
 */
#include "requests.h"

const char *req_name(uint64_t id)
{
	/* A switch, not a table of pointers: BOOTX64.EFI has no relocations. */
	switch (id) {
	case ELFBOOT_REQ_SMP: return "SMP";
	case ELFBOOT_REQ_MODULES: return "MODULES";
	case ELFBOOT_REQ_CMDLINE: return "CMDLINE";
	case ELFBOOT_REQ_TIMESTAMPS: return "TIMESTAMPS";
	case ELFBOOT_REQ_FIRMWARE: return "FIRMWARE";
	}
	return 0;
}

int req_handler_for(uint64_t id, uint32_t revision, struct req_handler *out)
{
	/* One case per request the loader answers (REQ_SET in requests.h).
	 * Stores, not a table: function pointers in initialised data need
	 * load-time relocations in the position-independent BOOTX64.EFI, a
	 * .rela section of its own (gcc copies even a local table from .data). */
	switch (id) {
	case ELFBOOT_REQ_TIMESTAMPS: REQ_TIMESTAMPS_HANDLER; break;
	case ELFBOOT_REQ_FIRMWARE: REQ_FIRMWARE_HANDLER; break;
	case ELFBOOT_REQ_MODULES: case ELFBOOT_REQ_CMDLINE: REQ_MODULES_HANDLER; break;
	case ELFBOOT_REQ_SMP: REQ_SMP_HANDLER; break;
	default: return 0;
	}
	return revision <= out->max_revision;
}

void req_record(const struct elf_image *img, uint32_t i, struct elfboot_request *q)
{
	memcpy(q, img->file + img->req_offset + (uint64_t)i * sizeof *q, sizeof *q);
}

int req_wanted(const struct elf_image *img, uint64_t id)
{
	struct elfboot_request q;
	for (uint32_t i = 0; i < img->req_count; i++) {
		req_record(img, i, &q);
		if (q.id == id)
			return 1;
	}
	return 0;
}

/* Both can only be a loader bug (size() too small, a record elf_parse let
 * through unmapped): one message keeps BOOTX64.EFI small. */
#define req_bug "requests: record %u: response area or slot out of bounds"

void *req_alloc(struct req_env *env, uint64_t size, uint64_t *va)
{
	struct load_result *r = env->r;
	uint64_t at = EB_ALIGN_UP(r->req_used, 16);
	if (at > r->req_size || r->req_size - at < size) {
		eb_error(req_bug, 0u);
		return 0;
	}
	r->req_used = at + size;
	void *p = (void *)(uintptr_t)(r->req_pa + at);
	memset(p, 0, size);
	*va = r->req_va + at;
	return p;
}

/* The physical address of record i's response slot in the loaded image. */
static uint64_t *slot_of(struct load_result *r, uint32_t i)
{
	uint64_t va = r->bi.kernel_image_offset + r->img.req_vaddr +
		      (uint64_t)i * sizeof(struct elfboot_request) + 24, pa, fl;
	if (vmm_translate(&r->vmm, va, &pa, &fl) != EB_OK)
		return 0;
	return (uint64_t *)(uintptr_t)pa;
}

enum { REQ_SIZE, REQ_PREPARE, REQ_FINISH };

/* One walk over the records for all three steps (one loop: BOOTX64.EFI
 * is tight on space).  REQ_SIZE returns the bytes needed, else EB_OK/EB_ERR. */
static uint64_t req_walk(struct load_input *in, const struct elf_image *img,
			 struct load_result *r, int step)
{
	struct req_env env = { in, r, 0 };
	struct elfboot_request q;
	uint64_t total = 0;
	for (uint32_t i = 0; i < img->req_count; i++) {
		struct req_handler h;
		req_record(img, i, &q);
		int known = req_handler_for(q.id, q.revision, &h);
		if (step == REQ_SIZE) {
			if (known)
				total += EB_ALIGN_UP(h.size(&env, &q), 16);
			continue;
		}
		uint64_t va = 0, *slot = slot_of(r, i), pa, fl;
		if (!slot) /* cannot happen: elf_parse put every record in a loaded page */
			return (uint64_t)eb_error(req_bug, i);
		if (step == REQ_PREPARE) {
			if (known && h.prepare(&env, &q, &va))
				return (uint64_t)EB_ERR;
			if (!va)
				eb_log(EB_LOG_INFO, "elfboot: request %u (id 0x%lx rev %u) unanswered\r\n",
				       i, q.id, q.revision);
			*slot = va; /* also clears whatever the file had there */
		} else if (known && h.finish && *slot &&
			   vmm_translate(&r->vmm, *slot, &pa, &fl) == EB_OK) {
			env.response = (void *)(uintptr_t)pa;
			if (h.finish(&env, &q))
				return (uint64_t)EB_ERR;
		}
	}
	return total;
}

uint64_t req_estimate(const struct load_input *in, const struct elf_image *img)
{
	/* size() only reads env->in; the cast keeps one env type for all. */
	return req_walk((struct load_input *)(uintptr_t)in, img, 0, REQ_SIZE);
}

int req_prepare(struct load_input *in, struct load_result *r)
{
	return (int)req_walk(in, &r->img, r, REQ_PREPARE);
}

int req_finish(struct load_input *in, struct load_result *r)
{
	return (int)req_walk(in, &r->img, r, REQ_FINISH);
}
