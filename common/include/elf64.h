/* SPDX-License-Identifier: MIT */
/* elf64.h - the ELF64 structures and constants the core reads (no libc). */
#ifndef ELFBOOT_ELF64_H
#define ELFBOOT_ELF64_H

#include <stdint.h>

struct elf64_ehdr {
	uint8_t e_ident[16];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

struct elf64_shdr {
	uint32_t sh_name, sh_type;
	uint64_t sh_flags, sh_addr, sh_offset, sh_size;
	uint32_t sh_link, sh_info;
	uint64_t sh_addralign, sh_entsize;
};

struct elf64_dyn {
	int64_t d_tag;
	uint64_t d_val;
};

struct elf64_rela {
	uint64_t r_offset, r_info;
	int64_t r_addend;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "ehdr");
_Static_assert(sizeof(struct elf64_phdr) == 56, "phdr");
_Static_assert(sizeof(struct elf64_shdr) == 64, "shdr");
_Static_assert(sizeof(struct elf64_rela) == 24, "rela");

#define ET_EXEC 2
#define ET_DYN 3
#define EM_X86_64 62
#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PT_INTERP 3
#define PT_TLS 7
#define PT_GNU_RELRO 0x6474e552
#define PF_X 1
#define PF_W 2
#define PF_R 4
#define SHT_STRTAB 3
#define SHT_NOBITS 8
#define SHF_ALLOC 2
#define SHN_UNDEF 0
#define SHN_LORESERVE 0xff00
#define SHN_XINDEX 0xffff
#define DT_NULL 0
#define DT_PLTRELSZ 2
#define DT_RELA 7
#define DT_RELASZ 8
#define DT_RELAENT 9
#define DT_REL 17
#define DT_RELSZ 18
#define DT_JMPREL 23
#define DT_RELR 36
#define DT_RELRSZ 35
#define R_X86_64_NONE 0
#define R_X86_64_RELATIVE 8

#endif
