/* SPDX-License-Identifier: MIT */
/*
 * elf.c - validates a kernel ELF as hostile input and describes what to load:
 * ELF64 little-endian x86_64, ET_EXEC or ET_DYN, headers and every segment
 * inside the file, filesz <= memsz, no address sum that wraps, no two
 * PT_LOADs overlapping, the entry in an executable segment, PIE relocations
 * limited to R_X86_64_RELATIVE, and the ".bootloader-config" section found
 * by name in a section header table checked for damage first.  Nothing
 * here writes memory; load.c does the loading.
 */
#include "core.h"
#include "elf64.h"
#include "requests.h"

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

/* Copies a header out of the file (the file may be unaligned). */
static void get(void *dst, const struct elf_image *img, uint64_t off, uint64_t n)
{
	memcpy(dst, img->file + off, n);
}

static int in_file(const struct elf_image *img, uint64_t off, uint64_t len)
{
	return eb_range_ok(off, len) && off + len <= img->size;
}

/* File offset of the bytes at unrelocated vaddr [va, va+len), inside the
 * file-backed part of one PT_LOAD; EB_ERR if there is none. */
static int vaddr_to_offset(const struct elf_image *img, uint64_t va, uint64_t len, uint64_t *off)
{
	for (uint32_t i = 0; i < img->nseg; i++) {
		const struct elf_segment *s = &img->seg[i];
		if (va >= s->vaddr && eb_range_ok(va, len) && va + len <= s->vaddr + s->filesz) {
			*off = s->offset + (va - s->vaddr);
			return EB_OK;
		}
	}
	return EB_ERR;
}

static int in_loaded(const struct elf_image *img, uint64_t va, uint64_t len)
{
	for (uint32_t i = 0; i < img->nseg; i++) {
		const struct elf_segment *s = &img->seg[i];
		if (va >= s->vaddr && eb_range_ok(va, len) && va + len <= s->vaddr + s->memsz)
			return 1;
	}
	return 0;
}

static int parse_dynamic(struct elf_image *img, const struct elf64_phdr *ph)
{
	uint64_t rela = 0, relasz = 0, relaent = sizeof(struct elf64_rela), pltrelsz = 0;
	int has_rela = 0;
	if (!in_file(img, ph->p_offset, ph->p_filesz))
		return eb_error("elf: PT_DYNAMIC at offset 0x%lx size 0x%lx lies outside the "
				"%lu-byte file", ph->p_offset, ph->p_filesz, img->size);
	for (uint64_t i = 0; i < ph->p_filesz / sizeof(struct elf64_dyn); i++) {
		struct elf64_dyn d;
		get(&d, img, ph->p_offset + i * sizeof d, sizeof d);
		if (d.d_tag == DT_NULL)
			break;
		switch (d.d_tag) {
		case DT_RELA: rela = d.d_val; has_rela = 1; break;
		case DT_RELASZ: relasz = d.d_val; break;
		case DT_RELAENT: relaent = d.d_val; break;
		case DT_PLTRELSZ: pltrelsz = d.d_val; break;
		case DT_REL:
		case DT_RELSZ:
			if (d.d_val)
				return eb_error("elf: PIE kernel has REL relocations (DT_REL); only "
						"RELA R_X86_64_RELATIVE is supported");
			break;
		case DT_RELR:
		case DT_RELRSZ:
			if (d.d_val)
				return eb_error("elf: PIE kernel has packed RELR relocations; link "
						"without --pack-dyn-relocs=relr / -z pack-relative-relocs");
			break;
		}
	}
	if (pltrelsz)
		return eb_error("elf: PIE kernel has %lu bytes of PLT relocations (DT_JMPREL); "
				"only R_X86_64_RELATIVE is supported", pltrelsz);
	if (!has_rela || !relasz)
		return EB_OK;
	if (relaent != sizeof(struct elf64_rela))
		return eb_error("elf: DT_RELAENT is %lu, expected 24", relaent);
	if (relasz % sizeof(struct elf64_rela))
		return eb_error("elf: DT_RELASZ %lu is not a multiple of 24", relasz);
	if (vaddr_to_offset(img, rela, relasz, &img->rela_offset))
		return eb_error("%s at 0x%lx (+0x%lx) is not inside a file-backed PT_LOAD",
					"elf: relocation table", rela, relasz);
	img->rela_count = relasz / sizeof(struct elf64_rela);
	for (uint64_t i = 0; i < img->rela_count; i++) {
		struct elf64_rela r;
		get(&r, img, img->rela_offset + i * sizeof r, sizeof r);
		uint32_t type = (uint32_t)r.r_info;
		if (type == R_X86_64_NONE)
			continue;
		if (type != R_X86_64_RELATIVE)
			return eb_error("elf: relocation %lu at 0x%lx has type %u; only "
					"R_X86_64_RELATIVE (8) is supported", i, r.r_offset, type);
		if (!in_loaded(img, r.r_offset, 8))
			return eb_error("elf: relocation %lu targets 0x%lx, outside every "
					"PT_LOAD", i, r.r_offset);
	}
	return EB_OK;
}

