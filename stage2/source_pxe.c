/* SPDX-License-Identifier: MIT */
/*
 * source_pxe.c - files from the network on BIOS: the PXE ROM's TFTP calls
 * (TFTP_GET_FSIZE, then TFTP_READ_FILE, or TFTP_OPEN / TFTP_READ /
 * TFTP_CLOSE block by block), reached by far calls through the real-mode
 * thunk.  Expects the PXENV+ and !PXE pointers the PXE stage (stage1/pxe.asm)
 * handed over; the server and the directory of the boot file come from the
 * DHCP packet the ROM cached.
 */
#include "core.h"
#include "dhcp.h"
#include "source.h"
#include "pxe.h"
#include "stage2.h"

#define PXE_TFTP_NOT_FOUND 0x3b
#define PXE_PACKET_SIZE 1432 /* largest block that fits a 1500-byte frame */

static uint32_t api_entry;  /* segment:offset */
static int api_bang;        /* 1: !PXE (stack arguments), 0: PXENV+ (bx, es:di) */
static uint8_t server_ip[4], gateway_ip[4];
static char server_str[16], place[40];
static char dir[128];       /* directory of the boot file, with its '/' */

static void *low(uint32_t segoff)
{
	uint64_t a = ((uint64_t)(segoff >> 16) << 4) + (segoff & 0xffff);
	__asm__("" : "+r"(a));
	return (void *)(uintptr_t)a;
}

static int sum_ok(const uint8_t *p, unsigned len)
{
	uint8_t s = 0;
	for (unsigned i = 0; i < len; i++)
		s = (uint8_t)(s + p[i]);
	return s == 0;
}

/* One PXE API call with its parameter block in low memory (below 64 KiB:
 * segment 0).  Returns the block's Status word (0 = success). */
static uint16_t pxe_call(uint16_t op, void *param)
{
	uint16_t off = (uint16_t)(uintptr_t)param;
	struct bios_regs r = { 0 };
	if (api_bang) {
		uint16_t args[3] = { op, off, 0 };
		bios_far(api_entry, args, 3, &r);
	} else {
		r.ebx = op;
		r.es = 0;
		r.edi = off;
		bios_far(api_entry, NULL, 0, &r);
	}
	uint16_t status;
	memcpy(&status, param, 2);
	/* AX = PXENV_EXIT_SUCCESS (0) is the call's verdict; a stack that says
	 * failure with a zero Status still failed. */
	if ((r.eax & 0xffff) != 0 && status == 0)
		status = 0x01; /* PXENV_STATUS_FAILURE */
	return status;
}

static const char *status_name(uint16_t s)
{
	switch (s) {
	case 0x01: return "failure";
	case 0x03: return "unsupported, or an error packet from the server";
	case 0x06: return "out of resources (file longer than when sized?)";
	case 0x10: return "ARP timeout";
	case 0x32: return "cannot ARP the server";
	case 0x33: return "open timeout";
	case 0x35: return "read timeout";
	case 0x36: return "TFTP error";
	case 0x38: return "cannot open connection";
	case 0x39: return "cannot read from connection";
	case 0x3b: return "file not found";
	case 0x3c: return "access violation";
	case 0x3e: return "no file size (tsize) from the server";
	case 0x3f: return "invalid packet size";
	default: return "error";
	}
}

