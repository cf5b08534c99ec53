/* SPDX-License-Identifier: MIT */
/*
 * load.c - everything between "the firmware is gone" and the jump: loads the
 * kernel's segments (PIE relocated), builds its page tables with the stack,
 * framebuffer, ramdisk, physical-memory and recursive mappings its config
 * asks for, places the hand-off page, and fills BootInfo with the final
 * memory map.  Entry: in->map holds the firmware's final map; every RAM
 * address in it is identity-mapped.  Touches no firmware, so the host unit
 * tests run it over host memory.
 */
#include "requests.h"

#define BOOT_INFO_SIZE sizeof(struct elfboot_boot_info)
#define PHYS_LIMIT (1ull << 52) /* the architectural MAXPHYADDR bound */

/* Copies len bytes to the kernel's virtual address va through its tables. */
static int vcopy(struct vmm *v, uint64_t va, const void *src, uint64_t len)
{
	const uint8_t *s = src;
	while (len) {
		uint64_t pa, fl;
		if (vmm_translate(v, va, &pa, &fl) != EB_OK)
			return eb_error("load: 0x%lx is not mapped", va);
		uint64_t chunk = EB_PAGE - (va & (EB_PAGE - 1));
		if (chunk > len)
			chunk = len;
		memcpy((void *)(uintptr_t)pa, s, chunk);
		va += chunk;
		s += chunk;
		len -= chunk;
	}
	return EB_OK;
}

static uint64_t seg_flags(uint32_t pf)
{
	return ((pf & 2) ? PTE_W : 0) | ((pf & 1) ? 0 : PTE_NX);
}

/* Maps and fills one PT_LOAD at va0 = offset + vaddr. */
static int load_segment(struct load_result *r, const struct elf_segment *s, uint64_t offset)
{
	uint64_t va0 = offset + s->vaddr;
	uint64_t first = EB_ALIGN_DOWN(va0, EB_PAGE), end = EB_ALIGN_UP(va0 + s->memsz, EB_PAGE);
	uint64_t flags = seg_flags(s->flags), pa, fl;
	/* Only the first page can already be mapped: the previous segment may
	 * end in it.  Share the frame and widen its permissions. */
	if (vmm_translate(&r->vmm, first, &pa, &fl) == EB_OK) {
		uint64_t set = flags & PTE_W, clear = (flags & PTE_NX) ? 0 : PTE_NX;
		if (vmm_protect(&r->vmm, first, EB_PAGE, set, clear))
			return EB_ERR;
		first += EB_PAGE;
	}
	if (first < end) {
		uint64_t pages = (end - first) / EB_PAGE, block;
		if (fa_alloc(&r->fa, pages, EB_PAGE, &block))
			return eb_error("load: segment at 0x%lx (%lu KiB): %s", va0,
					s->memsz >> 10, eb_last_error());
		if (vmm_map(&r->vmm, first, block, end - first, flags, 0, "kernel segment"))
			return EB_ERR;
		/* Zero only what the file does not cover: head and tail (.bss). */
		uint8_t *b = (uint8_t *)(uintptr_t)block;
		uint64_t data_lo = va0 > first ? va0 : first, data_hi = va0 + s->filesz;
		if (data_hi < data_lo)
			data_hi = data_lo;
		if (!r->frames_zeroed) {
			memset(b, 0, data_lo - first);
			memset(b + (data_hi - first), 0, end - data_hi);
		}
	}
	return vcopy(&r->vmm, va0, r->img.file + s->offset, s->filesz);
}

static int relocate(struct load_result *r, uint64_t offset)
{
	const struct elf_image *img = &r->img;
	for (uint64_t i = 0; i < img->rela_count; i++) {
		uint64_t rel[3];
		memcpy(rel, img->file + img->rela_offset + i * 24, 24);
		if ((uint32_t)rel[1] == 0)
			continue; /* R_X86_64_NONE; elf_parse allowed only these two */
		uint64_t value = offset + rel[2];
		if (vcopy(&r->vmm, offset + rel[0], &value, 8))
			return EB_ERR;
	}
	if (img->has_relro) {
		uint64_t lo = EB_ALIGN_DOWN(offset + img->relro_vaddr, EB_PAGE);
		uint64_t hi = EB_ALIGN_DOWN(offset + img->relro_vaddr + img->relro_memsz, EB_PAGE);
		if (hi > lo && vmm_protect(&r->vmm, lo, hi - lo, 0, PTE_W))
			return EB_ERR;
	}
	return EB_OK;
}

