/* SPDX-License-Identifier: MIT */
/*
 * test_iso9660.c - the ISO 9660 reader (common/iso9660.c) over an in-memory
 * volume built here field by field: lookups by every name form, whole-file
 * reads that never write past the file, and each damaged field refused with
 * a message that names it.
 */
#include "t.h"
#include "iso9660.h"

#define BLOCKS 64
#define ROOT_LBA 20
#define FILE_LBA 24

static uint8_t med[BLOCKS * ISO_BLOCK];
static uint64_t med_blocks; /* what the device reports; 0 = unknown */
static unsigned reads, last_count;

static int med_read(void *ctx, uint64_t lba, uint64_t count, void *dst)
{
	(void)ctx;
	reads++;
	last_count = (unsigned)count;
	if (lba > BLOCKS || count > BLOCKS - lba)
		return eb_error("test: read of %lu blocks at %lu is off the medium",
				(unsigned long)count, (unsigned long)lba);
	memcpy(dst, med + lba * ISO_BLOCK, count * ISO_BLOCK);
	return EB_OK;
}

static void both32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
		p[7 - i] = (uint8_t)(v >> (8 * i));
	}
}

/* A directory record at p; returns its length. */
static unsigned record(uint8_t *p, const char *name, uint32_t lba, uint32_t size, uint8_t flags)
{
	size_t n = name[0] ? strlen(name) : 1; /* "\0" is the name "." */
	unsigned len = (unsigned)(33 + n + ((33 + n) & 1));
	memset(p, 0, len);
	p[0] = (uint8_t)len;
	both32(p + 2, lba);
	both32(p + 10, size);
	p[25] = flags;
	p[28] = 1;
	p[32] = (uint8_t)n;
	memcpy(p + 33, name, n);
	return len;
}

static unsigned root_off; /* where the next root record goes */

static void add(const char *name, uint32_t lba, uint32_t size, uint8_t flags)
{
	root_off += record(med + ROOT_LBA * ISO_BLOCK + root_off, name, lba, size, flags);
}

static void fresh(void)
{
	memset(med, 0, sizeof med);
	med_blocks = BLOCKS;
	uint8_t *pvd = med + 16 * ISO_BLOCK;
	pvd[0] = 1;
	memcpy(pvd + 1, "CD001", 5);
	pvd[6] = 1;
	both32(pvd + 80, BLOCKS);
	pvd[128] = 0x00;
	pvd[129] = 0x08;
	record(pvd + 156, "\0", ROOT_LBA, ISO_BLOCK, 2);
	uint8_t *term = med + 17 * ISO_BLOCK;
	term[0] = 255;
	memcpy(term + 1, "CD001", 5);
	term[6] = 1;
	root_off = 0;
	add("\0", ROOT_LBA, ISO_BLOCK, 2);
	add("\1", ROOT_LBA, ISO_BLOCK, 2);
	add("BOOT", 21, ISO_BLOCK, 2);
	/* A file of 2.5 blocks with a known pattern. */
	add("kernel-x86_64", FILE_LBA, 5000, 0);
	for (unsigned i = 0; i < 3 * ISO_BLOCK; i++)
		med[FILE_LBA * ISO_BLOCK + i] = (uint8_t)(i * 7 + 3);
	add("RAMDISK.;1", 30, 10, 0);
	memcpy(med + 30 * ISO_BLOCK, "ramdisk ok", 10);
	reads = 0;
}

static struct iso_dev dev = { NULL, med_read, 0 };
static struct iso_vol vol;

static int mount(void)
{
	dev.blocks = med_blocks;
	return iso_mount(&vol, &dev);
}

static void finds_and_reads_whole_file(void)
{
	fresh();
	T_OK(mount());
	struct iso_file f;
	T_OK(iso_lookup(&vol, "kernel-x86_64", &f));
	T_EQ(f.lba, FILE_LBA);
	T_EQ(f.size, 5000);
	/* The buffer is exactly the file: ASan catches a write past it. */
	uint8_t *buf = malloc(f.size);
	reads = 0;
	T_OK(iso_read(&vol, &f, buf));
	T_EQ(reads, 2); /* the two whole blocks in one request, then the tail */
	int same = 1;
	for (unsigned i = 0; i < f.size; i++)
		same &= buf[i] == (uint8_t)(i * 7 + 3);
	T_CHECK(same);
	free(buf);
}

