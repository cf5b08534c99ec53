/* SPDX-License-Identifier: MIT */
/* test_elf.c - ELF validation: good kernels pass, each malformed one is
 * rejected with its own message, random corruption never crashes. */
#include "t.h"
#include "elfgen.h"

static uint8_t cfg[133];
static uint8_t buf[1 << 16];
static struct gen g;
static struct elf_image img;
static struct eb_config c;

static uint64_t build_static(void)
{
	gen_static(&g, cfg);
	return gen_build(&g, buf, sizeof buf);
}

static uint64_t build_pie(void)
{
	gen_pie(&g, cfg);
	return gen_build(&g, buf, sizeof buf);
}

static struct elf64_ehdr *eh(void) { return (struct elf64_ehdr *)buf; }
static struct elf64_phdr *ph(int i) { return (struct elf64_phdr *)(buf + g.phoff) + i; }
static struct elf64_shdr *sh(int i) { return (struct elf64_shdr *)(buf + g.shoff) + i; }

static void good_static(void)
{
	uint64_t n = build_static();
	T_OK(kernel_check(buf, n, &img, &c));
	T_EQ(img.pie, 0);
	T_EQ(img.nseg, 2);
	T_EQ(img.vmin, 0xffffffff80000000ull);
	T_EQ(img.vmax, 0xffffffff80005000ull);
	T_EQ(img.config_len, 133);
	T_EQ(img.entry, 0xffffffff80000010ull);
}

static void good_pie(void)
{
	uint64_t n = build_pie();
	T_OK(kernel_check(buf, n, &img, &c));
	T_EQ(img.pie, 1);
	T_EQ(img.rela_count, 2);
	T_EQ(img.rela_offset, g.rela_off);
}

static void header_errors(void)
{
	uint64_t n = build_static();
	T_ERR(elf_parse(buf, 10, &img), "too small for an ELF header");
	buf[1] = 'X';
	T_ERR(elf_parse(buf, n, &img), "bad magic");
	n = build_static(); buf[4] = 1;
	T_ERR(elf_parse(buf, n, &img), "EI_CLASS is 1, expected 2");
	n = build_static(); buf[5] = 2;
	T_ERR(elf_parse(buf, n, &img), "EI_DATA is 2");
	n = build_static(); buf[6] = 0;
	T_ERR(elf_parse(buf, n, &img), "EI_VERSION is 0");
	n = build_static(); eh()->e_machine = 3;
	T_ERR(elf_parse(buf, n, &img), "e_machine is 3, expected 62");
	n = build_static(); eh()->e_type = 1;
	T_ERR(elf_parse(buf, n, &img), "e_type is 1");
	n = build_static(); eh()->e_phentsize = 50;
	T_ERR(elf_parse(buf, n, &img), "e_phentsize is 50");
	n = build_static(); eh()->e_ehsize = 20;
	T_ERR(elf_parse(buf, n, &img), "e_ehsize is 20");
	n = build_static(); eh()->e_phnum = 0;
	T_ERR(elf_parse(buf, n, &img), "no program headers");
	n = build_static(); eh()->e_phoff = n - 10;
	T_ERR(elf_parse(buf, n, &img), "program headers at");
	n = build_static(); eh()->e_phoff = ~0ull - 20;
	T_ERR(elf_parse(buf, n, &img), "program headers at");
}

