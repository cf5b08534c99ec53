/* SPDX-License-Identifier: MIT */
/*
 * test_buildid.c - the tool's reproducibility and build-id helpers
 * (config-tool/repro.c, embed.c, built unchanged on the host; SHA-256
 * itself: test_sha256.c): GUIDs derived with the RFC 4122 bits and
 * different per index and seed, and the build-id scanner on hostile buffers
 * (ids cut off at the buffer's end, malformed hex, no version), where ASan
 * catches any read past the end; the file digest seeds come from.
 */
#include "t.h"
#include "../../config-tool/repro.c"
#include "../../config-tool/embed.c"

int tool_error(const char *fmt, ...)
{
	(void)fmt;
	return 1;
}

uint8_t *read_file(const char *path, uint64_t *size)
{
	(void)path;
	*size = 0;
	return NULL;
}

static void guids_derived(void)
{
	uint8_t s1[32] = { 1 }, s2[32] = { 2 }, g[4][16];
	repro_guid(s1, 0, g[0]);
	repro_guid(s1, 1, g[1]);
	repro_guid(s2, 0, g[2]);
	repro_guid(s1, 0, g[3]);
	T_CHECK(memcmp(g[0], g[1], 16) != 0);
	T_CHECK(memcmp(g[0], g[2], 16) != 0);
	T_CHECK(memcmp(g[0], g[3], 16) == 0);
	for (int i = 0; i < 3; i++) {
		T_EQ(g[i][7] >> 4, 4);      /* version 4 */
		T_EQ(g[i][8] & 0xc0, 0x80); /* RFC 4122 variant */
	}
}

static int scan(const char *s, size_t n, char *out)
{
	/* An exact-size heap copy: a read past n is an ASan report. */
	uint8_t *b = malloc(n ? n : 1);
	memcpy(b, s, n);
	int r = find_build_id(b, n, out, 64);
	free(b);
	return r;
}

static void build_id_scan(void)
{
	char id[64];
	static const char good[] = "\x00junk elfboot: kernel; elfboot 0.1.0 (build 1a2b3c4d)\r\n";
	T_CHECK(scan(good, sizeof good - 1, id));
	T_CHECK(!strcmp(id, "elfboot 0.1.0 (build 1a2b3c4d)"));
	/* Cut off at every length: found only when the ')' is inside. */
	const char *full = "elfboot 0.1.0 (build 1a2b3c4d)";
	for (size_t n = 0; n < strlen(full); n++)
		T_CHECK(!scan(full, n, id));
	T_CHECK(scan(full, strlen(full), id));
	T_CHECK(!scan("elfboot 0.1.0 (build 1A2B3C4D)", 30, id)); /* upper-case hex */
	T_CHECK(!scan("elfboot 0.1.0 (build 1a2b3c4)", 29, id));  /* 7 digits */
	T_CHECK(!scan("elfboot  (build 1a2b3c4d)", 25, id));      /* no version */
	/* A false start first, then the real one. */
	static const char two[] = "elfboot 9 (build xx) elfboot 0.2.0-rc1 (build 00ff00ff)";
	T_CHECK(scan(two, sizeof two - 1, id));
	T_CHECK(!strcmp(id, "elfboot 0.2.0-rc1 (build 00ff00ff)"));
	/* An output buffer too small for the id: not copied, not found. */
	uint8_t b[40];
	memcpy(b, full, 30);
	T_CHECK(!find_build_id(b, 30, id, 20));
}

/* hash_file's digest of a buffer written to a temporary file. */
static void file_digest(const uint8_t *p, size_t n, uint8_t out[32])
{
	char path[] = "/tmp/test_buildid.XXXXXX";
	int fd = mkstemp(path);
	T_CHECK(fd >= 0 && write(fd, p, n) == (ssize_t)n);
	close(fd);
	struct sha256 s;
	sha256_init(&s);
	T_EQ(hash_file(&s, "t", path), 0);
	sha256_final(&s, out);
	unlink(path);
}

/* Every byte counts: one byte changed in the lane part (in the first and a
 * later 64 KiB chunk) or in the tail, or one byte more, gives another
 * digest; the same bytes give the same one. */
static void file_digest_every_byte(void)
{
	size_t n = 200003; /* 3 whole chunks, then a tail not a multiple of 32 */
	uint8_t *b = malloc(n + 1), d0[32], d[32];
	for (size_t i = 0; i < n + 1; i++)
		b[i] = (uint8_t)(i * 7 + 3);
	file_digest(b, n, d0);
	file_digest(b, n, d);
	T_CHECK(!memcmp(d0, d, 32));
	size_t at[] = { 0, 31, 65536 + 9, 200000, n - 1 };
	for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
		b[at[i]] ^= 1;
		file_digest(b, n, d);
		T_CHECK(memcmp(d0, d, 32) != 0);
		b[at[i]] ^= 1;
	}
	file_digest(b, n + 1, d);
	T_CHECK(memcmp(d0, d, 32) != 0);
	free(b);
}

int main(void)
{
	T_RUN(guids_derived);
	T_RUN(build_id_scan);
	T_RUN(file_digest_every_byte);
	return T_END();
}