static int damaged(uint64_t shoff, const char *why)
{
	return eb_error("elf: section headers at 0x%lx are damaged (%s): the kernel file is "
			"corrupt or was misread from disk", shoff, why);
}

/* Names a section header: 1 if it is `name` (with its NUL). */
static int is_named(const struct elf_image *img, const struct elf64_shdr *strtab,
		    const struct elf64_shdr *sh, const char *name, uint64_t n)
{
	return sh->sh_name < strtab->sh_size && strtab->sh_size - sh->sh_name >= n &&
	       memcmp(img->file + strtab->sh_offset + sh->sh_name, name, n) == 0;
}

/* Finds the config section (img->config_*) and the requests section (its
 * header in *req, sh_info = its index, 0 if none) through the checked
 * section headers. */
static int scan_sections(struct elf_image *img, struct elf64_shdr *req)
{
	struct elf64_ehdr ehs;
	const struct elf64_ehdr *eh = &ehs;
	memset(req, 0, sizeof *req);
	if (img->size < sizeof ehs || memcmp(img->file, "\177ELF\2", 5) != 0)
		return eb_error("elf: not an ELF64 file");
	get(&ehs, img, 0, sizeof ehs);
	img->config_offset = img->config_len = 0;
	if (!eh->e_shoff)
		return EB_OK;
	if (eh->e_shentsize != sizeof(struct elf64_shdr))
		return eb_error("elf: e_shentsize is %u, expected 64", eh->e_shentsize);
	uint64_t shnum = eh->e_shnum;
	uint32_t shstrndx = eh->e_shstrndx;
	struct elf64_shdr sh0;
	if (!in_file(img, eh->e_shoff, sizeof sh0))
		return eb_error("elf: section headers at 0x%lx lie outside the %lu-byte file",
				eh->e_shoff, img->size);
	get(&sh0, img, eh->e_shoff, sizeof sh0);
	/* Header 0 is all zero but for the extended counts.  Checked first: a
	 * file misread from disk (a looping FAT chain repeats clusters) has
	 * other bytes here, and "no config section" would mislead. */
	if (sh0.sh_name || sh0.sh_type || sh0.sh_flags || sh0.sh_addr || sh0.sh_offset ||
	    sh0.sh_info || sh0.sh_addralign || sh0.sh_entsize || (eh->e_shnum && sh0.sh_size) ||
	    (shstrndx != SHN_XINDEX && sh0.sh_link))
		return damaged(eh->e_shoff, "header 0 is not null");
	if (shnum == 0)
		shnum = sh0.sh_size; /* more than 0xff00 sections */
	if (shstrndx == SHN_XINDEX)
		shstrndx = sh0.sh_link;
	if (shnum > img->size / sizeof(struct elf64_shdr) ||
	    !in_file(img, eh->e_shoff, shnum * sizeof(struct elf64_shdr)))
		return eb_error("elf: %lu section headers at 0x%lx lie outside the %lu-byte file",
				shnum, eh->e_shoff, img->size);
	if (shstrndx == SHN_UNDEF || shstrndx >= shnum)
		return eb_error("elf: section name table index %u is invalid (%lu sections)",
				shstrndx, shnum);
	struct elf64_shdr strtab;
	get(&strtab, img, eh->e_shoff + (uint64_t)shstrndx * sizeof strtab, sizeof strtab);
	if (strtab.sh_type != SHT_STRTAB) {
		char why[80];
		eb_snprintf(why, sizeof why, "the name table, header %u, has type %u, not "
			    "SHT_STRTAB", shstrndx, strtab.sh_type);
		return damaged(eh->e_shoff, why);
	}
	if (!in_file(img, strtab.sh_offset, strtab.sh_size))
		return eb_error("elf: section name table at 0x%lx size 0x%lx lies outside the "
				"file", strtab.sh_offset, strtab.sh_size);
	if (strtab.sh_size == 0 || img->file[strtab.sh_offset] != 0)
		return damaged(eh->e_shoff, "the name table does not start with a NUL byte");
	/* Literals, not arrays: the messages' copies of the names merge. */
	const char *name = ELFBOOT_CONFIG_SECTION, *rname = ELFBOOT_REQUESTS_SECTION;
	for (uint64_t i = 1; i < shnum; i++) {
		struct elf64_shdr sh;
		get(&sh, img, eh->e_shoff + i * sizeof sh, sizeof sh);
		if (is_named(img, &strtab, &sh, rname, sizeof ELFBOOT_REQUESTS_SECTION)) {
			if (req->sh_info)
				return eb_error("elf: two %s sections (headers %lu and another)",
						rname, i);
			*req = sh;
			req->sh_info = (uint32_t)i; /* >= 1: found */
			continue;
		}
		if (!is_named(img, &strtab, &sh, name, sizeof ELFBOOT_CONFIG_SECTION))
			continue;
		if (img->config_len)
			return eb_error("elf: two %s sections (headers %lu and another)", name, i);
		if (sh.sh_type == SHT_NOBITS || !in_file(img, sh.sh_offset, sh.sh_size))
			return eb_error("elf: %s section (header %lu) at offset 0x%lx size %lu has "
					"no bytes inside the file", name, i, sh.sh_offset,
					sh.sh_size);
		if (sh.sh_size == 0)
			return eb_error("elf: %s section is empty", name);
		img->config_offset = sh.sh_offset;
		img->config_len = sh.sh_size;
	}
	return EB_OK;
}

