/* SPDX-License-Identifier: MIT */
/*
 * k_pie.c - a PIE kernel linked at 0 (as Rust's x86_64-unknown-none makes
 * them): globals holding pointers need R_X86_64_RELATIVE relocation, the
 * RELRO part must end up read-only, the TLS template must be reported, and
 * the image must land in a Dynamic level-4 slot, never at 0.
 */
#include "core.h"
#include "ktest.h"

ELFBOOT_CONFIG(boot_config, .physical_memory = ELFBOOT_SOME_DYNAMIC);

extern const char __ehdr_start[];
static int target = 42;
int *volatile relocated_ptr = &target;          /* .data: relocated */
int *const relro_ptr = &target;                 /* .data.rel.ro: relocated, then RO */
static const char *const strings[] = { "alpha", "beta" };
__thread int tls_var = 7;

void kmain(struct elfboot_boot_info *bi);
void kmain(struct elfboot_boot_info *bi)
{
	ktest_init();
	kputs("ktest: k_pie\n");
	ktest_common_checks(bi);
	uint64_t off = bi->kernel_image_offset;
	kprintf("ktest: image offset 0x%lx\n", off);
	CHECK(off != 0);
	CHECK_EQ(off % (1ull << 39), 0);
	CHECK_EQ((uint64_t)(uintptr_t)__ehdr_start, off);
	CHECK(memcmp(__ehdr_start, "\177ELF", 4) == 0);
	CHECK(relocated_ptr == &target);
	CHECK_EQ(*relocated_ptr, 42);
	CHECK(relro_ptr == &target);
	CHECK(strings[1][0] == 'b');

	uint64_t pa, fl, poff = bi->physical_memory_offset.value;
	CHECK(ktest_translate(poff, (uint64_t)(uintptr_t)&relro_ptr, &pa, &fl));
	CHECK(!(fl & PTE_W)); /* RELRO made read-only after relocation */
	CHECK(ktest_translate(poff, (uint64_t)(uintptr_t)&relocated_ptr, &pa, &fl));
	CHECK(fl & PTE_W);

	CHECK_EQ(bi->tls_template.tag, ELFBOOT_SOME_TAG);
	CHECK_EQ(bi->tls_template.tls.file_size, 4);
	CHECK(bi->tls_template.tls.mem_size >= 4);
	CHECK(bi->tls_template.tls.start_addr >= off);
	CHECK_EQ(*(const int *)(uintptr_t)bi->tls_template.tls.start_addr, 7);
	kexit(1);
}