static int pxe_init(uint32_t pxenv, uint32_t bang)
{
	const struct pxe_bang *p = bang ? low(bang) : NULL;
	if (p && memcmp(p->signature, "!PXE", 4) == 0 && p->length >= sizeof *p &&
	    sum_ok((const uint8_t *)p, p->length)) {
		api_entry = p->entry_sp;
		api_bang = 1;
	} else {
		const struct pxenv_plus *v = pxenv ? low(pxenv) : NULL;
		if (!v || memcmp(v->signature, "PXENV+", 6) != 0 || v->length < sizeof *v ||
		    !sum_ok((const uint8_t *)v, v->length))
			return eb_error("network: no valid !PXE or PXENV+ structure (given %x:%x and "
					"%x:%x); booted by a PXE ROM?", bang >> 16, bang & 0xffff,
					pxenv >> 16, pxenv & 0xffff);
		api_entry = v->rm_entry;
		api_bang = 0;
	}
	/* The packets the ROM booted from name the server and the NBP (whose
	 * directory holds our other files): a proxyDHCP / boot-server reply
	 * when there is one, else the DHCP ACK. */
	int found = 0;
	eb_error("the ROM kept no DHCP packet");
	for (uint16_t type = 3; type >= 2 && !found; type--) {
		struct pxe_get_cached_info *c = (struct pxe_get_cached_info *)bios_scratch;
		memset(c, 0, sizeof *c);
		c->packet_type = type;
		/* BufferSize 0: the ROM returns a pointer to its own copy */
		uint16_t st = pxe_call(PXENV_GET_CACHED_INFO, c);
		uint16_t size = c->buffer_size, off = c->buffer_off, seg = c->buffer_seg;
		if (st || (!off && !seg))
			continue;
		struct dhcp_boot db;
		if (dhcp_boot_parse(low((uint32_t)seg << 16 | off), size < 1472 ? size : 1472, &db))
			continue;
		memcpy(server_ip, db.server, 4);
		memcpy(dir, db.dir, sizeof dir);
		/* giaddr: the relay agent, the PXE API's "gateway" for TFTP */
		const struct bootp_header *h = low((uint32_t)seg << 16 | off);
		if (size >= ELFBOOT_OFFSETOF(struct bootp_header, giaddr) + sizeof h->giaddr)
			memcpy(gateway_ip, h->giaddr, 4);
		found = 1;
	}
	if (!found) {
		char why[160]; /* eb_error writes where eb_last_error points */
		eb_snprintf(why, sizeof why, "%s", eb_last_error());
		return eb_error("network: the PXE ROM's cached DHCP packets name no TFTP server (%s)",
				why);
	}
	eb_snprintf(server_str, sizeof server_str, "%u.%u.%u.%u", server_ip[0], server_ip[1],
		    server_ip[2], server_ip[3]);
	eb_log(EB_LOG_INFO, "elfboot: network boot: TFTP server %s, directory '%s', %s API\r\n",
	       server_str, dir, api_bang ? "!PXE" : "PXENV+");
	return EB_OK;
}


/* The TFTP_OPEN / TFTP_GET_FSIZE head: status, server, gateway, file name. */
static int fill_name(struct pxe_tftp_name *b, const char *name)
{
	size_t dl = strlen(dir), nl = strlen(name);
	if (dl + nl + 1 > sizeof b->file)
		return eb_error("network: path '%s%s' is longer than PXE's 127 bytes", dir, name);
	memset(b, 0, sizeof *b);
	memcpy(b->server_ip, server_ip, 4);
	memcpy(b->gateway_ip, gateway_ip, 4);
	memcpy(b->file, dir, dl);
	memcpy(b->file + dl, name, nl);
	return EB_OK;
}

static int pxe_size(const char *name, uint64_t *bytes)
{
	struct pxe_tftp_get_fsize *b = (struct pxe_tftp_get_fsize *)bios_scratch;
	b->file_size = 0;
	if (fill_name(&b->name, name))
		return EB_ERR;
	uint16_t st = pxe_call(PXENV_TFTP_GET_FSIZE, b);
	if (st == PXE_TFTP_NOT_FOUND)
		return EB_NOTFOUND;
	if (st)
		return eb_error("network: cannot get the size of '%s%s' from TFTP server %s (PXE "
				"status 0x%x, %s)", dir, name, server_str, st, status_name(st));
	*bytes = b->file_size;
	return EB_OK;
}

