/* SPDX-License-Identifier: MIT */
/*
 * req_modules.c - the MODULES and CMDLINE requests (issue 10): hands over
 * the modules load_prepare mapped (boot.json "modules") and boot.json's
 * "cmdline".  Each answer is one block of the response area: the response,
 * then (MODULES) the module array, then copies of the strings bootcfg_parse
 * decoded.  in->boot 0 (no boot.json parsed): no modules, "".
 */
#include "requests.h"

static const char *str(const struct eb_bootcfg *b, uint16_t off)
{
	return b ? b->strings + off : "";
}

uint64_t req_modules_size(const struct req_env *env, const struct elfboot_request *q)
{
	const struct eb_bootcfg *b = env->in->boot;
	/* The 24-byte response, then the strings (and MODULES' array). */
	uint64_t n = sizeof(struct elfboot_modules_response) + strlen(str(b, b ? b->cmdline : 0)) + 1;
	if (q->id == ELFBOOT_REQ_MODULES)
		for (uint32_t i = 0; b && i < b->module_count; i++)
			n += sizeof(struct elfboot_module) + strlen(str(b, b->modules[i].name)) + 1 +
			     strlen(str(b, b->modules[i].cmdline)) + 1;
	return n;
}

/* Copies s to *at, returns its kernel address (base is p's). */
static uint64_t put(char **at, const char *s, const uint8_t *p, uint64_t base)
{
	uint64_t va = base + (uint64_t)((uint8_t *)*at - p), n = strlen(s) + 1;
	memcpy(*at, s, n);
	*at += n;
	return va;
}

int req_modules_prepare(struct req_env *env, const struct elfboot_request *q, uint64_t *va)
{
	const struct load_input *in = env->in;
	const struct eb_bootcfg *b = in->boot;
	uint8_t *p = req_alloc(env, req_modules_size(env, q), va);
	if (!p)
		return EB_ERR;
	/* Both responses are 24 bytes; the block is zeroed (revision 0). */
	char *s = (char *)p + sizeof(struct elfboot_modules_response);
	uint64_t *f = (uint64_t *)p;
	if (q->id == ELFBOOT_REQ_CMDLINE) { /* struct elfboot_cmdline_response */
		const char *line = str(b, b ? b->cmdline : 0);
		f[1] = put(&s, line, p, *va);
		f[2] = strlen(line);
		return EB_OK;
	}
	struct elfboot_module *m = (struct elfboot_module *)s; /* after the response */
	uint32_t n = b ? b->module_count : 0;
	f[1] = n; /* struct elfboot_modules_response */
	f[2] = *va + sizeof(struct elfboot_modules_response);
	s = (char *)(m + n);
	for (uint32_t i = 0; i < n; i++) {
		m[i].addr = env->r->module_va[i];
		m[i].size = in->modules[i].size;
		m[i].name = put(&s, str(b, b->modules[i].name), p, *va);
		m[i].cmdline = put(&s, str(b, b->modules[i].cmdline), p, *va);
	}
	return EB_OK;
}
