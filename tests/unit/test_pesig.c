/* SPDX-License-Identifier: MIT */
/*
 * test_pesig.c - image-info's reading of a PE image's Authenticode
 * signatures (config-tool/pesig.c, built unchanged): a PE built here with a
 * hand-made PKCS#7 SignedData, then the hostile cases: every truncation,
 * every byte of the signature set to 0x00, 0x80 and 0xff (ASan catches a
 * read past the end), lengths past the directory, a zero-length entry.
 */
#include "t.h"
#include "../../config-tool/pesig.c"

/* A DER writer: TLV(tag, parts...) into a buffer. */
struct buf {
	uint8_t b[4096];
	size_t n;
};

static void raw(struct buf *o, const void *p, size_t n)
{
	memcpy(o->b + o->n, p, n);
	o->n += n;
}

static void tlv(struct buf *o, uint8_t tag, const struct buf *v)
{
	o->b[o->n++] = tag;
	if (v->n < 0x80) {
		o->b[o->n++] = (uint8_t)v->n;
	} else {
		o->b[o->n++] = 0x82;
		o->b[o->n++] = (uint8_t)(v->n >> 8);
		o->b[o->n++] = (uint8_t)v->n;
	}
	raw(o, v->b, v->n);
}

static void name(struct buf *o, const char *cn, const char *org)
{
	static const uint8_t cn_oid[] = { 0x55, 0x04, 0x03 }, o_oid[] = { 0x55, 0x04, 0x0a };
	struct buf seq = { .n = 0 };
	const char *v[2] = { org, cn };
	const uint8_t *oid[2] = { o_oid, cn_oid };
	for (int i = 0; i < 2; i++) {
		struct buf atv = { .n = 0 }, x = { .n = 0 }, set = { .n = 0 };
		raw(&x, oid[i], 3);
		tlv(&atv, 0x06, &x);
		x.n = 0;
		raw(&x, v[i], strlen(v[i]));
		tlv(&atv, 0x0c, &x);
		tlv(&set, 0x30, &atv);
		tlv(&seq, 0x31, &set);
	}
	tlv(o, 0x30, &seq);
}

static void integer(struct buf *o, uint8_t v)
{
	struct buf x = { .n = 1 };
	x.b[0] = v;
	tlv(o, 0x02, &x);
}

static void cert(struct buf *o, uint8_t serial, const char *issuer, const char *subject)
{
	struct buf tbs = { .n = 0 }, ver = { .n = 0 }, empty = { .n = 0 }, c = { .n = 0 },
		   t = { .n = 0 };
	integer(&ver, 2);
	tlv(&tbs, 0xa0, &ver);
	integer(&tbs, serial);
	tlv(&tbs, 0x30, &empty); /* signature algorithm */
	name(&tbs, issuer, "Issuer Org");
	tlv(&tbs, 0x30, &empty); /* validity */
	name(&tbs, subject, "Example Org");
	tlv(&t, 0x30, &tbs);
	raw(&c, t.b, t.n);
	tlv(o, 0x30, &c);
}

/* A ContentInfo with two certificates; the SignerInfo names the second. */
static void pkcs7(struct buf *o)
{
	static const uint8_t sd_oid[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02 };
	struct buf sd = { .n = 0 }, x = { .n = 0 }, certs = { .n = 0 }, si = { .n = 0 },
		   sid = { .n = 0 }, infos = { .n = 0 }, seq = { .n = 0 }, ex = { .n = 0 },
		   ci = { .n = 0 };
	integer(&sd, 1);
	tlv(&sd, 0x31, &x);
	tlv(&sd, 0x30, &x);
	cert(&certs, 7, "Root CA", "Intermediate");
	cert(&certs, 9, "Intermediate", "Test Signer");
	tlv(&sd, 0xa0, &certs);
	integer(&si, 1);
	name(&sid, "Intermediate", "Issuer Org");
	integer(&sid, 9);
	tlv(&si, 0x30, &sid);
	tlv(&infos, 0x30, &si);
	tlv(&sd, 0x31, &infos);
	raw(&x, sd_oid, sizeof sd_oid);
	tlv(&ci, 0x06, &x);
	tlv(&ex, 0x30, &sd);
	tlv(&ci, 0xa0, &ex);
	tlv(&seq, 0x30, &ci);
	raw(o, seq.b, seq.n);
}

#define PE_OFF 0x40
#define OPT_OFF (PE_OFF + 24)
#define DIR4 (OPT_OFF + 112 + 4 * 8)
#define SIG_OFF 0x200

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A PE32+ header; with nsig > 0, that many WIN_CERTIFICATEs at SIG_OFF.
 * Returns the file's size. */
