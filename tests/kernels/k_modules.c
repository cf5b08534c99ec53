/* SPDX-License-Identifier: MIT */
/*
 * k_modules.c - the MODULES and CMDLINE requests (issue 10).  Given the
 * command line K_MODULES_CMDLINE it expects the three modules of
 * tests/boot/modules.list (pattern files of tests/mk/modules.mk: "EBRAMDSK",
 * u64 size, then byte i = (i * 7 + 3) % 251) with their names and command
 * lines, each page aligned, mapped and Bootloader memory in the map; given
 * no command line it expects "" and no modules (the documented answers).
 */
#include "core.h"
#include "ktest.h"

ELFBOOT_CONFIG(boot_config, .physical_memory = ELFBOOT_SOME_DYNAMIC);
ELFBOOT_REQUEST_MODULES(modules_req);
ELFBOOT_REQUEST_CMDLINE(cmdline_req);

/* Keep in step with tests/boot/modules.list and tests/mk/modules.mk. */
#define K_MODULES_CMDLINE "console=ttyS0 k=v q=\"x y\" b=\\"
static const struct {
	const char *name, *cmdline;
	uint64_t size;
} want[3] = {
	{ "initrd", "-v", 4097 },
	{ "fs.img", "", 123457 },
	{ "cfg \"3\"", "a=b c=d\\e", 2 * 1024 * 1024 + 5 },
};

static void check_module(const struct elfboot_boot_info *bi, const struct elfboot_module *m,
			 unsigned i)
{
	const char *name = (const char *)(uintptr_t)m->name;
	const char *line = (const char *)(uintptr_t)m->cmdline;
	kprintf("ktest: module %u '%s' (%s) %lu bytes at 0x%lx\n", i, name, line, m->size, m->addr);
	CHECK(!strcmp(name, want[i].name));
	CHECK(!strcmp(line, want[i].cmdline));
	CHECK_EQ(m->size, want[i].size);
	CHECK_EQ(m->addr & 4095, 0);
	const uint8_t *p = (const uint8_t *)(uintptr_t)m->addr;
	uint64_t len;
	CHECK(memcmp(p, "EBRAMDSK", 8) == 0);
	memcpy(&len, p + 8, 8);
	CHECK_EQ(len, m->size);
	/* Every byte: stronger than a checksum, and it names the first bad one. */
	for (uint64_t k = 16; k < m->size; k++)
		if (p[k] != (uint8_t)((k * 7 + 3) % 251)) {
			kprintf("  module %u byte %lu is 0x%x\n", i, k, p[k]);
			kfail(__FILE__, __LINE__, "module contents");
		}
	uint64_t off = bi->physical_memory_offset.value;
	for (uint64_t a = 0; a < m->size; a += 4096) {
		uint64_t pa, fl;
		CHECK(ktest_translate(off, m->addr + a, &pa, &fl));
		const struct elfboot_memory_region *r = ktest_region_of(bi, pa);
		CHECK(r && r->kind == ELFBOOT_REGION_BOOTLOADER);
	}
}

void kmain(struct elfboot_boot_info *bi);
void kmain(struct elfboot_boot_info *bi)
{
	ktest_init();
	kputs("ktest: k_modules\n");
	ktest_common_checks(bi);
	CHECK(cmdline_req.response != 0);
	CHECK(modules_req.response != 0);
	const struct elfboot_cmdline_response *c =
		ELFBOOT_RESPONSE(cmdline_req, const struct elfboot_cmdline_response);
	const struct elfboot_modules_response *mr =
		ELFBOOT_RESPONSE(modules_req, const struct elfboot_modules_response);
	CHECK_EQ(c->revision, 0);
	CHECK_EQ(mr->revision, 0);
	const char *line = (const char *)(uintptr_t)c->cmdline;
	kprintf("ktest: cmdline '%s' (%lu bytes), %lu modules\n", line, c->len, mr->count);
	CHECK_EQ(c->len, strlen(line));
	if (!*line) { /* none given: "" and no modules */
		CHECK_EQ(mr->count, 0);
		kexit(1);
	}
	CHECK(!strcmp(line, K_MODULES_CMDLINE));
	CHECK_EQ(mr->count, 3);
	const struct elfboot_module *m = (const struct elfboot_module *)(uintptr_t)mr->modules;
	for (unsigned i = 0; i < 3 && i < mr->count; i++)
		check_module(bi, &m[i], i);
	kexit(1);
}
