/* SPDX-License-Identifier: MIT */
/*
 * req_modules.c - the MODULES and CMDLINE requests (issue 10): hands over
 * the modules load_prepare mapped (boot.json "modules") and boot.json's
 * "cmdline".  Each answer is one block of the response area: the response,
 * then (MODULES) the module array, then the strings, decoded from the
 * boot.json text into it.  in->boot 0 (no boot.json): no modules, "".
 */
#include "core.h"
#include "requests.h"

/* The response, the array and every string: a raw boot.json string plus its
 * NUL bounds the decoded one. */
uint64_t req_modules_size(const struct req_env *env, const struct elfboot_request *q)
{
	const struct load_input *in = env->in;
	const struct eb_bootcfg *b = in->boot;
	uint64_t n = sizeof(struct elfboot_modules_response) + 1;
	if (!b)
		return n;
	if (q->id == ELFBOOT_REQ_CMDLINE)
		return n + b->cmdline.len;
	for (uint32_t i = 0; i < in->module_count; i++)
		n += sizeof(struct elfboot_module) + b->modules[i].name.len + 1 +
		     b->modules[i].cmdline.len + 1;
	return n;
}

int req_modules_prepare(struct req_env *env, const struct elfboot_request *q, uint64_t *va)
{
	const struct load_input *in = env->in;
	const struct eb_bootcfg *b = in->boot;
	uint64_t base;
	uint8_t *p = req_alloc(env, req_modules_size(env, q), &base);
	if (!p)
		return EB_ERR;
	/* Both responses are 24 bytes; the block is zeroed (revision 0). */
	char *s = (char *)p + sizeof(struct elfboot_modules_response);
	if (q->id == ELFBOOT_REQ_CMDLINE) {
		struct elfboot_cmdline_response *c = (struct elfboot_cmdline_response *)p;
		c->cmdline = base + sizeof *c;
		if (b)
			c->len = bootcfg_string(in->bootjson, b->cmdline, s, b->cmdline.len + 1);
	} else {
		struct elfboot_modules_response *r = (struct elfboot_modules_response *)p;
		struct elfboot_module *m = (struct elfboot_module *)s;
		r->count = b ? in->module_count : 0;
		r->modules = base + sizeof *r;
		s = (char *)(m + r->count);
		for (uint32_t i = 0; i < r->count; i++) {
			m[i].addr = env->r->module_va[i];
			m[i].size = in->modules[i].size;
			const struct eb_jstr str[2] = { b->modules[i].name, b->modules[i].cmdline };
			uint64_t *dst[2] = { &m[i].name, &m[i].cmdline };
			for (int k = 0; k < 2; k++) {
				*dst[k] = base + (uint64_t)((uint8_t *)s - p);
				s += bootcfg_string(in->bootjson, str[k], s, str[k].len + 1) + 1;
			}
		}
	}
	*va = base;
	return EB_OK;
}
