/* SPDX-License-Identifier: MIT */
/*
 * test_sha256.c - common/sha256.c: the FIPS 180-4 vectors fed in pieces of
 * every awkward size, then random contents of random lengths (every
 * padding case around 55/56/64 bytes, and large ones) fed in random
 * pieces, each checked against the host's own sha256sum.
 */
#include <unistd.h>

#include "t.h"
#include "sha256.h"

static void hex(const uint8_t *b, char out[65])
{
	for (int i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

/* The digest of p[0..n), fed `chunk` bytes at a time (0: random pieces). */
static void digest(const void *p, size_t n, size_t chunk, char out[65])
{
	struct sha256 s;
	uint8_t d[32];
	sha256_init(&s);
	for (size_t off = 0; off < n;) {
		size_t k = chunk ? chunk : (size_t)(rand() % 300) * (rand() % 4 ? 1 : 97);
		if (k > n - off)
			k = n - off;
		sha256_update(&s, (const uint8_t *)p + off, k);
		off += k;
	}
	sha256_final(&s, d);
	hex(d, out);
}

static void fips_vectors(void)
{
	static const size_t chunks[] = { 1, 7, 63, 64, 65, 4096 + 3, 1 << 30 };
	static char a[1000000];
	memset(a, 'a', sizeof a);
	static const char two[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
		char h[65];
		digest("", 0, chunks[i], h);
		T_CHECK(!strcmp(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
		digest("abc", 3, chunks[i], h);
		T_CHECK(!strcmp(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
		/* 448 bits: the padding spills into a second block */
		digest(two, strlen(two), chunks[i], h);
		T_CHECK(!strcmp(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
		if (chunks[i] < 7)
			continue; /* a million one-byte updates add nothing */
		digest(a, sizeof a, chunks[i], h);
		T_CHECK(!strcmp(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
	}
}

/* sha256sum's digest of a file holding p[0..n). */
static int host_digest(const uint8_t *p, size_t n, char out[65])
{
	char path[] = "/tmp/test_sha256.XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return -1;
	int bad = write(fd, p, n) != (ssize_t)n;
	close(fd);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "sha256sum %s", path);
	FILE *f = bad ? NULL : popen(cmd, "r");
	bad = !f || fscanf(f, "%64s", out) != 1;
	if (f)
		bad |= pclose(f) != 0;
	unlink(path);
	return bad ? -1 : 0;
}

static void random_against_sha256sum(void)
{
	static uint8_t buf[(3 << 20) + 77];
	srand(11);
	size_t lens[48];
	int n = 0;
	/* every length 52..132 in steps of 4 and 5: 55, 56, 64, 119, 120... */
	for (size_t l = 52; n < 24; l += n & 1 ? 4 : 5, n++)
		lens[n] = l;
	while (n < 44)
		lens[n++] = (size_t)rand() % 70000;
	lens[n++] = 0;
	lens[n++] = 1 << 20;
	lens[n++] = (1 << 20) + 1;
	lens[n++] = sizeof buf;
	for (int i = 0; i < n; i++) {
		for (size_t k = 0; k < lens[i]; k++)
			buf[k] = (uint8_t)rand();
		char ours[65], theirs[65];
		digest(buf, lens[i], 0, ours);
		if (host_digest(buf, lens[i], theirs)) {
			fprintf(stderr, "  sha256sum could not be run\n");
			t_case_failed = 1;
			return;
		}
		if (strcmp(ours, theirs)) {
			fprintf(stderr, "  %zu bytes: ours %s, sha256sum %s\n", lens[i], ours, theirs);
			t_case_failed = 1;
		}
	}
}

int main(void)
{
	T_RUN(fips_vectors);
	T_RUN(random_against_sha256sum);
	return T_END();
}