int elf_find_config(const void *file, uint64_t size, uint64_t *off, uint64_t *len)
{
	struct elf_image img;
	struct elf64_shdr req;
	img.file = file;
	img.size = size;
	*off = *len = 0;
	if (scan_sections(&img, &req))
		return EB_ERR;
	*off = img.config_offset;
	*len = img.config_len;
	return EB_OK;
}

/* The optional ".elfboot-requests": allocated, inside the file-backed part
 * of a PT_LOAD (the loader writes the slots in the loaded copy), 8-aligned,
 * whole 32-byte records, each with its magic. */
static int check_requests(struct elf_image *img, const struct elf64_shdr *sh)
{
	const char *n = ELFBOOT_REQUESTS_SECTION;
	uint64_t count = sh->sh_size / sizeof(struct elfboot_request);
	if (!sh->sh_info)
		return EB_OK;
	if (!(sh->sh_flags & SHF_ALLOC) || sh->sh_type == SHT_NOBITS || (sh->sh_addr & 7) ||
	    sh->sh_size % sizeof(struct elfboot_request) || count > REQ_MAX)
		return eb_error("%s: 0x%lx+0x%lx flags 0x%lx type %u: not SHF_ALLOC, 8-aligned, "
				"<= %u 32-byte records", n, sh->sh_addr, sh->sh_size, sh->sh_flags,
				sh->sh_type, REQ_MAX);
	if (count && vaddr_to_offset(img, sh->sh_addr, sh->sh_size, &img->req_offset))
		return eb_error("%s at 0x%lx (+0x%lx) is not inside a file-backed PT_LOAD", n,
				sh->sh_addr, sh->sh_size);
	img->req_vaddr = sh->sh_addr;
	img->req_count = (uint32_t)count;
	for (uint32_t i = 0; i < img->req_count; i++) {
		struct elfboot_request q;
		req_record(img, i, &q);
		if (q.magic != ELFBOOT_REQUEST_MAGIC) {
			img->req_count = 0;
			return eb_error("%s: record %u at 0x%lx has magic 0x%lx, not 0x%lx", n, i,
					sh->sh_addr + (uint64_t)i * sizeof q, q.magic,
					(uint64_t)ELFBOOT_REQUEST_MAGIC);
		}
	}
	return EB_OK;
}

