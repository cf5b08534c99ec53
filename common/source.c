/* SPDX-License-Identifier: MIT */
/*
 * source.c - source_load(): the two steps every front end's plat_read_file()
 * takes, whatever the medium (source.h): ask the source for the size,
 * refuse an empty file, let the front end allocate, ask the source to fill
 * it.  One place for the checks and the wording of their errors.
 */
#include "core.h"
#include "source.h"

int source_load(const struct file_source *src, const struct file_alloc *mem, const char *name,
		struct plat_file *out)
{
	uint64_t bytes = 0, addr = 0;
	int st = src->size(name, &bytes);
	if (st != EB_OK)
		return st;
	/* An empty kernel or ramdisk is a mistake worth a clear line, not
	 * "bad magic" later or a zero-length mapping. */
	if (bytes == 0)
		return eb_error("%s: file '%s' is empty", src->medium, name);
	if (mem->alloc(bytes, &addr))
		return eb_error("%s: no memory for '%s' (%lu bytes): %s", src->medium, name, bytes,
				eb_last_error());
	if (src->read(name, (void *)(uintptr_t)addr, bytes)) {
		if (mem->free)
			mem->free(addr, bytes);
		return EB_ERR;
	}
	out->addr = addr;
	out->size = bytes;
	return EB_OK;
}