static void segment_errors(void)
{
	uint64_t n = build_static();
	ph(0)->p_offset = n;
	T_ERR(elf_parse(buf, n, &img), "segment 0: file range");
	n = build_static(); ph(1)->p_filesz = ~0ull;
	T_ERR(elf_parse(buf, n, &img), "segment 1: file range");
	n = build_static(); ph(1)->p_filesz = 0x100; ph(1)->p_memsz = 0x10;
	T_ERR(elf_parse(buf, n, &img), "p_filesz 0x100 > p_memsz 0x10");
	n = build_static(); ph(1)->p_memsz = ~0ull - 0x100;
	T_ERR(elf_parse(buf, n, &img), "overflows the address space");
	n = build_static(); ph(1)->p_vaddr = 0xffffffff80001000ull;
	T_ERR(elf_parse(buf, n, &img), "segments overlap");
	n = build_static(); ph(0)->p_vaddr = 0x0000900000000000ull;
	T_ERR(elf_parse(buf, n, &img), "is not canonical");
	n = build_static(); ph(0)->p_align = 0x3000;
	T_ERR(elf_parse(buf, n, &img), "not a power of two");
	n = build_static(); ph(0)->p_flags = PF_R;
	T_ERR(elf_parse(buf, n, &img), "entry point 0xffffffff80000010 is not inside an executable segment");
	n = build_static(); eh()->e_entry = 0xffffffff80002000ull;
	T_ERR(elf_parse(buf, n, &img), "is not inside an executable segment");
	n = build_static(); ph(1)->p_type = PT_INTERP;
	T_ERR(elf_parse(buf, n, &img), "PT_INTERP");
	n = build_static(); ph(0)->p_type = 4; ph(1)->p_type = 4;
	T_ERR(elf_parse(buf, n, &img), "no loadable (PT_LOAD) segment");
}

static void section_errors(void)
{
	uint64_t n = build_static();
	eh()->e_shoff = n + 100;
	T_ERR(elf_parse(buf, n, &img), "section headers at");
	n = build_static(); eh()->e_shentsize = 40;
	T_ERR(elf_parse(buf, n, &img), "e_shentsize is 40");
	n = build_static(); eh()->e_shstrndx = 9;
	T_ERR(elf_parse(buf, n, &img), "section name table index 9 is invalid");
	n = build_static(); sh(2)->sh_offset = n;
	T_ERR(elf_parse(buf, n, &img), "section name table at");
	n = build_static(); sh(1)->sh_type = SHT_NOBITS;
	T_ERR(elf_parse(buf, n, &img), "has no bytes inside the file");
	n = build_static(); sh(1)->sh_size = n;
	T_ERR(elf_parse(buf, n, &img), "has no bytes inside the file");
	n = build_static(); sh(2)->sh_name = 1; /* two sections named the same */
	T_ERR(elf_parse(buf, n, &img), "two .bootloader-config sections");
	n = build_static(); sh(1)->sh_name = 4000; /* name outside the table */
	T_OK(elf_parse(buf, n, &img));
	T_EQ(img.config_len, 0);
	T_ERR(kernel_check(buf, n, &img, &c), "kernel has no .bootloader-config section");
	/* No section headers at all: no config. */
	n = build_static(); eh()->e_shoff = 0; eh()->e_shnum = 0;
	T_ERR(kernel_check(buf, n, &img, &c), "kernel has no .bootloader-config section");
	/* A damaged table says so, not "no config section" (a looping FAT
	 * chain hands over the file with clusters repeated). */
	const char *dmg = "are damaged (header 0 is not null): the kernel file is corrupt or "
			  "was misread from disk";
	n = build_static(); sh(0)->sh_type = 1;
	T_ERR(kernel_check(buf, n, &img, &c), dmg);
	n = build_static(); sh(0)->sh_size = 3; /* only with e_shnum == 0 */
	T_ERR(kernel_check(buf, n, &img, &c), dmg);
	n = build_static(); sh(0)->sh_link = 2; /* only with e_shstrndx == SHN_XINDEX */
	T_ERR(kernel_check(buf, n, &img, &c), dmg);
	n = build_static(); memcpy(buf + g.shoff, buf + 0x1000, 3 * 64); /* a repeated cluster */
	T_ERR(kernel_check(buf, n, &img, &c), "section headers at 0x");
	T_CHECK(strstr(eb_last_error(), "damaged") != NULL);
	n = build_static(); sh(2)->sh_type = 1;
	T_ERR(kernel_check(buf, n, &img, &c),
	      "damaged (the name table, header 2, has type 1, not SHT_STRTAB)");
	n = build_static(); buf[sh(2)->sh_offset] = '.';
	T_ERR(kernel_check(buf, n, &img, &c), "damaged (the name table does not start with a NUL byte)");
	n = build_static(); sh(2)->sh_size = 0;
	T_ERR(kernel_check(buf, n, &img, &c), "does not start with a NUL byte");
	/* Extended numbering through header 0 is sane. */
	n = build_static(); sh(0)->sh_size = eh()->e_shnum; eh()->e_shnum = 0;
	sh(0)->sh_link = eh()->e_shstrndx; eh()->e_shstrndx = SHN_XINDEX;
	T_OK(kernel_check(buf, n, &img, &c));
	T_EQ(img.config_len, 133);
	/* A sane table without the section: only then "no config section". */
	gen_static(&g, cfg);
	g.config = NULL;
	n = gen_build(&g, buf, sizeof buf);
	T_ERR(kernel_check(buf, n, &img, &c), "kernel has no .bootloader-config section");
	/* The config's own checks run through kernel_check. */
	n = build_static(); buf[g.config_off + 87] = 9;
	T_ERR(kernel_check(buf, n, &img, &c), "aslr at .bootloader-config+87: byte 0x09");
}