int elf_parse(const void *file, uint64_t size, struct elf_image *img)
{
	memset(img, 0, sizeof *img);
	img->file = file;
	img->size = size;
	const uint8_t *f = file;
	if (size < sizeof(struct elf64_ehdr))
		return eb_error("elf: file is %lu bytes, too small for an ELF header", size);
	if (f[0] != 0x7f || f[1] != 'E' || f[2] != 'L' || f[3] != 'F')
		return eb_error("elf: bad magic %02x %02x %02x %02x, not an ELF file", f[0], f[1],
				f[2], f[3]);
	if (f[4] != 2)
		return eb_error("elf: EI_CLASS is %u, expected 2 (ELF64)", f[4]);
	if (f[5] != 1)
		return eb_error("elf: EI_DATA is %u, expected 1 (little-endian)", f[5]);
	if (f[6] != 1)
		return eb_error("elf: EI_VERSION is %u, expected 1", f[6]);
	struct elf64_ehdr eh;
	get(&eh, img, 0, sizeof eh);
	if (eh.e_machine != EM_X86_64)
		return eb_error("elf: e_machine is %u, expected 62 (x86_64)", rd16(f + 18));
	if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)
		return eb_error("elf: e_type is %u, expected 2 (EXEC) or 3 (DYN, PIE)", eh.e_type);
	if (eh.e_ehsize < sizeof eh)
		return eb_error("elf: e_ehsize is %u, expected 64", eh.e_ehsize);
	if (eh.e_phentsize != sizeof(struct elf64_phdr))
		return eb_error("elf: e_phentsize is %u, expected 56", eh.e_phentsize);
	if (eh.e_phnum == 0)
		return eb_error("elf: no program headers");
	if (!in_file(img, eh.e_phoff, (uint64_t)eh.e_phnum * sizeof(struct elf64_phdr)))
		return eb_error("elf: %u program headers at 0x%lx lie outside the %lu-byte file",
				eh.e_phnum, eh.e_phoff, size);
	img->pie = eh.e_type == ET_DYN;
	img->entry = eh.e_entry;
	img->max_align = EB_PAGE;

	struct elf64_phdr dyn = { 0 };
	int has_dyn = 0;
	for (uint32_t i = 0; i < eh.e_phnum; i++) {
		struct elf64_phdr ph;
		get(&ph, img, eh.e_phoff + (uint64_t)i * sizeof ph, sizeof ph);
		if (ph.p_type == PT_INTERP)
			return eb_error("elf: program header %u is PT_INTERP; a kernel must be "
					"static", i);
		if (ph.p_type == PT_DYNAMIC) {
			dyn = ph;
			has_dyn = 1;
		}
		if (ph.p_type == PT_GNU_RELRO) {
			img->has_relro = 1;
			img->relro_vaddr = ph.p_vaddr;
			img->relro_memsz = ph.p_memsz;
		}
		if (ph.p_type != PT_LOAD && ph.p_type != PT_TLS)
			continue;
		if (!in_file(img, ph.p_offset, ph.p_filesz))
			return eb_error("elf: segment %u: file range 0x%lx+0x%lx lies outside the "
					"%lu-byte file", i, ph.p_offset, ph.p_filesz, size);
		if (ph.p_filesz > ph.p_memsz)
			return eb_error("elf: segment %u: p_filesz 0x%lx > p_memsz 0x%lx", i,
					ph.p_filesz, ph.p_memsz);
		if (!eb_range_ok(ph.p_vaddr, ph.p_memsz) ||
		    ph.p_vaddr + ph.p_memsz > 0xfffffffffffff000ull)
			return eb_error("elf: segment %u: 0x%lx + 0x%lx overflows the address space",
					i, ph.p_vaddr, ph.p_memsz);
		if (ph.p_type == PT_TLS) {
			img->has_tls = 1;
			img->tls_vaddr = ph.p_vaddr;
			img->tls_filesz = ph.p_filesz;
			img->tls_memsz = ph.p_memsz;
			continue;
		}
		if (ph.p_memsz == 0)
			continue;
		if (ph.p_align > 1 && (ph.p_align & (ph.p_align - 1)))
			return eb_error("elf: segment %u: p_align 0x%lx is not a power of two", i,
					ph.p_align);
		if (ph.p_align > img->max_align)
			img->max_align = ph.p_align;
		if (!img->pie && (!eb_canonical(ph.p_vaddr) ||
				  !eb_canonical(ph.p_vaddr + ph.p_memsz - 1)))
			return eb_error("elf: segment %u: 0x%lx-0x%lx is not canonical", i,
					ph.p_vaddr, ph.p_vaddr + ph.p_memsz);
		if (img->nseg == ELF_MAX_SEGMENTS)
			return eb_error("elf: more than %d PT_LOAD segments", ELF_MAX_SEGMENTS);
		/* Keep them sorted by address; reject byte overlaps. */
		struct elf_segment s = { ph.p_vaddr, ph.p_memsz, ph.p_offset, ph.p_filesz,
					 ph.p_flags };
		uint32_t j = img->nseg;
		while (j > 0 && img->seg[j - 1].vaddr > s.vaddr) {
			img->seg[j] = img->seg[j - 1];
			j--;
		}
		img->seg[j] = s;
		img->nseg++;
	}
	if (!img->nseg)
		return eb_error("elf: no loadable (PT_LOAD) segment");
	for (uint32_t i = 1; i < img->nseg; i++) {
		const struct elf_segment *a = &img->seg[i - 1], *b = &img->seg[i];
		if (a->vaddr + a->memsz > b->vaddr)
			return eb_error("elf: segments overlap: 0x%lx-0x%lx and 0x%lx-0x%lx",
					a->vaddr, a->vaddr + a->memsz, b->vaddr,
					b->vaddr + b->memsz);
	}
	img->vmin = EB_ALIGN_DOWN(img->seg[0].vaddr, EB_PAGE);
	const struct elf_segment *last = &img->seg[img->nseg - 1];
	img->vmax = EB_ALIGN_UP(last->vaddr + last->memsz, EB_PAGE);
	if (img->pie) {
		/* The loader places a PIE in whole level-4 slots of one canonical
		 * half: a larger span or alignment cannot be placed, and the slot
		 * count of a span near 2^64 would wrap. */
		if (img->max_align > (1ull << 39))
			return eb_error("elf: PIE kernel: segment alignment 0x%lx is larger than "
					"a 512 GiB level-4 slot", img->max_align);
		uint64_t lo = EB_ALIGN_DOWN(img->vmin, img->max_align);
		if (img->vmax - lo > (1ull << 47))
			return eb_error("elf: PIE kernel spans 0x%lx-0x%lx (0x%lx bytes): a "
					"position-independent image must fit in one canonical "
					"half (128 TiB)", lo, img->vmax, img->vmax - lo);
	}

	int entry_ok = 0;
	for (uint32_t i = 0; i < img->nseg; i++) {
		const struct elf_segment *s = &img->seg[i];
		if ((s->flags & PF_X) && img->entry >= s->vaddr &&
		    img->entry < s->vaddr + s->memsz)
			entry_ok = 1;
	}
	if (!entry_ok)
		return eb_error("elf: entry point 0x%lx is not inside an executable segment",
				img->entry);
	/* lld pads RELRO to a page end past its PT_LOAD, so the image span is
	 * the bound; a wrapping sum would leave the range silently unprotected. */
	if (img->has_relro && (!eb_range_ok(img->relro_vaddr, img->relro_memsz) ||
			       img->relro_vaddr < img->vmin ||
			       img->relro_vaddr + img->relro_memsz > img->vmax))
		return eb_error("elf: PT_GNU_RELRO 0x%lx+0x%lx lies outside the loaded image "
				"0x%lx-0x%lx", img->relro_vaddr, img->relro_memsz, img->vmin,
				img->vmax);
	if (img->has_tls && img->tls_filesz && !in_loaded(img, img->tls_vaddr, img->tls_filesz))
		return eb_error("elf: TLS template 0x%lx+0x%lx is not inside a PT_LOAD",
				img->tls_vaddr, img->tls_filesz);
	if (img->pie && has_dyn && parse_dynamic(img, &dyn))
		return EB_ERR;
	struct elf64_shdr req;
	if (scan_sections(img, &req))
		return EB_ERR;
	return check_requests(img, &req);
}

