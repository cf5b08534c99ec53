/* SPDX-License-Identifier: MIT */
/*
 * dhcp.c - dhcp_boot_parse(): the TFTP server and boot file out of a
 * DHCP/BOOTP packet the firmware kept.  Servers put the boot file in the
 * BOOTP file field or in option 67 (dnsmasq uses 67 when the client asks
 * for it, as UEFI clients do), so both are read.  The packet came from the
 * network: every option length is checked against the packet's end.
 */
#include "core.h"
#include "dhcp.h"

#define BOOTP_MIN ((size_t)sizeof(struct bootp_header))
#define BOOTP_OPTIONS BOOTP_MIN /* magic cookie, then options */

/* The first instance of option `code` in opts[0..len): its bytes and
 * length, or NULL.  Stops at the end option or where a length overruns. */
static const uint8_t *find_option(const uint8_t *opts, size_t len, uint8_t code, size_t *olen)
{
	size_t i = 0;
	while (i < len) {
		uint8_t c = opts[i];
		if (c == 255)
			break;
		if (c == 0) {
			i++;
			continue;
		}
		if (i + 1 >= len || i + 2 + opts[i + 1] > len)
			break; /* truncated option: ignore the rest */
		if (c == code) {
			*olen = opts[i + 1];
			return opts + i + 2;
		}
		i += 2 + (size_t)opts[i + 1];
	}
	return NULL;
}

/* True if DHCP's magic cookie (99.130.83.99) follows the BOOTP header. */
static int has_cookie(const uint8_t *pkt, size_t len)
{
	static const uint8_t cookie[4] = { 99, 130, 83, 99 };
	return len >= BOOTP_OPTIONS + 4 && memcmp(pkt + BOOTP_OPTIONS, cookie, 4) == 0;
}

/* Looks in the options area, then in the fields option 52 lends it. */
static const uint8_t *option(const uint8_t *pkt, size_t len, uint8_t code, size_t *olen)
{
	const struct bootp_header *h = (const struct bootp_header *)pkt;
	if (!has_cookie(pkt, len))
		return NULL;
	const uint8_t *opts = pkt + BOOTP_OPTIONS + 4;
	size_t n = len - BOOTP_OPTIONS - 4, ol = 0;
	const uint8_t *o = find_option(opts, n, code, olen);
	if (o)
		return o;
	const uint8_t *ov = find_option(opts, n, 52, &ol);
	uint8_t overload = ov && ol == 1 ? ov[0] : 0;
	if ((overload & 1) && (o = find_option(h->file, sizeof h->file, code, olen)))
		return o;
	if ((overload & 2) && (o = find_option(h->sname, sizeof h->sname, code, olen)))
		return o;
	return NULL;
}

static int file_overloaded(const uint8_t *pkt, size_t len)
{
	size_t ol = 0;
	if (!has_cookie(pkt, len))
		return 0;
	const uint8_t *ov = find_option(pkt + BOOTP_OPTIONS + 4, len - BOOTP_OPTIONS - 4, 52, &ol);
	return ov && ol == 1 && (ov[0] & 1);
}

int dhcp_boot_parse(const uint8_t *pkt, size_t len, struct dhcp_boot *out)
{
	memset(out, 0, sizeof *out);
	if (len < BOOTP_MIN)
		return eb_error("dhcp: packet of %lu bytes, shorter than a BOOTP header (%lu)",
				(uint64_t)len, (uint64_t)BOOTP_MIN);
	const struct bootp_header *h = (const struct bootp_header *)pkt;
	memcpy(out->server, h->siaddr, 4);
	size_t ol = 0;
	const uint8_t *o;
	if (!(out->server[0] | out->server[1] | out->server[2] | out->server[3]) &&
	    (o = option(pkt, len, 54, &ol)) && ol == 4)
		memcpy(out->server, o, 4);
	const uint8_t *name = NULL;
	size_t n = 0;
	if ((o = option(pkt, len, 67, &ol))) {
		name = o;
		n = ol;
	} else if (!file_overloaded(pkt, len)) {
		name = h->file;
		n = sizeof h->file;
	}
	size_t k = 0;
	while (name && k < n && k < DHCP_FILE_MAX - 1 && name[k]) {
		if (name[k] < 0x20 || name[k] > 0x7e)
			return eb_error("dhcp: boot file name has byte 0x%x at offset %lu", name[k],
					(uint64_t)k);
		out->file[k] = (char)name[k];
		k++;
	}
	if (name && k == DHCP_FILE_MAX - 1 && k < n && name[k])
		return eb_error("dhcp: boot file name longer than %d bytes", DHCP_FILE_MAX - 1);
	size_t slash = 0;
	for (size_t i = 0; i < k; i++)
		if (out->file[i] == '/')
			slash = i + 1;
	memcpy(out->dir, out->file, slash);
	if (!(out->server[0] | out->server[1] | out->server[2] | out->server[3]))
		return eb_error("dhcp: no TFTP server (siaddr 0.0.0.0 and no option 54)");
	return EB_OK;
}