/* The virtual base for a mapping of len bytes: fixed, or whole free slots
 * (at a random `align`-multiple inside them with aslr). */
static int place(struct va_slots *vs, const struct eb_mapping *m, uint64_t len, uint64_t align,
		 const char *what, uint64_t *va)
{
	if (!len)
		return eb_error("map: %s has length 0", what);
	if (m->fixed) {
		*va = m->addr;
		if (!eb_range_ok(*va, len))
			return eb_error("map: %s at 0x%lx + 0x%lx wraps", what, *va, len);
		va_mark(vs, *va, len);
		return EB_OK;
	}
	unsigned n;
	if (va_take_len(vs, len, va, &n, what))
		return EB_ERR;
	*va += va_random_offset(vs, n, len, align);
	return EB_OK;
}

static int load_kernel_image(struct load_result *r, struct va_slots *vs, uint64_t *offset)
{
	struct elf_image *img = &r->img;
	*offset = 0;
	if (img->pie) {
		if (r->cfg.kernel_base.fixed)
			*offset = r->cfg.kernel_base.addr;
		else {
			/* Whole slots; the offset keeps every segment's alignment. */
			uint64_t lo = EB_ALIGN_DOWN(img->vmin, img->max_align), base;
			unsigned n;
			if (va_take_len(vs, img->vmax - lo, &base, &n, "kernel image"))
				return EB_ERR;
			uint64_t align = img->max_align > (2ull << 20) ? img->max_align : 2ull << 20;
			*offset = base + va_random_offset(vs, n, img->vmax - lo, align) - lo;
		}
	}
	va_mark(vs, *offset + img->vmin, img->vmax - img->vmin);
	r->image_lo = *offset + img->vmin;
	r->image_hi = *offset + img->vmax;
	for (uint32_t i = 0; i < img->nseg; i++)
		if (load_segment(r, &img->seg[i], *offset))
			return EB_ERR;
	return relocate(r, *offset);
}

static int map_stack(struct load_result *r, struct va_slots *vs, struct elfboot_boot_info *bi)
{
	uint64_t size = EB_ALIGN_UP(r->cfg.kernel_stack_size, EB_PAGE), guard, pa, fl;
	if (place(vs, &r->cfg.kernel_stack, size + EB_PAGE, EB_PAGE, "kernel stack", &guard))
		return EB_ERR;
	if (vmm_translate(&r->vmm, guard, &pa, &fl) == EB_OK)
		return eb_error("map: kernel stack guard page at 0x%lx is already mapped", guard);
	uint64_t frames;
	if (fa_alloc(&r->fa, size / EB_PAGE, EB_PAGE, &frames))
		return eb_error("load: kernel stack of %lu KiB: %s", size >> 10, eb_last_error());
	if (!r->frames_zeroed)
		memset((void *)(uintptr_t)frames, 0, size);
	if (vmm_map(&r->vmm, guard + EB_PAGE, frames, size, PTE_W | PTE_NX, 0, "kernel stack"))
		return EB_ERR;
	bi->kernel_stack_bottom = guard + EB_PAGE;
	bi->kernel_stack_len = r->cfg.kernel_stack_size;
	r->stack_top = EB_ALIGN_DOWN(guard + EB_PAGE + r->cfg.kernel_stack_size, 16);
	return EB_OK;
}

/* Maps physical [pa, pa+len) at a fixed or dynamic address; returns the
 * virtual address of pa itself (same offset within the page). */
static int map_phys(struct load_result *r, struct va_slots *vs, const struct eb_mapping *m,
		    uint64_t pa, uint64_t len, const char *what, uint64_t *va_out)
{
	if (!len)
		return eb_error("map: %s at physical 0x%lx has length 0", what, pa);
	/* Before rounding: pa + len near 2^64 would round up to a small end. */
	if (!eb_range_ok(pa, len) || pa + len > PHYS_LIMIT)
		return eb_error("map: %s at physical 0x%lx + 0x%lx lies beyond the 52-bit "
				"physical address space", what, pa, len);
	uint64_t lo = EB_ALIGN_DOWN(pa, EB_PAGE), hi = EB_ALIGN_UP(pa + len, EB_PAGE), va;
	if (place(vs, m, hi - lo, 2ull << 20, what, &va))
		return EB_ERR;
	if (vmm_map(&r->vmm, va, lo, hi - lo, PTE_W | PTE_NX, 1, what))
		return EB_ERR;
	*va_out = va + (pa - lo);
	return EB_OK;
}

