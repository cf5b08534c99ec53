/* SPDX-License-Identifier: MIT */
/*
 * fuzz_elf.c - kernel_check (elf_parse + elf_find_config + config_parse,
 * common/elf.c) on arbitrary files.  What the loader then relies on is
 * asserted for every accepted kernel: segments sorted, disjoint, inside the
 * file, filesz <= memsz, no wrapping sums, the entry in an executable
 * segment, relocations and config inside the file.
 */
#include "core.h"
#include "elf64.h"
#include "fuzz.h"

static int in_file(uint64_t off, uint64_t len, uint64_t size)
{
	return off + len >= off && off + len <= size;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct elf_image img;
	struct eb_config cfg;
	uint64_t off, len;
	int found = elf_find_config(data, size, &off, &len);
	if (kernel_check(data, size, &img, &cfg) != EB_OK) {
		FUZZ_CHECK(eb_last_error()[0], "kernel_check failed without a message");
		return 0;
	}
	/* kernel_check finds the config the same way elf_find_config does. */
	FUZZ_CHECK(found == EB_OK && off == img.config_offset && len == img.config_len,
		   "elf_find_config disagrees with kernel_check");
	FUZZ_CHECK(img.file == data && img.size == size, "image does not describe the input");
	FUZZ_CHECK(img.nseg >= 1 && img.nseg <= ELF_MAX_SEGMENTS, "%u segments", img.nseg);
	FUZZ_CHECK(img.max_align >= EB_PAGE && !(img.max_align & (img.max_align - 1)),
		   "max_align 0x%lx", (unsigned long)img.max_align);
	int entry_ok = 0;
	for (uint32_t i = 0; i < img.nseg; i++) {
		const struct elf_segment *s = &img.seg[i];
		FUZZ_CHECK(s->memsz > 0 && s->filesz <= s->memsz, "segment %u sizes", i);
		FUZZ_CHECK(in_file(s->offset, s->filesz, size), "segment %u outside the file", i);
		FUZZ_CHECK(s->vaddr + s->memsz > s->vaddr, "segment %u wraps", i);
		FUZZ_CHECK(s->vaddr >= img.vmin && s->vaddr + s->memsz <= img.vmax,
			   "segment %u outside vmin/vmax", i);
		if (i)
			FUZZ_CHECK(img.seg[i - 1].vaddr + img.seg[i - 1].memsz <= s->vaddr,
				   "segments %u and %u overlap or are unsorted", i - 1, i);
		if (!img.pie)
			FUZZ_CHECK(eb_canonical(s->vaddr) && eb_canonical(s->vaddr + s->memsz - 1),
				   "static segment %u not canonical", i);
		if ((s->flags & PF_X) && img.entry >= s->vaddr && img.entry - s->vaddr < s->memsz)
			entry_ok = 1;
	}
	FUZZ_CHECK(entry_ok, "entry 0x%lx outside executable segments", (unsigned long)img.entry);
	FUZZ_CHECK(img.vmin < img.vmax && !(img.vmin & 4095) && !(img.vmax & 4095), "vmin/vmax");
	FUZZ_CHECK(img.rela_count <= size / 24 &&
			   in_file(img.rela_offset, img.rela_count * 24, size),
		   "relocations outside the file");
	FUZZ_CHECK(img.config_len && in_file(img.config_offset, img.config_len, size),
		   "config outside the file");
	FUZZ_CHECK(img.config_len == cfg.len, "config length %lu vs %u",
		   (unsigned long)img.config_len, cfg.len);
	if (cfg.kernel_base.fixed)
		FUZZ_CHECK(img.pie && !(cfg.kernel_base.addr & (img.max_align - 1)),
			   "fixed kernel_base on a static kernel or misaligned");
	return 0;
}