static void pie_errors(void)
{
	uint64_t n = build_pie();
	struct elf64_rela *r = (struct elf64_rela *)(buf + g.rela_off);
	r[1].r_info = 1; /* R_X86_64_64 */
	T_ERR(elf_parse(buf, n, &img), "relocation 1 at 0x3008 has type 1");
	n = build_pie(); r[0].r_info = 0; /* R_X86_64_NONE is fine */
	T_OK(elf_parse(buf, n, &img));
	n = build_pie(); r[0].r_offset = 0x900000;
	T_ERR(elf_parse(buf, n, &img), "relocation 0 targets 0x900000, outside every PT_LOAD");
	struct elf64_dyn *d = (struct elf64_dyn *)(buf + g.dyn_off);
	n = build_pie(); d[2].d_val = 16;
	T_ERR(elf_parse(buf, n, &img), "DT_RELAENT is 16");
	n = build_pie(); d[1].d_val = 25;
	T_ERR(elf_parse(buf, n, &img), "DT_RELASZ 25 is not a multiple of 24");
	n = build_pie(); d[0].d_val = 0x500000;
	T_ERR(elf_parse(buf, n, &img), "relocation table at 0x500000");
	n = build_pie(); d[2].d_tag = DT_REL; d[2].d_val = 0x6000;
	T_ERR(elf_parse(buf, n, &img), "REL relocations");
	n = build_pie(); d[2].d_tag = DT_PLTRELSZ; d[2].d_val = 24;
	T_ERR(elf_parse(buf, n, &img), "PLT relocations");
	n = build_pie(); d[2].d_tag = DT_RELR; d[2].d_val = 0x6000;
	T_ERR(elf_parse(buf, n, &img), "RELR");
	n = build_pie(); ph(3)->p_offset = n + 1;
	T_ERR(elf_parse(buf, n, &img), "PT_DYNAMIC at offset");
	/* PT_GNU_RELRO: inside the image (lld pads it past its PT_LOAD), never
	 * a range that wraps (the loader then skipped the protection). */
	gen_pie(&g, cfg);
	g.seg[g.nseg++] = (struct gen_seg){ PT_GNU_RELRO, PF_R, 0x3000, 0, 0x1000, 1, 0 };
	n = gen_build(&g, buf, sizeof buf);
	T_OK(elf_parse(buf, n, &img));
	T_EQ(img.has_relro, 1);
	ph(2)->p_memsz = ~0ull - 0x1000;
	T_ERR(elf_parse(buf, n, &img), "PT_GNU_RELRO 0x3000+0xffffffffffffefff lies outside the "
				       "loaded image 0x1000-0x7000");
	ph(2)->p_memsz = 0x5000;
	T_ERR(elf_parse(buf, n, &img), "PT_GNU_RELRO 0x3000+0x5000 lies outside");
}

