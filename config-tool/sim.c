/* SPDX-License-Identifier: MIT */
/*
 * sim.c - the simulated machine behind sim_load(): the loader's own
 * load_prepare/load_finish over host memory.  RAM is anonymous
 * MAP_NORESERVE memory at fixed addresses (sim.h), reserved once; fresh
 * anonymous pages read as zero, so the core is told frames_zeroed and only
 * the pages the load writes ever become resident.  A multi-GiB stack or a TiB .bss is therefore
 * simulated for the cost of its page tables, not its size.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "requests.h"
#include "sim.h"

#define GIB (1ull << 30)
#define MIB (1ull << 20)

/* One span of simulated RAM: reserved (1), unavailable here (-1) or not
 * tried yet (0). */
struct span {
	uint64_t base, size;
	int state;
};
static struct span low = { SIM_LOW_BASE, SIM_LOW_SIZE, 0 };
static struct span high = { SIM_RAM_BASE, SIM_RAM_MAX, 0 };

static int reserve(struct span *sp, char *err, size_t errlen)
{
	if (sp->state == 0) {
		void *want = (void *)(uintptr_t)sp->base;
		void *p = mmap(want, sp->size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
			       -1, 0);
		int e = errno;
		if (p != MAP_FAILED && p != want) /* an old kernel took it as a hint */
			munmap(p, sp->size);
		sp->state = p == want ? 1 : -1;
		if (sp->state < 0 && err)
			snprintf(err, errlen, "cannot reserve %lu GiB of address space at 0x%lx "
				 "for the simulated RAM: %s", (unsigned long)(sp->size >> 30),
				 (unsigned long)sp->base,
				 p == MAP_FAILED ? strerror(e) : "address taken");
	}
	return sp->state == 1 ? 0 : -1;
}

void sim_release(void)
{
	struct span *sps[2] = { &low, &high };
	for (int i = 0; i < 2; i++) {
		if (sps[i]->state == 1)
			munmap((void *)(uintptr_t)sps[i]->base, sps[i]->size);
		sps[i]->state = 0;
	}
}

/* Gives back the part of [start, end) in a reserved span (it reads as zero
 * again); returns the bytes given back. */
static uint64_t forget(uint64_t start, uint64_t end)
{
	uint64_t n = 0;
	struct span *sps[2] = { &low, &high };
	for (int i = 0; i < 2; i++) {
		const struct span *sp = sps[i];
		uint64_t lo = start > sp->base ? start : sp->base;
		uint64_t hi = end < sp->base + sp->size ? end : sp->base + sp->size;
		lo = EB_ALIGN_DOWN(lo, EB_PAGE);
		hi = EB_ALIGN_UP(hi, EB_PAGE);
		if (sp->state != 1 || hi <= lo)
			continue;
		madvise((void *)(uintptr_t)lo, hi - lo, MADV_DONTNEED);
		n += hi - lo;
	}
	return n;
}

/* The machine: low memory and the BIOS area (never allocated: the core
 * keeps above 1 MiB), low RAM of `lo_size` bytes, high RAM of `hi_size`
 * (0: none), and the kernel file and ramdisk at the start of `files_at`,
 * where a front end would have read them. */
static void machine(struct load_input *in, struct mem_region *map, uint64_t lo_size,
		    uint64_t hi_size, uint64_t files_at, uint64_t ksize, uint64_t rdsize)
{
	uint32_t n = 0;
	uint64_t kend = files_at + EB_ALIGN_UP(ksize, EB_PAGE);
	map[n++] = (struct mem_region){ 0, 0x9f000, MEM_FREE, 1 };
	map[n++] = (struct mem_region){ 0xf0000, 0x100000, MEM_FIRMWARE, 2 };
	map[n++] = (struct mem_region){ SIM_LOW_BASE, SIM_LOW_BASE + lo_size, MEM_FREE, 1 };
	if (hi_size)
		map[n++] = (struct mem_region){ SIM_RAM_BASE, SIM_RAM_BASE + hi_size, MEM_FREE, 1 };
	map[n++] = (struct mem_region){ files_at, kend, MEM_BUSY, 1 };
	in->kernel.addr = files_at;
	in->kernel.size = ksize;
	in->ramdisk.addr = in->ramdisk.size = 0;
	if (rdsize) {
		map[n++] = (struct mem_region){ kend, kend + EB_ALIGN_UP(rdsize, EB_PAGE), MEM_BUSY, 1 };
		in->ramdisk.addr = kend;
		in->ramdisk.size = rdsize;
	}
	in->map_count = n;
}

int sim_load(const uint8_t *kernel, uint64_t size, const struct sim_opts *o,
	     struct sim_result *out)
{
	static struct mem_region map[64];
	static struct load_input in;
	static struct load_result r;
	memset(out, 0, sizeof *out);
	memset(&r, 0, sizeof r);
	memset(&in, 0, sizeof in);

	struct elf_image img;
	struct eb_config cfg;
	if (kernel_check(kernel, size, &img, &cfg)) {
		snprintf(out->error, sizeof out->error, "%s", eb_last_error());
		return SIM_BOOT_FAIL;
	}
	uint64_t files = EB_ALIGN_UP(size, EB_PAGE) + EB_ALIGN_UP(o->ramdisk_size, EB_PAGE);
	if (size > SIM_RAM_MAX || o->ramdisk_size > SIM_RAM_MAX) {
		out->ram_size = ~0ull;
		return SIM_NO_RAM;
	}

