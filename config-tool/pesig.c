/* SPDX-License-Identifier: MIT */
/*
 * pesig.c - reads the Authenticode signatures of a PE image (BOOTX64.EFI)
 * for `image-info`: the security directory's WIN_CERTIFICATE entries, and
 * the signer's certificate subject from the first PKCS#7 SignedData.  The
 * file is hostile: every offset and DER length is checked against what is
 * left before it is used.  No crypto: this says who signed, not whether the
 * signature holds (the firmware decides that).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tool.h"

#define WIN_CERT_TYPE_PKCS_SIGNED_DATA 2
#define PE_MAX_CERTS 64 /* a bound on the walk; real loaders carry 1-3 */

static uint32_t le16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
	return le16(p) | le16(p + 2) << 16;
}

/* A DER value: its tag and contents, inside the bytes still unread. */
struct der {
	const uint8_t *p;
	size_t n;
};

/* Takes the next TLV from d into tag/val; 0, or -1 if it does not fit.
 * Only definite lengths of up to 4 bytes and one-byte tags (DER). */
static int der_next(struct der *d, uint8_t *tag, struct der *val)
{
	if (d->n < 2 || (d->p[0] & 0x1f) == 0x1f)
		return -1;
	size_t i = 2, len = d->p[1];
	if (len & 0x80) {
		size_t k = len & 0x7f;
		if (k < 1 || k > 4 || d->n < 2 + k)
			return -1;
		len = 0;
		for (size_t j = 0; j < k; j++)
			len = len << 8 | d->p[2 + j];
		i += k;
	}
	if (len > d->n - i)
		return -1;
	*tag = d->p[0];
	val->p = d->p + i;
	val->n = len;
	d->p += i + len;
	d->n -= i + len;
	return 0;
}

/* The next TLV, which must carry tag want. */
static int der_want(struct der *d, uint8_t want, struct der *val)
{
	uint8_t tag;
	return der_next(d, &tag, val) || tag != want ? -1 : 0;
}