int kernel_check(const void *file, uint64_t size, struct elf_image *img, struct eb_config *cfg)
{
	if (elf_parse(file, size, img))
		return EB_ERR;
	if (!img->config_len)
		return eb_error("config: kernel has no %s section (define one with "
				"ELFBOOT_CONFIG from elfboot.h or bootloader_api's entry_point!)",
				ELFBOOT_CONFIG_SECTION);
	if (config_parse(img->file + img->config_offset, img->config_len, cfg))
		return EB_ERR;
	if (cfg->kernel_base.fixed) {
		if (!img->pie)
			return eb_error("config: kernel_base is fixed (0x%lx) but the kernel is not "
					"position-independent (ET_EXEC); remove it or link with -pie",
					cfg->kernel_base.addr);
		if (cfg->kernel_base.addr & (img->max_align - 1))
			return eb_error("config: kernel_base 0x%lx is not aligned to the largest "
					"segment alignment 0x%lx", cfg->kernel_base.addr,
					img->max_align);
		uint64_t lo = cfg->kernel_base.addr + img->vmin, hi = cfg->kernel_base.addr + img->vmax;
		if (lo < cfg->kernel_base.addr || hi < lo || !eb_canonical(lo) ||
		    !eb_canonical(hi - 1))
			return eb_error("config: kernel_base 0x%lx puts the kernel at 0x%lx-0x%lx, "
					"not canonical", cfg->kernel_base.addr, lo, hi);
	}
	return EB_OK;
}
