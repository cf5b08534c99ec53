/* SPDX-License-Identifier: MIT */
/*
 * source_pxe.c - the "network" file source (source.h) of the UEFI front end:
 * files over TFTP through the EFI_PXE_BASE_CODE_PROTOCOL of the device this
 * image was loaded from (the firmware's PXE boot).  The server is the one
 * the firmware's DHCP named (proxy offer, else the DHCP ACK), the directory
 * that of the boot file it fetched us as.  Boot services must be up.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#include <efi.h>
#pragma GCC diagnostic pop

#include "core.h"
#include "dhcp.h"
#include "source.h"
#include "uefi.h"

#define TFTP_BLOCK 1432 /* largest block that fits a 1500-byte frame */

static EFI_GUID pxe_guid = EFI_PXE_BASE_CODE_PROTOCOL_GUID;

static EFI_PXE_BASE_CODE_PROTOCOL *pxe;
static EFI_IP_ADDRESS server;
static char server_str[16], place[40];
static char dir[128]; /* directory of the boot file, with its '/' */

static int full_path(const char *name, UINT8 *out, size_t cap)
{
	size_t dl = strlen(dir), nl = strlen(name);
	if (dl + nl + 1 > cap)
		return eb_error("network: path '%s%s' is too long", dir, name);
	memcpy(out, dir, dl);
	memcpy(out + dl, name, nl + 1);
	return EB_OK;
}

/* A TFTP error packet shows only in Mode.  Code 1 is "file not found"
 * (RFC 1350), but edk2 keeps the low byte of the big-endian code (0 for 1),
 * so code 0 (undefined) counts as well when the text says so, as QEMU's and
 * dnsmasq's servers do ("File not found", "file /x not found"). */
static int has_word(const CHAR8 *s, const char *w)
{
	size_t wl = strlen(w);
	for (size_t i = 0; i + wl <= 127 && s[i]; i++) {
		size_t k = 0;
		while (k < wl && (s[i + k] | 0x20) == w[k])
			k++;
		if (k == wl)
			return 1;
	}
	return 0;
}

static int tftp_not_found(EFI_STATUS s)
{
	if (s == EFI_NOT_FOUND) /* iPXE's base code: no error packet in Mode */
		return 1;
	if (s != EFI_TFTP_ERROR || !pxe->Mode->TftpErrorReceived)
		return 0;
	const EFI_PXE_BASE_CODE_TFTP_ERROR *e = &pxe->Mode->TftpError;
	return e->ErrorCode == 1 ||
	       (e->ErrorCode == 0 && (has_word(e->ErrorString, "not found") ||
				      has_word(e->ErrorString, "no such file")));
}

static int why(EFI_STATUS s, const char *what, const char *name, uint64_t bytes)
{
	if (s == EFI_TIMEOUT || s == EFI_NO_RESPONSE)
		return eb_error("network: TFTP server %s did not answer %s '%s%s' (status %s)",
				server_str, what, dir, name, efi_status(s));
	if (s == EFI_TFTP_ERROR && pxe->Mode->TftpErrorReceived) {
		char msg[128];
		size_t n = 0;
		while (n < sizeof msg - 1 && n < 127 && pxe->Mode->TftpError.ErrorString[n]) {
			char c = (char)pxe->Mode->TftpError.ErrorString[n];
			msg[n++] = c >= 0x20 && c < 0x7f ? c : '?';
		}
		msg[n] = 0;
		return eb_error("network: TFTP server %s refused %s '%s%s': error %u '%s'", server_str,
				what, dir, name, pxe->Mode->TftpError.ErrorCode, msg);
	}
	if (s == EFI_BUFFER_TOO_SMALL)
		return eb_error("network: '%s%s' on TFTP server %s is longer than the %lu bytes it "
				"had when its size was asked", dir, name, server_str, bytes);
	return eb_error("network: %s '%s%s' from TFTP server %s failed (status %s)", what, dir,
			name, server_str, efi_status(s));
}

/* iPXE's EFI base code (QEMU's NIC option ROMs) does TFTP_READ_FILE only:
 * no GET_FILE_SIZE, and it reports neither the length it wrote nor a file
 * shorter than the buffer.  It does refuse a buffer smaller than the file
 * at once (when the server's tsize comes).  So in that mode size() fetches
 * the whole file into a buffer doubled until it fits, twice (first into
 * zeros, then into 0xff bytes): the file ends after the last byte that
 * differs from the fill in either pass, exactly.  read() then copies it. */