static int map_physical_memory(struct load_result *r, struct va_slots *vs,
			       const struct load_input *in, struct elfboot_boot_info *bi)
{
	uint64_t top = 4ull << 30;
	for (uint32_t i = 0; i < in->map_count; i++)
		if (in->map[i].end > top)
			top = in->map[i].end;
	/* map_phys has checked the framebuffer's end already. */
	if (in->has_fb && in->fb.phys + in->fb.byte_len > top)
		top = in->fb.phys + in->fb.byte_len;
	/* A hostile map entry ending near 2^64 would round up to 0. */
	if (top > PHYS_LIMIT)
		return eb_error("map: physical memory map: the memory map reaches 0x%lx, beyond "
				"the 52-bit physical address space", top);
	top = EB_ALIGN_UP(top, 1ull << 30);
	uint64_t va;
	/* Slot-aligned even with aslr: the map is made of 1 GiB pages. */
	if (place(vs, &r->cfg.physical_memory, top, 1ull << 39, "physical memory map", &va))
		return EB_ERR;
	if (vmm_map(&r->vmm, va, 0, top, PTE_W | PTE_NX, 1, "physical memory map"))
		return EB_ERR;
	bi->physical_memory_offset.tag = ELFBOOT_SOME_TAG;
	bi->physical_memory_offset.value = va;
	return EB_OK;
}

static int map_recursive(struct load_result *r, struct va_slots *vs, struct elfboot_boot_info *bi)
{
	uint64_t va;
	if (place(vs, &r->cfg.recursive, 1ull << 39, 1ull << 39, "recursive page table", &va))
		return EB_ERR;
	unsigned idx = (unsigned)((va >> 39) & 511);
	uint64_t *pml4 = (uint64_t *)(uintptr_t)r->vmm.pml4;
	if (pml4[idx] & PTE_P)
		return eb_error("map: recursive index %u (0x%lx) is already in use", idx, va);
	pml4[idx] = r->vmm.pml4 | PTE_P | PTE_W;
	bi->recursive_index.tag = ELFBOOT_SOME_TAG;
	bi->recursive_index.value = (uint16_t)idx;
	return EB_OK;
}

/* One page, identity-mapped and executable in the kernel's tables, for the
 * code that switches CR3: its address must mean the same before and after.
 * Never placed where the kernel mapped something (rb #331). */
static int place_trampoline(struct load_result *r, struct va_slots *vs)
{
	uint64_t saved_min = r->fa.min_addr;
	for (int attempt = 0; attempt < 16; attempt++) {
		uint64_t pa, got, fl;
		if (fa_alloc(&r->fa, 1, EB_PAGE, &pa))
			break;
		if (vmm_translate(&r->vmm, pa, &got, &fl) == EB_NOTFOUND &&
		    vmm_map(&r->vmm, pa, pa, EB_PAGE, 0, 0, "hand-off page") == EB_OK) {
			r->fa.min_addr = saved_min;
			r->trampoline = pa;
			va_mark(vs, pa, EB_PAGE);
			return EB_OK;
		}
		/* Collides with the kernel: look past it. */
		r->fa.min_addr = pa + EB_PAGE;
		if (pa >= r->image_lo && pa < r->image_hi)
			r->fa.min_addr = r->image_hi;
	}
	r->fa.min_addr = saved_min;
	return eb_error("map: no free identity-mapped page for the hand-off code (the kernel "
			"occupies the low virtual addresses of all RAM)");
}

uint64_t load_estimate(const struct load_input *in, const struct elf_image *img,
		       const struct eb_config *cfg)
{
	uint64_t pages = 16 /* hand-off page and its retries */, tables = 16;
	for (uint32_t i = 0; i < img->nseg; i++) {
		const struct elf_segment *s = &img->seg[i];
		uint64_t n = (EB_ALIGN_UP(s->vaddr + s->memsz, EB_PAGE) -
			      EB_ALIGN_DOWN(s->vaddr, EB_PAGE)) / EB_PAGE;
		pages += n;
		tables += n / 512 + 3;
	}
	uint64_t n = EB_ALIGN_UP(cfg->kernel_stack_size, EB_PAGE) / EB_PAGE;
	pages += n;
	tables += n / 512 + 3;
	if (in->has_fb)
		tables += in->fb.byte_len / EB_PAGE / 512 + 4;
	if (in->ramdisk.size)
		tables += in->ramdisk.size / EB_PAGE / 512 + 4;
	uint64_t top = 4ull << 30;
	for (uint32_t i = 0; i < in->map_count; i++)
		if (in->map[i].end > top)
			top = in->map[i].end;
	if (cfg->has_physical_memory)
		tables += (top >> 30) + 4; /* one 2 MiB-page directory per GiB at worst */
	uint64_t cap = in->map_count + 2 * FA_MAX_RECORDS + 16;
	pages += (BOOT_INFO_SIZE + cap * sizeof(struct elfboot_memory_region) + 16 +
		  req_estimate(in, img)) / EB_PAGE + 1;
	pages += tables + 64;
	return (pages + pages / 8) * EB_PAGE;
}