static size_t make_pe(uint8_t *f, int nsig)
{
	memset(f, 0, 8192);
	f[0] = 'M';
	f[1] = 'Z';
	put32(f + 0x3c, PE_OFF);
	memcpy(f + PE_OFF, "PE\0\0", 4);
	f[PE_OFF + 20] = 240; /* SizeOfOptionalHeader */
	f[OPT_OFF] = 0x0b;
	f[OPT_OFF + 1] = 0x02;
	put32(f + OPT_OFF + 108, 16);
	size_t at = SIG_OFF;
	for (int i = 0; i < nsig; i++) {
		struct buf p = { .n = 0 };
		pkcs7(&p);
		put32(f + at, (uint32_t)(8 + p.n));
		f[at + 4] = 0x00;
		f[at + 5] = 0x02;
		f[at + 6] = 0x02;
		memcpy(f + at + 8, p.b, p.n);
		at += (8 + p.n + 7) & ~(size_t)7;
	}
	if (nsig) {
		put32(f + DIR4, SIG_OFF);
		put32(f + DIR4 + 4, (uint32_t)(at - SIG_OFF));
	}
	return nsig ? at : SIG_OFF;
}

static uint8_t file[8192];
static char subject[256], why[128];

static int sigs(size_t n)
{
	return pe_signatures(file, n, subject, sizeof subject, why, sizeof why);
}

static void unsigned_pe(void)
{
	size_t n = make_pe(file, 0);
	T_EQ(sigs(n), 0);
	T_EQ(subject[0], 0);
}

static void signer_found(void)
{
	size_t n = make_pe(file, 1);
	T_EQ(sigs(n), 1);
	/* The second certificate is the signer's: not simply the first one. */
	T_CHECK(!strcmp(subject, "O=Example Org, CN=Test Signer"));
	n = make_pe(file, 2);
	T_EQ(sigs(n), 2);
}

static void not_pe(void)
{
	size_t n = make_pe(file, 0);
	file[0] = 'X';
	T_EQ(sigs(n), -1);
	T_CHECK(strstr(why, "MZ") != NULL);
	make_pe(file, 0);
	put32(file + 0x3c, 0xfffffff0);
	T_EQ(sigs(n), -1);
	T_CHECK(strstr(why, "PE header") != NULL);
}

static void bad_directory(void)
{
	size_t n = make_pe(file, 1);
	put32(file + DIR4 + 4, 0xfffffff0); /* size past the end (and wrapping) */
	T_EQ(sigs(n), -1);
	make_pe(file, 1);
	put32(file + DIR4, 0xffffffff);
	T_EQ(sigs(n), -1);
	make_pe(file, 1);
	put32(file + SIG_OFF, 0); /* dwLength 0: would loop forever */
	T_EQ(sigs(n), -1);
	make_pe(file, 1);
	put32(file + SIG_OFF, 0x10000); /* past the directory */
	T_EQ(sigs(n), -1);
	T_CHECK(strstr(why, "certificate entry") != NULL);
}

/* Every prefix of the file and every byte of the signature changed: the
 * answer is some count or -1, never a read outside the buffer (ASan). */
static void hostile_bytes(void)
{
	size_t n = make_pe(file, 1);
	static uint8_t copy[8192];
	memcpy(copy, file, n);
	for (size_t len = 0; len < n; len++) {
		uint8_t *b = malloc(len ? len : 1);
		memcpy(b, copy, len);
		int k = pe_signatures(b, len, subject, sizeof subject, why, sizeof why);
		T_CHECK(k == -1 || k == 0);
		free(b);
	}
	static const uint8_t vals[] = { 0x00, 0x80, 0xff, 0x84 };
	for (size_t i = SIG_OFF; i < n; i++)
		for (size_t v = 0; v < sizeof vals; v++) {
			uint8_t *b = malloc(n);
			memcpy(b, copy, n);
			b[i] = vals[v];
			int k = pe_signatures(b, n, subject, sizeof subject, why, sizeof why);
			T_CHECK(k >= -1 && k <= 1);
			T_CHECK(strlen(subject) < sizeof subject);
			free(b);
		}
}

int main(void)
{
	T_RUN(unsigned_pe);
	T_RUN(signer_found);
	T_RUN(not_pe);
	T_RUN(bad_directory);
	T_RUN(hostile_bytes);
	return T_END();
}