static int whole_file;
static struct {
	char name[64];
	EFI_PHYSICAL_ADDRESS addr;
	UINTN pages;
	uint64_t len;
} stash;

static void stash_free(void)
{
	if (stash.pages)
		uefi_call_wrapper(bs->FreePages, 2, stash.addr, stash.pages);
	stash.pages = 0;
	stash.name[0] = 0;
}

static EFI_STATUS fetch(UINT8 *path, void *buf, uint64_t cap)
{
	UINT64 size = cap;
	UINTN block = TFTP_BLOCK;
	return uefi_call_wrapper(pxe->Mtftp, 10, pxe, EFI_PXE_BASE_CODE_TFTP_READ_FILE, buf, FALSE,
				 &size, &block, &server, path, NULL, FALSE);
}

static uint64_t last_unlike(const uint8_t *b, uint64_t n, uint8_t fill)
{
	while (n && b[n - 1] == fill)
		n--;
	return n;
}

static int whole_size(const char *name, UINT8 *path, uint64_t *bytes)
{
	stash_free();
	for (uint64_t cap = 64 * 1024;; cap *= 2) {
		if (cap > (1ull << 40))
			return eb_error("network: '%s%s' on TFTP server %s did not fit in 1 TiB", dir, name,
					server_str);
		EFI_PHYSICAL_ADDRESS a = 0;
		UINTN pages = cap / EB_PAGE;
		EFI_STATUS s = uefi_call_wrapper(bs->AllocatePages, 4, AllocateAnyPages, EfiLoaderData,
						 pages, &a);
		if (EFI_ERROR(s))
			return eb_error("network: no memory for '%s%s' from TFTP server %s: it is more "
					"than %lu bytes (status %s)", dir, name, server_str, cap / 2,
					efi_status(s));
		uint8_t *buf = (uint8_t *)(uintptr_t)a;
		memset(buf, 0, cap);
		s = fetch(path, buf, cap);
		if (s == EFI_BUFFER_TOO_SMALL) {
			uefi_call_wrapper(bs->FreePages, 2, a, pages);
			continue;
		}
		uint64_t len = 0;
		if (!EFI_ERROR(s)) {
			len = last_unlike(buf, cap, 0);
			memset(buf, 0xff, cap);
			s = fetch(path, buf, cap);
			uint64_t l2 = last_unlike(buf, cap, 0xff);
			len = l2 > len ? l2 : len;
		}
		if (EFI_ERROR(s)) {
			uefi_call_wrapper(bs->FreePages, 2, a, pages);
			if (tftp_not_found(s))
				return EB_NOTFOUND;
			return why(s, "the transfer of", name, cap);
		}
		size_t n = strlen(name);
		if (n < sizeof stash.name) {
			memcpy(stash.name, name, n + 1);
			stash.addr = a;
			stash.pages = pages;
			stash.len = len;
		} else {
			uefi_call_wrapper(bs->FreePages, 2, a, pages);
		}
		*bytes = len;
		return EB_OK;
	}
}

static int net_size(const char *name, uint64_t *bytes)
{
	UINT8 path[128];
	if (full_path(name, path, sizeof path))
		return EB_ERR;
	if (whole_file)
		return whole_size(name, path, bytes);
	UINT64 size = 0;
	UINTN block = TFTP_BLOCK;
	EFI_STATUS s = uefi_call_wrapper(pxe->Mtftp, 10, pxe, EFI_PXE_BASE_CODE_TFTP_GET_FILE_SIZE,
					 NULL, FALSE, &size, &block, &server, path, NULL, FALSE);
	if (s == EFI_UNSUPPORTED) {
		eb_log(EB_LOG_DEBUG, "elfboot: the PXE base code cannot size files (iPXE?): each "
				     "file is fetched whole, twice\r\n");
		whole_file = 1;
		return whole_size(name, path, bytes);
	}
	if (tftp_not_found(s))
		return EB_NOTFOUND;
	if (EFI_ERROR(s))
		return why(s, "the size of", name, 0);
	*bytes = size;
	return EB_OK;
}