static void kernel_base_rules(void)
{
	struct eb_config cc;
	config_default(&cc);
	cc.kernel_base = (struct eb_mapping){ 1, 0x200000000000ull };
	uint8_t fixed[133];
	config_serialize(&cc, fixed);
	gen_static(&g, fixed);
	uint64_t n = gen_build(&g, buf, sizeof buf);
	T_ERR(kernel_check(buf, n, &img, &c), "kernel_base is fixed (0x200000000000) but the kernel is not position-independent");
	gen_pie(&g, fixed);
	n = gen_build(&g, buf, sizeof buf);
	T_OK(kernel_check(buf, n, &img, &c));
	g.seg[0].align = 0x200000;
	cc.kernel_base.addr = 0x200000001000ull;
	config_serialize(&cc, fixed);
	n = gen_build(&g, buf, sizeof buf);
	T_ERR(kernel_check(buf, n, &img, &c), "not aligned to the largest segment alignment 0x200000");
	cc.kernel_base.addr = 0x00007fffffe00000ull;
	config_serialize(&cc, fixed);
	g.dyn_vaddr = 0x400000; /* the image ends past the top of the lower half */
	n = gen_build(&g, buf, sizeof buf);
	T_ERR(kernel_check(buf, n, &img, &c), "not canonical");
}

/* A PIE must be placeable in one canonical half: a span near 2^64 made the
 * loader's slot count wrap to 0. */
static void pie_span(void)
{
	gen_pie(&g, cfg);
	g.seg[1].vaddr = 0xffffffff80000000ull; /* one segment low, one in the top 2 GiB */
	uint64_t n = gen_build(&g, buf, sizeof buf);
	T_ERR(kernel_check(buf, n, &img, &c), "PIE kernel spans 0x1000-0xffffffff80002000 "
					      "(0xffffffff80001000 bytes): a position-independent "
					      "image must fit in one canonical half");
	/* The boundary: exactly 128 TiB is placeable, one page more is not. */
	gen_pie(&g, cfg);
	g.dyn_vaddr = (1ull << 47); /* the last PT_LOAD ends at 2^47 + 4 KiB */
	n = gen_build(&g, buf, sizeof buf);
	T_OK(kernel_check(buf, n, &img, &c));
	T_EQ(img.vmax - img.vmin, 1ull << 47);
	g.dyn_vaddr = (1ull << 47) + 0x1000;
	n = gen_build(&g, buf, sizeof buf);
	T_ERR(kernel_check(buf, n, &img, &c), "(0x800000001000 bytes)");
	gen_pie(&g, cfg);
	g.seg[0].align = 1ull << 40;
	n = gen_build(&g, buf, sizeof buf);
	T_ERR(kernel_check(buf, n, &img, &c), "segment alignment 0x10000000000 is larger than a 512 GiB");
	/* A static kernel with the same layout is placed as linked: fine. */
	gen_static(&g, cfg);
	g.seg[0].vaddr = 0x200000;
	g.entry = 0x200010;
	n = gen_build(&g, buf, sizeof buf);
	T_OK(kernel_check(buf, n, &img, &c));
}

/* Random corruption: every outcome is "accepted" or "one error line". */
static void fuzz_never_crashes(void)
{
	uint64_t seed = 0x1234567;
	for (int iter = 0; iter < 20000; iter++) {
		uint64_t n = (iter & 1) ? build_pie() : build_static();
		int flips = 1 + (int)(seed % 4);
		for (int k = 0; k < flips; k++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			uint64_t pos = (seed >> 33) % (g.shoff + 200 < n ? g.shoff + 200 : n);
			buf[pos] = (uint8_t)(seed >> 13);
		}
		int r = kernel_check(buf, n - (seed >> 60), &img, &c);
		T_CHECK(r == EB_OK || (r == EB_ERR && eb_last_error()[0]));
	}
}

int main(void)
{
	gen_default_config(cfg);
	T_RUN(good_static);
	T_RUN(good_pie);
	T_RUN(header_errors);
	T_RUN(segment_errors);
	T_RUN(section_errors);
	T_RUN(pie_errors);
	T_RUN(kernel_base_rules);
	T_RUN(pie_span);
	T_RUN(fuzz_never_crashes);
	return T_END();
}