/* The whole file in one call straight into dst (below 4 GiB: the call takes
 * a 32-bit physical address); the ROM runs the transfer.  EB_NOTFOUND: the
 * ROM does not offer the call, or cannot prove the file came whole; the
 * caller then reads it block by block, counting every byte.
 * The proof: iPXE reports the server's tsize as the length read, even when
 * the server's data ended early (a file cut while it was sent), so the
 * file's last byte is preset to TAIL_MARK: still TAIL_MARK afterwards means
 * a short transfer, or a file that really ends in that byte (1 in 256 for
 * random data; kernels tend to end in 0x00): both are settled by reading
 * again block by block. */
#define TAIL_MARK 0xa5
static int read_file(const char *name, void *dst, uint64_t bytes)
{
	struct pxe_tftp_read_file *b = (struct pxe_tftp_read_file *)bios_scratch;
	size_t dl = strlen(dir), nl = strlen(name);
	if (dl + nl + 1 > sizeof b->file)
		return eb_error("network: path '%s%s' is longer than PXE's 127 bytes", dir, name);
	memset(b, 0, sizeof *b);
	memcpy(b->file, dir, dl);
	memcpy(b->file + dl, name, nl);
	b->buffer_size = (uint32_t)bytes;
	b->buffer = (uint32_t)(uintptr_t)dst;
	memcpy(b->server_ip, server_ip, 4);
	memcpy(b->gateway_ip, gateway_ip, 4);
	b->server_port = 69 << 8; /* network byte order */
	volatile uint8_t *tail = (volatile uint8_t *)dst + bytes - 1;
	*tail = TAIL_MARK;
	uint16_t st = pxe_call(PXENV_TFTP_READ_FILE, b);
	uint32_t got = b->buffer_size;
	/* BAD_FUNC / UNSUPPORTED with nothing read: a ROM without the call.
	 * (iPXE also says UNSUPPORTED for a TFTP error packet mid-transfer.) */
	if ((st == 0x02 || st == 0x03) && got == 0)
		return EB_NOTFOUND;
	if (st == PXE_TFTP_NOT_FOUND)
		return eb_error("network: '%s%s' not found on TFTP server %s", dir, name, server_str);
	/* (BufferSize is no progress count on failure: iPXE sets it to the
	 * server's tsize as soon as that arrives) */
	if (st)
		return eb_error("network: transfer of '%s%s' (%lu bytes) from TFTP server %s failed "
				"(PXE status 0x%x, %s)", dir, name, bytes, server_str, st,
				status_name(st));
	if (got != bytes)
		return eb_error("network: transfer of '%s%s' from TFTP server %s cut short: %u of %lu "
				"bytes", dir, name, server_str, got, bytes);
	if (*tail == TAIL_MARK) {
		eb_log(EB_LOG_DEBUG, "elfboot: '%s%s': last byte not written (or 0x%x): reading it "
				     "again block by block\r\n", dir, name, TAIL_MARK);
		return EB_NOTFOUND;
	}
	eb_log(EB_LOG_DEBUG, "elfboot: '%s%s': %lu bytes in one TFTP_READ_FILE\r\n", dir, name,
	       bytes);
	return EB_OK;
}

/* Blocks land in the low bounce buffer (the ROM takes segment:offset
 * addresses) and go up to dst 64 KiB at a time. */