/* Appends to out (size on), always terminated, cut if full. */
static void put(char *out, size_t on, const char *s, size_t n)
{
	size_t have = strlen(out);
	while (n-- && have + 1 < on) {
		unsigned char c = (unsigned char)*s++;
		out[have++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	out[have] = 0;
}

static const struct {
	uint8_t len, oid[9];
	const char *name;
} attr_names[] = {
	{ 3, { 0x55, 0x04, 0x03 }, "CN" },	{ 3, { 0x55, 0x04, 0x06 }, "C" },
	{ 3, { 0x55, 0x04, 0x07 }, "L" },	{ 3, { 0x55, 0x04, 0x08 }, "ST" },
	{ 3, { 0x55, 0x04, 0x0a }, "O" },	{ 3, { 0x55, 0x04, 0x0b }, "OU" },
	{ 9, { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01 }, "emailAddress" },
};

/* An attribute type: its short name, else the dotted OID. */
static void put_oid(char *out, size_t on, struct der oid)
{
	for (size_t i = 0; i < sizeof attr_names / sizeof attr_names[0]; i++)
		if (oid.n == attr_names[i].len && !memcmp(oid.p, attr_names[i].oid, oid.n)) {
			put(out, on, attr_names[i].name, strlen(attr_names[i].name));
			return;
		}
	char num[24];
	unsigned long long v = 0;
	int first = 1; /* the first arc pair is packed in one number: 40 * x + y */
	for (size_t i = 0; i < oid.n; i++) {
		if (v >> 56) { /* an arc past 64 bits */
			put(out, on, "?", 1);
			return;
		}
		v = v << 7 | (oid.p[i] & 0x7f);
		if (oid.p[i] & 0x80)
			continue;
		if (first)
			snprintf(num, sizeof num, "%llu.%llu", v < 80 ? v / 40 : 2,
				 v < 80 ? v % 40 : v - 80);
		else
			snprintf(num, sizeof num, ".%llu", v);
		put(out, on, num, strlen(num));
		first = 0;
		v = 0;
	}
}

/* A Name (SEQUENCE of SETs of type/value pairs) as "C=US, O=Example". */
static int name_text(struct der name, char *out, size_t on)
{
	out[0] = 0;
	int n = 0;
	while (name.n) {
		struct der rdn, atv, oid, val;
		uint8_t tag;
		if (der_want(&name, 0x31, &rdn))
			return -1;
		while (rdn.n) {
			if (der_want(&rdn, 0x30, &atv) || der_want(&atv, 0x06, &oid) ||
			    der_next(&atv, &tag, &val))
				return -1;
			if (n++)
				put(out, on, ", ", 2);
			put_oid(out, on, oid);
			put(out, on, "=", 1);
			if (tag == 0x1e) { /* BMPString: UCS-2, the low bytes */
				for (size_t i = 1; i < val.n; i += 2)
					put(out, on, (const char *)val.p + i, 1);
			} else {
				put(out, on, (const char *)val.p, val.n);
			}
		}
	}
	return 0;
}

/* A certificate's serial number, issuer and subject (raw DER). */
static int cert_fields(struct der cert, struct der *serial, struct der *issuer,
		       struct der *subject)
{
	struct der c, tbs, skip;
	uint8_t tag;
	if (der_want(&cert, 0x30, &c) || der_want(&c, 0x30, &tbs))
		return -1;
	struct der peek = tbs;
	if (der_next(&peek, &tag, &skip))
		return -1;
	if (tag == 0xa0) /* [0] version */
		tbs = peek;
	return der_want(&tbs, 0x02, serial) || der_want(&tbs, 0x30, &skip) ||
			       der_want(&tbs, 0x30, issuer) || der_want(&tbs, 0x30, &skip) ||
			       der_want(&tbs, 0x30, subject)
		       ? -1
		       : 0;
}

static int same(struct der a, struct der b)
{
	return a.n == b.n && !memcmp(a.p, b.p, a.n);
}

/* The signer's subject of a PKCS#7 SignedData (ContentInfo): the
 * certificate whose issuer and serial number the first SignerInfo names,
 * else the first certificate. */
static int signer_subject(struct der ci, char *out, size_t on)
{
	static const uint8_t signed_data[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7,
					       0x0d, 0x01, 0x07, 0x02 };
	struct der seq, oid, ex, sd, skip, certs = { NULL, 0 }, infos, si, sid, iss, ser;
	uint8_t tag;
	if (der_want(&ci, 0x30, &seq) || der_want(&seq, 0x06, &oid) ||
	    oid.n != sizeof signed_data || memcmp(oid.p, signed_data, oid.n) ||
	    der_want(&seq, 0xa0, &ex) || der_want(&ex, 0x30, &sd) || der_want(&sd, 0x02, &skip) ||
	    der_want(&sd, 0x31, &skip) || der_want(&sd, 0x30, &skip))
		return -1;
	for (;;) {
		if (der_next(&sd, &tag, &infos))
			return -1;
		if (tag == 0xa0)
			certs = infos;
		else if (tag != 0xa1)
			break;
	}
	if (tag != 0x31 || !certs.n)
		return -1;
	int have_sid = !der_want(&infos, 0x30, &si) && !der_want(&si, 0x02, &skip) &&
		       !der_want(&si, 0x30, &sid) && !der_want(&sid, 0x30, &iss) &&
		       !der_want(&sid, 0x02, &ser);
	struct der first = { NULL, 0 };
	while (certs.n) {
		struct der one = certs, cser, ciss, csub;
		if (der_next(&certs, &tag, &skip))
			return -1;
		one.n -= certs.n; /* just this certificate's TLV */
		if (cert_fields(one, &cser, &ciss, &csub))
			return -1;
		if (!first.p)
			first = csub;
		if (have_sid && same(cser, ser) && same(ciss, iss))
			return name_text(csub, out, on);
	}
	return name_text(first, out, on);
}

int pe_signatures(const uint8_t *b, size_t n, char *subject, size_t sn, char *why, size_t wn)
{
	subject[0] = why[0] = 0;
	if (n < 0x40 || b[0] != 'M' || b[1] != 'Z')
		return snprintf(why, wn, "no MZ header"), -1;
	uint32_t pe = le32(b + 0x3c);
	if (pe > n - 24 || memcmp(b + pe, "PE\0\0", 4))
		return snprintf(why, wn, "no PE header at 0x%x", pe), -1;
	size_t opt = (size_t)pe + 24, optlen = le16(b + pe + 20);
	if (optlen > n - opt || optlen < 2)
		return snprintf(why, wn, "optional header of %zu bytes past the file's end", optlen),
		       -1;
	uint32_t magic = le16(b + opt);
	size_t count_at = magic == 0x20b ? 108 : magic == 0x10b ? 92 : 0;
	if (!count_at)
		return snprintf(why, wn, "optional header magic 0x%x", magic), -1;
	/* Data directory 4 (security) must lie inside the optional header. */
	if (count_at + 4 + 5 * 8 > optlen || le32(b + opt + count_at) < 5)
		return 0; /* no security directory: unsigned */
	const uint8_t *dir = b + opt + count_at + 4 + 4 * 8;
	uint32_t off = le32(dir), size = le32(dir + 4); /* a file offset, not an RVA */
	if (!off && !size)
		return 0;
	if (off > n || size > n - off || size < 8)
		return snprintf(why, wn, "security directory 0x%x+0x%x outside the %zu-byte file",
				off, size, n), -1;
	int count = 0;
	size_t at = off, end = (size_t)off + size;
	while (end - at >= 8) {
		uint32_t len = le32(b + at), type = le16(b + at + 6);
		if (len < 8 || len > end - at)
			return snprintf(why, wn, "certificate entry at 0x%zx of %u bytes (%zu left)",
					at, len, end - at), -1;
		if (count == PE_MAX_CERTS)
			return snprintf(why, wn, "more than %d certificate entries", PE_MAX_CERTS), -1;
		if (type == WIN_CERT_TYPE_PKCS_SIGNED_DATA && !count++) {
			struct der ci = { b + at + 8, len - 8 };
			if (signer_subject(ci, subject, sn))
				snprintf(subject, sn, "? (PKCS#7 data not understood)");
		}
		at += (len + 7u) & ~(size_t)7; /* entries are 8-byte aligned */
		if (at > end)
			break;
	}
	return count;
}