/* Marks the kernel file, the ramdisk and (with fa) every allocation record
 * as Bootloader memory in in->map. */
static int mark_loader_memory(struct load_input *in, const struct frame_alloc *fa)
{
	struct mem_region add[2 + FA_MAX_RECORDS];
	uint32_t n = 0;
	const struct plat_file *files[2] = { &in->kernel, &in->ramdisk };
	for (int i = 0; i < 2; i++)
		if (files[i]->size)
			add[n++] = (struct mem_region){
				EB_ALIGN_DOWN(files[i]->addr, EB_PAGE),
				EB_ALIGN_UP(files[i]->addr + files[i]->size, EB_PAGE), MEM_BOOTLOADER, 0 };
	for (uint32_t i = 0; fa && i < fa->nrec; i++)
		add[n++] = (struct mem_region){ fa->rec[i].start, fa->rec[i].end, MEM_BOOTLOADER, 0 };
	return memmap_add(in->map, &in->map_count, in->map_cap, add, n);
}

int load_prepare(struct load_input *in, const struct elf_image *img,
		 const struct eb_config *cfg, struct load_result *r)
{
	memset(r, 0, sizeof *r);
	r->frames_zeroed = in->frames_zeroed;
	r->img = *img;
	r->cfg = *cfg;
	const struct plat_file *kf = &in->kernel;
	if (mark_loader_memory(in, 0))
		return EB_ERR;
	if (in->pool_size) {
		/* Frames come only from the pool the front end reserved. */
		r->pool.start = in->pool_addr;
		r->pool.end = in->pool_addr + in->pool_size;
		r->pool.kind = MEM_FREE;
		fa_init(&r->fa, &r->pool, 1, 1ull << 20, in->alloc_max);
	} else {
		fa_init(&r->fa, in->map, in->map_count, 1ull << 20, in->alloc_max);
	}
	if (vmm_init(&r->vmm, &r->fa, in->has_1g))
		return EB_ERR;
	struct va_slots vs;
	va_slots_init(&vs, &r->cfg, in->seed);

	/* BootInfo is filled in r->bi and copied into place by load_finish. */
	struct elfboot_boot_info *bi = &r->bi;
	bi->api_version.major = ELFBOOT_API_MAJOR;
	bi->api_version.minor = ELFBOOT_API_MINOR;
	bi->api_version.patch = ELFBOOT_API_PATCH;
	bi->framebuffer.tag = bi->physical_memory_offset.tag = bi->recursive_index.tag =
		bi->rsdp_addr.tag = bi->tls_template.tag = bi->ramdisk_addr.tag = ELFBOOT_NONE_TAG;

	uint64_t offset;
	if (load_kernel_image(r, &vs, &offset))
		return EB_ERR;
	bi->kernel_image_offset = offset;
	bi->_test_sentinel = in->test_sentinel;
	bi->kernel_addr = kf->addr;
	bi->kernel_len = kf->size;
	r->entry = offset + r->img.entry;
	if (r->img.has_tls) {
		bi->tls_template.tag = ELFBOOT_SOME_TAG;
		bi->tls_template.tls.start_addr = offset + r->img.tls_vaddr;
		bi->tls_template.tls.file_size = r->img.tls_filesz;
		bi->tls_template.tls.mem_size = r->img.tls_memsz;
	}
	if (map_stack(r, &vs, bi))
		return EB_ERR;
	if (in->has_fb) {
		const struct plat_framebuffer *fb = &in->fb;
		uint64_t va;
		if (map_phys(r, &vs, &r->cfg.framebuffer, fb->phys, fb->byte_len, "framebuffer",
			     &va))
			return EB_ERR;
		bi->framebuffer.tag = ELFBOOT_SOME_TAG;
		bi->framebuffer.buffer_start = va;
		struct elfboot_framebuffer_info *fi = &bi->framebuffer.info;
		fi->byte_len = fb->byte_len;
		fi->width = fb->width;
		fi->height = fb->height;
		fi->stride = fb->stride;
		fi->bytes_per_pixel = fb->bytes_per_pixel;
		fi->pixel_format.tag = fb->format;
		if (fb->format == ELFBOOT_PIXEL_UNKNOWN) {
			fi->pixel_format.red_position = fb->red_pos;
			fi->pixel_format.green_position = fb->green_pos;
			fi->pixel_format.blue_position = fb->blue_pos;
		}
	}
	if (in->ramdisk.size) {
		uint64_t va;
		if (map_phys(r, &vs, &r->cfg.ramdisk_memory, in->ramdisk.addr, in->ramdisk.size,
			     "ramdisk", &va))
			return EB_ERR;
		bi->ramdisk_addr.tag = ELFBOOT_SOME_TAG;
		bi->ramdisk_addr.value = va;
		bi->ramdisk_len = in->ramdisk.size;
	}
	if (r->cfg.has_physical_memory && map_physical_memory(r, &vs, in, bi))
		return EB_ERR;
	if (in->rsdp) {
		bi->rsdp_addr.tag = ELFBOOT_SOME_TAG;
		bi->rsdp_addr.value = in->rsdp;
	}

	/* BootInfo and the region array share one mapping.  Each allocation
	 * record can split one region in three, and the final map may differ
	 * a little from this one, hence the room. */
	int now = memmap_export(in->map, in->map_count, in->fw, 0, 0x7fffffff);
	r->bi_cap = (uint32_t)now + 2 * FA_MAX_RECORDS + 16;
	uint64_t bytes = BOOT_INFO_SIZE + (uint64_t)r->bi_cap * sizeof(struct elfboot_memory_region);
	/* The requests' responses follow in the same mapping (docs/PROTOCOL.md). */
	uint64_t resp_off = EB_ALIGN_UP(bytes, 16);
	r->req_size = req_estimate(in, &r->img);
	bytes = resp_off + r->req_size;
	if (fa_alloc(&r->fa, EB_ALIGN_UP(bytes, EB_PAGE) / EB_PAGE, EB_PAGE, &r->bi_pa))
		return eb_error("load: boot info: %s", eb_last_error());
	memset((void *)(uintptr_t)r->bi_pa, 0, EB_ALIGN_UP(bytes, EB_PAGE));
	if (map_phys(r, &vs, &r->cfg.boot_info, r->bi_pa, bytes, "boot info", &r->boot_info_va))
		return EB_ERR;
	r->req_pa = r->bi_pa + resp_off;
	r->req_va = r->boot_info_va + resp_off;
	if (req_prepare(in, r))
		return EB_ERR;
	if (place_trampoline(r, &vs))
		return EB_ERR;
	/* Last: every fixed mapping is in place, so a clash with the recursive
	 * slot is seen (an entry there already) rather than walked into. */
	if (r->cfg.has_recursive && map_recursive(r, &vs, bi))
		return EB_ERR;
	r->cr3 = r->vmm.pml4;
	return EB_OK;
}