static void version_case_and_dot_ignored(void)
{
	fresh();
	T_OK(mount());
	struct iso_file f;
	T_OK(iso_lookup(&vol, "ramdisk", &f));
	char got[10];
	T_OK(iso_read(&vol, &f, got));
	T_CHECK(memcmp(got, "ramdisk ok", 10) == 0);
	T_EQ(iso_lookup(&vol, "ramdis", &f), EB_NOTFOUND);
	T_EQ(iso_lookup(&vol, "ramdisk2", &f), EB_NOTFOUND);
	T_EQ(iso_lookup(&vol, "boot.json", &f), EB_NOTFOUND);
}

static void not_iso_is_notfound(void)
{
	fresh();
	memset(med + 16 * ISO_BLOCK, 0, ISO_BLOCK);
	T_EQ(mount(), EB_NOTFOUND);
	fresh();
	med_blocks = 10; /* a medium smaller than the descriptor area */
	T_EQ(mount(), EB_NOTFOUND);
}

static void descriptor_set_checked(void)
{
	fresh();
	med[16 * ISO_BLOCK] = 2; /* a supplementary descriptor, then the end */
	T_ERR(mount(), "no primary volume descriptor before the terminator at block 17");
	fresh();
	med[16 * ISO_BLOCK] = 2;
	memset(med + 17 * ISO_BLOCK, 0, ISO_BLOCK);
	T_ERR(mount(), "block 17 is not a volume descriptor");
	fresh();
	/* 64 supplementary descriptors and no end: bounded. */
	for (unsigned b = 16; b < BLOCKS; b++) {
		memset(med + b * ISO_BLOCK, 0, 8);
		med[b * ISO_BLOCK] = 2;
		memcpy(med + b * ISO_BLOCK + 1, "CD001", 5);
		med[b * ISO_BLOCK + 6] = 1;
	}
	T_ERR(mount(), "past the end of the medium");
	med_blocks = 0;
	T_ERR(mount(), "test: read of 1 blocks at 64 is off the medium");
}

static void pvd_fields_checked(void)
{
	fresh();
	med[16 * ISO_BLOCK + 129] = 0x02; /* 512-byte logical blocks */
	T_ERR(mount(), "logical block size 512");
	fresh();
	both32(med + 16 * ISO_BLOCK + 80, BLOCKS + 1);
	T_ERR(mount(), "the volume is 65 blocks but the medium holds only 64");
	both32(med + 16 * ISO_BLOCK + 80, 17);
	T_ERR(mount(), "volume of 17 blocks is too small");
	fresh();
	both32(med + 16 * ISO_BLOCK + 156 + 2, BLOCKS); /* root past the end */
	T_ERR(mount(), "root directory at block 64");
	fresh();
	both32(med + 16 * ISO_BLOCK + 156 + 2, 3); /* root inside the system area */
	T_ERR(mount(), "root directory at block 3");
	fresh();
	both32(med + 16 * ISO_BLOCK + 156 + 10, 0x7fffffff);
	T_ERR(mount(), "too large");
	fresh();
	med[16 * ISO_BLOCK + 156 + 25] = 0;
	T_ERR(mount(), "malformed root directory record");
}

