/* SPDX-License-Identifier: MIT */
/*
 * elfgen.h - builds small x86_64 kernels in memory for the unit tests, so
 * each malformation can be made precisely: an ELF header, program headers,
 * segments at page-congruent offsets, an optional PIE dynamic segment with
 * RELA entries, the config section, and section headers.
 */
#ifndef ELFGEN_H
#define ELFGEN_H

#include <stdint.h>
#include <string.h>

#include "elf64.h"

struct gen_seg {
	uint32_t type, flags;
	uint64_t vaddr, filesz, memsz, align;
	uint8_t fill; /* file bytes are this value */
};

struct gen {
	uint16_t type;            /* ET_EXEC / ET_DYN */
	uint64_t entry;
	int nseg;
	struct gen_seg seg[8];
	const uint8_t *config;    /* NULL: no config section */
	uint64_t config_len;
	int nrela;                /* PIE: RELATIVE relocations of 8-byte slots */
	struct elf64_rela rela[8];
	uint64_t dyn_vaddr;       /* where the dynamic segment goes (PIE) */
	/* filled by gen_build: */
	uint64_t phoff, shoff, config_off, dyn_off, rela_off, size;
	/* A .elfboot-requests section header (sh_name is filled in); nreq
	 * copies of it (2: a duplicate).  Its bytes are the test's to place. */
	int nreq;
	struct elf64_shdr req;
};