static int pxe_read(const char *name, void *dst, uint64_t bytes)
{
	if (bytes > 0xffffffffu || (uint64_t)(uintptr_t)dst + bytes > (1ull << 32))
		return eb_error("network: '%s%s' (%lu bytes at 0x%lx) is not below 4 GiB", dir, name,
				bytes, (uint64_t)(uintptr_t)dst);
	if (eb_test_fault != EB_TEST_FAULT_TFTP_BLOCKS) {
		int st = read_file(name, dst, bytes);
		if (st != EB_NOTFOUND)
			return st;
	}
	struct pxe_tftp_open *o = (struct pxe_tftp_open *)bios_scratch;
	if (fill_name(&o->name, name))
		return EB_ERR;
	o->port = 69 << 8; /* network byte order */
	o->packet_size = PXE_PACKET_SIZE;
	uint16_t st = pxe_call(PXENV_TFTP_OPEN, o);
	if (st == PXE_TFTP_NOT_FOUND)
		return eb_error("network: '%s%s' not found on TFTP server %s", dir, name, server_str);
	if (st)
		return eb_error("network: cannot open '%s%s' on TFTP server %s (PXE status 0x%x, %s)",
				dir, name, server_str, st, status_name(st));
	uint16_t psize = o->packet_size;
	/* TFTP_CLOSE and UNDI_SHUTDOWN take only the Status word. */
	uint8_t *close = bios_scratch;
	if (psize == 0 || psize > BOUNCE_SIZE / 2) {
		memset(close, 0, 2);
		pxe_call(PXENV_TFTP_CLOSE, close);
		return eb_error("network: TFTP server %s: block size %u for '%s%s'", server_str,
				psize, dir, name);
	}
	uint8_t *out = dst, *bounce = (uint8_t *)(uintptr_t)BOUNCE_BASE;
	uint64_t got = 0;
	uint32_t fill = 0, packets = 0;
	int rc = EB_OK;
	struct pxe_tftp_read *rd = (struct pxe_tftp_read *)bios_scratch;
	for (;;) {
		memset(rd, 0, sizeof *rd);
		rd->buffer_size = psize; /* room for one block */
		rd->buffer_off = (uint16_t)fill;
		rd->buffer_seg = BOUNCE_BASE >> 4;
		st = pxe_call(PXENV_TFTP_READ, rd);
		if (st) {
			rc = eb_error("network: transfer of '%s%s' from TFTP server %s stopped after "
				      "%lu of %lu bytes (PXE status 0x%x, %s)", dir, name, server_str,
				      got + fill, bytes, st, status_name(st));
			break;
		}
		uint16_t n = rd->buffer_size;
		packets++;
		if (n > psize) {
			rc = eb_error("network: TFTP server %s sent a %u-byte block for '%s%s' (block "
				      "size %u)", server_str, n, dir, name, psize);
			break;
		}
		if (got + fill + n > bytes) {
			rc = eb_error("network: '%s%s' on TFTP server %s is longer than the %lu bytes "
				      "it had when its size was asked", dir, name, server_str, bytes);
			break;
		}
		fill += n;
		int last = n < psize;
		if (last || fill + psize > BOUNCE_SIZE) {
			memcpy(out + got, bounce, fill);
			source_filled(out + got, fill);
			got += fill;
			fill = 0;
		}
		if (last)
			break;
	}
	memset(close, 0, 2);
	pxe_call(PXENV_TFTP_CLOSE, close);
	if (rc == EB_OK && got != bytes)
		rc = eb_error("network: transfer of '%s%s' from TFTP server %s cut short: %lu of %lu "
			      "bytes", dir, name, server_str, got, bytes);
	if (rc == EB_OK)
		eb_log(EB_LOG_DEBUG, "elfboot: '%s%s': %lu bytes in %u blocks of %u\r\n", dir, name,
		       got, packets, psize);
	return rc;
}

static char medium[48];
static const struct file_source pxe_source = { medium, pxe_size, pxe_read };

const char *source_pxe_place(void)
{
	return place;
}

int source_pxe_open(uint32_t pxenv, uint32_t bang, const struct file_source **out)
{
	if (pxe_init(pxenv, bang))
		return EB_ERR;
	eb_snprintf(place, sizeof place, "on TFTP server %s", server_str);
	/* source_load() starts its lines with the medium: name the server */
	eb_snprintf(medium, sizeof medium, "network: TFTP server %s", server_str);
	*out = &pxe_source;
	return EB_OK;
}

void source_pxe_shutdown(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	uint8_t *b = bios_scratch;
	memset(b, 0, 2);
	uint16_t st = pxe_call(PXENV_UNDI_SHUTDOWN, b);
	if (st)
		eb_log(EB_LOG_WARN, "elfboot: warning: network: the PXE ROM did not stop the NIC "
				    "(PXE status 0x%x)\r\n", st);
}
