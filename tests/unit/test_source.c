/* SPDX-License-Identifier: MIT */
/* test_source.c - source_load(): the size/alloc/read steps every medium
 * shares, over a fake medium and a fake allocator that can each fail. */
#include "t.h"
#include "source.h"

static const char *fake_name = "kernel-x86_64";
static uint64_t fake_size = 5000;
static int fake_size_st = EB_OK, fake_read_st = EB_OK;
static int reads, frees;
static uint8_t arena[3 * 4096];
static int alloc_fail;
static uint64_t alloc_asked;

static int fake_size_fn(const char *name, uint64_t *bytes)
{
	if (strcmp(name, fake_name) != 0)
		return EB_NOTFOUND;
	if (fake_size_st == EB_ERR)
		return eb_error("cd: '%s' is unreadable", name);
	*bytes = fake_size;
	return fake_size_st;
}

static int fake_read_fn(const char *name, void *dst, uint64_t bytes)
{
	reads++;
	if (fake_read_st != EB_OK)
		return eb_error("cd: short read of '%s'", name);
	for (uint64_t i = 0; i < bytes; i++)
		((uint8_t *)dst)[i] = (uint8_t)(i * 7);
	return EB_OK;
}

static int fake_alloc(uint64_t bytes, uint64_t *addr)
{
	alloc_asked = bytes;
	if (alloc_fail || bytes > sizeof arena)
		return eb_error("no free pages");
	*addr = (uint64_t)(uintptr_t)arena;
	return EB_OK;
}

static void fake_free(uint64_t addr, uint64_t bytes)
{
	(void)addr;
	(void)bytes;
	frees++;
}

static const struct file_source src = { "cd", fake_size_fn, fake_read_fn };
static const struct file_alloc mem = { fake_alloc, fake_free };

static void reset(void)
{
	fake_size = 5000;
	fake_size_st = fake_read_st = EB_OK;
	reads = frees = alloc_fail = 0;
	alloc_asked = 0;
	memset(arena, 0xee, sizeof arena);
}

static void loads(void)
{
	reset();
	struct plat_file f = { 0, 0 };
	T_OK(source_load(&src, &mem, "kernel-x86_64", &f));
	T_EQ(f.addr, (uintptr_t)arena);
	T_EQ(f.size, 5000);
	T_EQ(alloc_asked, 5000);
	T_EQ(arena[4999], (uint8_t)(4999 * 7));
	T_EQ(arena[5000], 0xee); /* nothing past the file */
}

static void absent_is_quiet(void)
{
	reset();
	struct plat_file f = { 0, 0 };
	T_EQ(source_load(&src, &mem, "ramdisk", &f), EB_NOTFOUND);
	T_EQ(reads, 0);
	T_EQ(alloc_asked, 0);
}

static void empty_refused(void)
{
	reset();
	fake_size = 0;
	struct plat_file f = { 0, 0 };
	T_ERR(source_load(&src, &mem, "kernel-x86_64", &f), "cd: file 'kernel-x86_64' is empty");
	T_EQ(alloc_asked, 0);
	T_EQ(reads, 0);
}

static void errors_name_file_and_medium(void)
{
	reset();
	struct plat_file f = { 0, 0 };
	fake_size_st = EB_ERR;
	T_ERR(source_load(&src, &mem, "kernel-x86_64", &f), "cd: 'kernel-x86_64' is unreadable");
	reset();
	alloc_fail = 1;
	T_ERR(source_load(&src, &mem, "kernel-x86_64", &f),
	      "cd: no memory for 'kernel-x86_64' (5000 bytes): no free pages");
	T_EQ(reads, 0);
	reset();
	fake_size = ~0ull; /* hostile size: the allocator refuses, nothing is read */
	T_ERR(source_load(&src, &mem, "kernel-x86_64", &f), "18446744073709551615 bytes");
	T_EQ(reads, 0);
	reset();
	fake_read_st = EB_ERR;
	f.addr = 1234;
	T_ERR(source_load(&src, &mem, "kernel-x86_64", &f), "cd: short read of 'kernel-x86_64'");
	T_EQ(frees, 1);      /* the memory goes back */
	T_EQ(f.addr, 1234);  /* and *out is untouched */
}

int main(void)
{
	T_RUN(loads);
	T_RUN(absent_is_quiet);
	T_RUN(empty_refused);
	T_RUN(errors_name_file_and_medium);
	return T_END();
}