static void records_checked(void)
{
	struct iso_file f;
	fresh();
	T_OK(mount());
	uint8_t *k = med + ROOT_LBA * ISO_BLOCK + 34 + 34 + 38; /* the kernel's record */
	T_EQ(k[32], 13);
	k[0] = 40; /* shorter than its name */
	T_ERR(iso_lookup(&vol, "kernel-x86_64", &f), "bad directory record at block 20 offset 106");
	fresh();
	T_OK(mount());
	/* A record running past the end of the directory (300 bytes). */
	both32(med + 16 * ISO_BLOCK + 156 + 10, 300);
	T_OK(mount());
	uint8_t *last = med + ROOT_LBA * ISO_BLOCK + root_off;
	record(last, "x", 30, 1, 0);
	last[0] = 254;
	T_ERR(iso_lookup(&vol, "nothing", &f), "offset 196 (length 254");
	fresh();
	T_OK(mount());
	k = med + ROOT_LBA * ISO_BLOCK + 106;
	both32(k + 2, BLOCKS - 2); /* 5000 bytes = 3 blocks from block 62 */
	T_ERR(iso_lookup(&vol, "kernel-x86_64", &f), "lies outside the 64-block volume");
	both32(k + 2, 0xffffffff); /* the sum must not wrap */
	T_ERR(iso_lookup(&vol, "kernel-x86_64", &f), "block 4294967295");
	fresh();
	T_OK(mount());
	k[25] = 0x80;
	T_ERR(iso_lookup(&vol, "kernel-x86_64", &f), "split into several extents");
	k[25] = 0;
	k[26] = 4;
	T_ERR(iso_lookup(&vol, "kernel-x86_64", &f), "interleaved");
	T_ERR(iso_lookup(&vol, "boot", &f), "'boot' is a directory");
	fresh();
	T_OK(mount());
	k[25] = 4; /* an associated file is never the one asked for */
	T_EQ(iso_lookup(&vol, "kernel-x86_64", &f), EB_NOTFOUND);
}

static void directory_bounded_by_its_size(void)
{
	struct iso_file f;
	fresh();
	/* The root is 160 bytes: records after that are not looked at. */
	both32(med + 16 * ISO_BLOCK + 156 + 10, 160);
	T_OK(mount());
	T_EQ(iso_lookup(&vol, "ramdisk", &f), EB_NOTFOUND);
	T_OK(iso_lookup(&vol, "kernel-x86_64", &f));
	/* A 2-block root: the second block is read too. */
	fresh();
	both32(med + 16 * ISO_BLOCK + 156 + 10, 2 * ISO_BLOCK);
	record(med + (ROOT_LBA + 1) * ISO_BLOCK, "boot.json", 30, 10, 0);
	T_OK(mount());
	T_OK(iso_lookup(&vol, "boot.json", &f));
	T_EQ(f.lba, 30);
}

static void device_errors_pass_through(void)
{
	fresh();
	T_OK(mount());
	struct iso_file f = { BLOCKS - 1, ISO_BLOCK };
	T_OK(iso_read(&vol, &f, med + ISO_BLOCK)); /* the last block is readable */
	f.size = ISO_BLOCK + 1;
	T_ERR(iso_read(&vol, &f, med), "extent at block 63, 2049 bytes, lies outside");
}

/* The file-source halves the front ends use: size, then a read that must
 * ask for exactly that size. */
static void source_halves(void)
{
	fresh();
	T_OK(mount());
	uint64_t n = 0;
	T_OK(iso_source_size(&vol, "kernel-x86_64", &n));
	T_EQ(n, 5000);
	T_EQ(iso_source_size(&vol, "nothing", &n), EB_NOTFOUND);
	uint8_t *buf = malloc(5000);
	T_OK(iso_source_read(&vol, "cd", "kernel-x86_64", buf, 5000));
	T_EQ(buf[4999], (uint8_t)(4999 * 7 + 3));
	T_ERR(iso_source_read(&vol, "cd", "kernel-x86_64", buf, 4999),
	      "cd: 'kernel-x86_64' is 5000 bytes, not the 4999 asked for");
	T_ERR(iso_source_read(&vol, "cd", "nothing", buf, 1), "cd: 'nothing' vanished");
	free(buf);
}

int main(void)
{
	T_RUN(finds_and_reads_whole_file);
	T_RUN(version_case_and_dot_ignored);
	T_RUN(not_iso_is_notfound);
	T_RUN(descriptor_set_checked);
	T_RUN(pvd_fields_checked);
	T_RUN(records_checked);
	T_RUN(directory_bounded_by_its_size);
	T_RUN(device_errors_pass_through);
	T_RUN(source_halves);
	return T_END();
}