	in.fw = FIRMWARE_BIOS;
	in.map = map;
	in.map_cap = sizeof map / sizeof map[0];
	in.alloc_max = ~0ull;
	in.has_1g = 1;
	in.seed = o->seed ? o->seed : 0x5eed;
	in.rsdp = 0xf0000;
	in.frames_zeroed = 1;
	if (!o->no_framebuffer) {
		in.has_fb = 1;
		in.fb = (struct plat_framebuffer){ 0xfd000000, 1024 * 768 * 4, 1024, 768, 1024, 4,
						   ELFBOOT_PIXEL_BGR, 0, 0, 0 };
	}
	uint64_t ram_size = EB_ALIGN_DOWN(o->ram_size, 2 * MIB);
	if (!ram_size) {
		/* What the loader would allocate at most, plus the files, plus
		 * 256 MiB to spare, as a machine would have.  The estimate depends
		 * on the map's top (the physical-memory mapping): low RAM first,
		 * the largest machine if that is not enough. */
		for (int big = 0; big < 2 && (!big || ram_size > SIM_LOW_SIZE); big++) {
			if (big)
				machine(&in, map, SIM_LOW_SIZE, SIM_RAM_MAX, SIM_RAM_BASE, size,
					o->ramdisk_size);
			else
				machine(&in, map, SIM_LOW_SIZE, 0, SIM_LOW_BASE, size,
					o->ramdisk_size);
			uint64_t need = load_estimate(&in, &img, &cfg) + files;
			ram_size = EB_ALIGN_UP(need, 2 * MIB) + 256 * MIB;
			if (ram_size < need) /* wrapped */
				ram_size = ~0ull;
		}
	}
	/* Low RAM alone if it holds everything, else low RAM plus high RAM of
	 * the whole size, holding the files; 32 TiB of high RAM at most.  Low
	 * RAM is there for every load, as on a real machine: the hand-off page
	 * must be identity-mapped where the kernel's mappings leave room, and
	 * with all RAM at 32 TiB a physical-memory mapping covers it (found by
	 * fuzz_load: a 2 GiB stack plus physical_memory "would fail"). */
	int have_low = reserve(&low, NULL, 0) == 0;
	uint64_t lo_size = ram_size, hi_size = 0;
	if (ram_size > SIM_LOW_SIZE || !have_low) {
		lo_size = have_low ? SIM_LOW_SIZE : 0;
		hi_size = ram_size;
		if (hi_size < files + 2 * MIB)
			hi_size = files + 2 * MIB;
	}
	out->ram_size = lo_size + hi_size;
	if (hi_size > SIM_RAM_MAX || ram_size == ~0ull) {
		out->ram_size = ram_size;
		return SIM_NO_RAM;
	}
	if (lo_size < files + 2 * MIB && !hi_size) {
		snprintf(out->error, sizeof out->error, "%lu MiB of RAM cannot hold the %lu MiB "
			 "of kernel and ramdisk files", (unsigned long)(ram_size >> 20),
			 (unsigned long)(files >> 20));
		return SIM_BOOT_FAIL;
	}
	if (hi_size && reserve(&high, out->error, sizeof out->error))
		return SIM_HOST_FAIL;
	uint64_t files_at = hi_size ? SIM_RAM_BASE : SIM_LOW_BASE;
	machine(&in, map, lo_size, hi_size, files_at, size, o->ramdisk_size);
	memcpy((void *)(uintptr_t)files_at, kernel, size);

	in.unix_seconds = -1;
	/* The loader's Info lines (unanswered requests) would reach stderr: the
	 * tool prints its own account of the requests. */
	eb_set_log_level(EB_LOG_WARN);
	int rc = load_prepare(&in, &img, &cfg, &r) || load_finish(&in, &r) || req_finish(&in, &r)
			 ? SIM_BOOT_FAIL : SIM_OK;
	if (rc == SIM_OK) {
		out->entry = r.entry;
		out->stack_top = r.stack_top;
		out->boot_info_va = r.boot_info_va;
		out->cr3 = r.cr3;
		out->trampoline = r.trampoline;
		out->image_lo = r.image_lo;
		out->image_hi = r.image_hi;
		out->tables = r.vmm.tables;
		out->bi = *r.boot_info;
		uint64_t n = r.bi.memory_regions_len;
		out->nregions = (uint32_t)(n < SIM_MAX_REGIONS ? n : SIM_MAX_REGIONS);
		memcpy(out->regions, (const uint8_t *)r.boot_info + sizeof r.bi,
		       out->nregions * sizeof out->regions[0]);
		/* Each slot as the kernel will read it, through its page tables. */
		out->nreq = r.img.req_count;
		out->req_va = r.req_va;
		out->req_used = r.req_used;
		for (uint32_t i = 0; i < r.img.req_count && i < REQ_MAX; i++) {
			uint64_t pa, fl, va = r.bi.kernel_image_offset + r.img.req_vaddr +
					      i * sizeof(struct elfboot_request) + 24;
			if (vmm_translate(&r.vmm, va, &pa, &fl) == EB_OK)
				memcpy(&out->req_response[i], (const void *)(uintptr_t)pa, 8);
		}
	} else {
		snprintf(out->error, sizeof out->error, "%s", eb_last_error());
	}
	/* Give back what the load wrote: the kernel file and every frame the
	 * allocator handed out (page tables, segments, stack, boot info). */
	forget(files_at, files_at + size);
	for (uint32_t i = 0; i < r.fa.nrec; i++)
		out->allocated += forget(r.fa.rec[i].start, r.fa.rec[i].end);
	return rc;
}