static inline uint64_t gen_align(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

/* Returns the file size (0 if cap is too small). */
static inline uint64_t gen_build(struct gen *g, uint8_t *out, uint64_t cap)
{
	memset(out, 0, cap);
	struct elf64_ehdr eh = { 0 };
	memcpy(eh.e_ident, "\177ELF\2\1\1", 7);
	eh.e_type = g->type;
	eh.e_machine = EM_X86_64;
	eh.e_version = 1;
	eh.e_entry = g->entry;
	eh.e_ehsize = 64;
	eh.e_phentsize = 56;
	eh.e_shentsize = 64;
	int nph = g->nseg + (g->nrela ? 2 : 0);
	g->phoff = 64;
	eh.e_phoff = g->phoff;
	eh.e_phnum = (uint16_t)nph;
	uint64_t off = gen_align(64 + 56 * (uint64_t)nph, 4096);
	struct elf64_phdr ph[10];
	memset(ph, 0, sizeof ph);
	for (int i = 0; i < g->nseg; i++) {
		struct gen_seg *s = &g->seg[i];
		off = gen_align(off, 4096) + (s->vaddr & 4095);
		ph[i].p_type = s->type;
		ph[i].p_flags = s->flags;
		ph[i].p_offset = off;
		ph[i].p_vaddr = ph[i].p_paddr = s->vaddr;
		ph[i].p_filesz = s->filesz;
		ph[i].p_memsz = s->memsz;
		ph[i].p_align = s->align ? s->align : 4096;
		if (off + s->filesz > cap)
			return 0;
		memset(out + off, s->fill, s->filesz);
		off += s->filesz;
	}
	if (g->nrela) {
		/* One RW PT_LOAD holding rela[] then the dynamic array. */
		off = gen_align(off, 4096) + (g->dyn_vaddr & 4095);
		uint64_t rsz = 24 * (uint64_t)g->nrela, dsz = 16 * 4;
		struct elf64_phdr *l = &ph[g->nseg], *d = &ph[g->nseg + 1];
		l->p_type = PT_LOAD;
		l->p_flags = PF_R | PF_W;
		l->p_offset = off;
		l->p_vaddr = g->dyn_vaddr;
		l->p_filesz = l->p_memsz = rsz + dsz;
		l->p_align = 4096;
		g->rela_off = off;
		memcpy(out + off, g->rela, rsz);
		g->dyn_off = off + rsz;
		struct elf64_dyn dyn[4] = { { DT_RELA, g->dyn_vaddr }, { DT_RELASZ, rsz },
					    { DT_RELAENT, 24 }, { DT_NULL, 0 } };
		memcpy(out + g->dyn_off, dyn, dsz);
		d->p_type = PT_DYNAMIC;
		d->p_flags = PF_R | PF_W;
		d->p_offset = g->dyn_off;
		d->p_vaddr = g->dyn_vaddr + rsz;
		d->p_filesz = d->p_memsz = dsz;
		d->p_align = 8;
		off += rsz + dsz;
	}
	memcpy(out + g->phoff, ph, 56 * (uint64_t)nph);
	/* Sections: null, config (optional), shstrtab. */
	static const char strtab[] = "\0.bootloader-config\0.shstrtab\0.elfboot-requests";
	g->config_off = 0;
	if (g->config) {
		g->config_off = off;
		memcpy(out + off, g->config, g->config_len);
		off += g->config_len;
	}
	uint64_t str_off = off;
	memcpy(out + off, strtab, sizeof strtab);
	off = gen_align(off + sizeof strtab, 8);
	g->shoff = off;
	struct elf64_shdr sh[5];
	memset(sh, 0, sizeof sh);
	int nsh = 1;
	if (g->config) {
		sh[nsh].sh_name = 1;
		sh[nsh].sh_type = 1;
		sh[nsh].sh_flags = SHF_ALLOC;
		sh[nsh].sh_offset = g->config_off;
		sh[nsh].sh_size = g->config_len;
		nsh++;
	}
	for (int i = 0; i < g->nreq && i < 2; i++) {
		sh[nsh] = g->req;
		sh[nsh++].sh_name = 30;
	}
	sh[nsh].sh_name = 20;
	sh[nsh].sh_type = 3;
	sh[nsh].sh_offset = str_off;
	sh[nsh].sh_size = sizeof strtab;
	eh.e_shoff = g->shoff;
	eh.e_shnum = (uint16_t)(nsh + 1);
	eh.e_shstrndx = (uint16_t)nsh;
	memcpy(out + g->shoff, sh, 64 * (uint64_t)(nsh + 1));
	off += 64 * (uint64_t)(nsh + 1);
	memcpy(out, &eh, 64);
	g->size = off;
	return off;
}

/* A valid default config (133 bytes). */
static inline void gen_default_config(uint8_t out[133])
{
	struct eb_config c;
	config_default(&c);
	config_serialize(&c, out);
}

/* A valid static kernel: RX text at 0xffffffff80000000, RW data+bss. */
static inline void gen_static(struct gen *g, const uint8_t *config)
{
	memset(g, 0, sizeof *g);
	g->type = ET_EXEC;
	g->entry = 0xffffffff80000010ull;
	g->nseg = 2;
	g->seg[0] = (struct gen_seg){ PT_LOAD, PF_R | PF_X, 0xffffffff80000000ull, 0x1800, 0x1800, 4096, 0x90 };
	g->seg[1] = (struct gen_seg){ PT_LOAD, PF_R | PF_W, 0xffffffff80002000ull, 0x100, 0x3000, 4096, 0xab };
	g->config = config;
	g->config_len = 133;
}

/* A valid PIE linked at 0 with two RELATIVE relocations in its data. */
static inline void gen_pie(struct gen *g, const uint8_t *config)
{
	memset(g, 0, sizeof *g);
	g->type = ET_DYN;
	g->entry = 0x1000;
	g->nseg = 2;
	g->seg[0] = (struct gen_seg){ PT_LOAD, PF_R | PF_X, 0x1000, 0x800, 0x800, 4096, 0x90 };
	g->seg[1] = (struct gen_seg){ PT_LOAD, PF_R | PF_W, 0x3000, 0x40, 0x2000, 4096, 0x00 };
	g->nrela = 2;
	g->rela[0] = (struct elf64_rela){ 0x3000, R_X86_64_RELATIVE, 0x1000 };
	g->rela[1] = (struct elf64_rela){ 0x3008, R_X86_64_RELATIVE, 0x3010 };
	g->dyn_vaddr = 0x6000;
	g->config = config;
	g->config_len = 133;
}

#endif