static int net_read(const char *name, void *dst, uint64_t bytes)
{
	UINT8 path[128];
	if (full_path(name, path, sizeof path))
		return EB_ERR;
	if (whole_file && stash.pages && strcmp(stash.name, name) == 0) {
		int ok = stash.len == bytes;
		if (ok)
			memcpy(dst, (const void *)(uintptr_t)stash.addr, bytes);
		stash_free();
		if (!ok)
			return eb_error("network: '%s%s' is %lu bytes, not the %lu asked for", dir, name,
					stash.len, bytes);
		return EB_OK;
	}
	UINT64 size = bytes;
	UINTN block = TFTP_BLOCK;
	/* One call for the whole file: the firmware runs the transfer (block
	 * size negotiation, block-number rollover) into our pages. */
	EFI_STATUS s = uefi_call_wrapper(pxe->Mtftp, 10, pxe, EFI_PXE_BASE_CODE_TFTP_READ_FILE, dst,
					 FALSE, &size, &block, &server, path, NULL, FALSE);
	if (tftp_not_found(s))
		return eb_error("network: '%s%s' not found on TFTP server %s", dir, name, server_str);
	if (EFI_ERROR(s))
		return why(s, "the transfer of", name, bytes);
	if (size != bytes)
		return eb_error("network: transfer of '%s%s' from TFTP server %s cut short: %lu of %lu "
				"bytes", dir, name, server_str, (uint64_t)size, bytes);
	return EB_OK;
}

static char medium[48];
/* Filled in at run time: no load-time relocation (source_fs.c). */
static struct file_source pxe_source;

const char *source_pxe_place(void)
{
	return place;
}

int source_pxe_open(const struct file_source **out)
{
	EFI_LOADED_IMAGE *li;
	EFI_STATUS s = uefi_call_wrapper(bs->HandleProtocol, 3, image, &loaded_image_guid,
					 (void **)&li);
	if (EFI_ERROR(s))
		return EB_NOTFOUND;
	s = uefi_call_wrapper(bs->HandleProtocol, 3, li->DeviceHandle, &pxe_guid, (void **)&pxe);
	if (EFI_ERROR(s) || !pxe || !pxe->Mode)
		return EB_NOTFOUND;
	EFI_PXE_BASE_CODE_MODE *m = pxe->Mode;
	if (!m->Started || m->UsingIpv6)
		return eb_error("network: booted over the network, but the PXE base code is %s",
				m->Started ? "on IPv6 (only IPv4 TFTP is supported)" : "stopped");
	/* The packet that named the boot server: a PXE boot-server reply, a
	 * proxyDHCP offer, else the DHCP ACK itself. */
	const EFI_PXE_BASE_CODE_PACKET *pk[3] = {
		m->PxeReplyReceived ? &m->PxeReply : NULL,
		m->ProxyOfferReceived ? &m->ProxyOffer : NULL,
		m->DhcpAckReceived ? &m->DhcpAck : NULL,
	};
	struct dhcp_boot db;
	int found = 0;
	eb_error("no DHCP packet kept");
	for (int i = 0; i < 3 && !found; i++)
		found = pk[i] && dhcp_boot_parse(pk[i]->Raw, sizeof pk[i]->Raw, &db) == EB_OK;
	if (!found) {
		char why[160]; /* eb_error writes where eb_last_error points */
		eb_snprintf(why, sizeof why, "%s", eb_last_error());
		return eb_error("network: the PXE base code holds no DHCP answer naming a TFTP "
				"server (%s)", why);
	}
	memset(&server, 0, sizeof server);
	memcpy(server.v4.Addr, db.server, 4);
	memcpy(dir, db.dir, sizeof dir);
	eb_snprintf(server_str, sizeof server_str, "%u.%u.%u.%u", db.server[0], db.server[1],
		    db.server[2], db.server[3]);
	eb_snprintf(place, sizeof place, "on TFTP server %s", server_str);
	/* source_load() starts its lines with the medium: name the server */
	eb_snprintf(medium, sizeof medium, "network: TFTP server %s", server_str);
	eb_log(EB_LOG_INFO, "elfboot: network boot: TFTP server %s, directory '%s'\r\n", server_str,
	       dir);
	pxe_source.medium = medium;
	pxe_source.size = net_size;
	pxe_source.read = net_read;
	*out = &pxe_source;
	return EB_OK;
}
