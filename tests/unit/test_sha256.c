/* SPDX-License-Identifier: MIT */
/*
 * test_sha256.c - common/sha256.c: the FIPS 180-4 vectors fed in pieces of
 * every awkward size, then random contents of random lengths (every
 * padding case around 55/56/64 bytes, and large ones) fed in random
 * pieces, each checked against the host's own sha256sum.  All of it for
 * the C code and again for SHA-NI (sha256_ni.asm; "SKIP" lines on a CPU
 * without it), then SHA-NI against C at random lengths and alignments.
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

/* The C code's digest of p[0..n) in one update (sha256_accel left as found). */
static void c_digest(const uint8_t *p, size_t n, uint8_t out[32])
{
	int was = sha256_accelerated();
	struct sha256 s;
	sha256_accel(0);
	sha256_init(&s);
	sha256_update(&s, p, n);
	sha256_final(&s, out);
	sha256_accel(was);
}

/* SHA-NI and C agree at random lengths, random (odd) addresses and random
 * update pieces; the state crosses many calls of sha256_ni_blocks. */
static void ni_against_c(void)
{
	static uint8_t buf[(1 << 20) + 200];
	srand(29);
	for (size_t k = 0; k < sizeof buf; k++)
		buf[k] = (uint8_t)rand();
	for (int i = 0; i < 300; i++) {
		size_t off = (size_t)rand() % 64;
		size_t len = i < 150 ? (size_t)i * 3 : (size_t)rand() % (sizeof buf - 64);
		uint8_t want[32], got[32];
		c_digest(buf + off, len, want);
		T_CHECK(sha256_accelerated());
		struct sha256 s;
		sha256_init(&s);
		for (size_t at = 0; at < len;) {
			size_t piece = (size_t)rand() % 5000;
			if (piece > len - at)
				piece = len - at;
			sha256_update(&s, buf + off + at, piece);
			at += piece;
		}
		sha256_final(&s, got);
		if (memcmp(want, got, 32)) {
			fprintf(stderr, "  %zu bytes at +%zu: SHA-NI differs from C\n", len, off);
			t_case_failed = 1;
		}
	}
}

static void c_fips_vectors(void)
{
	T_CHECK(!sha256_accel(0));
	fips_vectors();
}

static void c_random_against_sha256sum(void)
{
	T_CHECK(!sha256_accel(0));
	random_against_sha256sum();
}

static void ni_fips_vectors(void)
{
	fips_vectors();
}

static void ni_random_against_sha256sum(void)
{
	random_against_sha256sum();
}

int main(void)
{
	T_RUN(c_fips_vectors);
	T_RUN(c_random_against_sha256sum);
	if (sha256_accel(1)) {
		T_RUN(ni_fips_vectors);
		T_RUN(ni_random_against_sha256sum);
		T_RUN(ni_against_c);
	} else {
		printf("SKIP ni_fips_vectors ni_random_against_sha256sum ni_against_c "
		       "(no SHA-NI on this CPU, or not linked)\n");
	}
	return T_END();
}