int load_finish(struct load_input *in, struct load_result *r)
{
	/* The final map: kernel file, ramdisk and every allocation record are
	 * Bootloader memory; nothing is allocated any more. */
	if (mark_loader_memory(in, &r->fa))
		return EB_ERR;
	struct elfboot_memory_region *regions =
		(struct elfboot_memory_region *)(uintptr_t)(r->bi_pa + BOOT_INFO_SIZE);
	int n = memmap_export(in->map, in->map_count, in->fw, regions, r->bi_cap);
	if (n < 0)
		return eb_error("memory map: more than %u regions for BootInfo", r->bi_cap);
	r->bi.memory_regions = r->boot_info_va + BOOT_INFO_SIZE;
	r->bi.memory_regions_len = (uint64_t)n;
	r->boot_info = (struct elfboot_boot_info *)(uintptr_t)r->bi_pa;
	memcpy(r->boot_info, &r->bi, sizeof r->bi);
	return EB_OK;
}

int load_kernel(struct load_input *in, struct load_result *r)
{
	struct elf_image img;
	struct eb_config cfg;
	if (kernel_check((const void *)(uintptr_t)in->kernel.addr, in->kernel.size, &img, &cfg) ||
	    load_prepare(in, &img, &cfg, r) || load_finish(in, r))
		return EB_ERR;
	return req_finish(in, r);
}
