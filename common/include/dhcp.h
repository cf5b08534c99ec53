/* SPDX-License-Identifier: MIT */
/*
 * dhcp.h - what a network boot takes from the DHCP/BOOTP packet the firmware
 * kept (PXE's cached ACK, UEFI's PXE base code Mode): the TFTP server and
 * the boot file's directory.  Pure parsing; no firmware types.
 */
#ifndef ELFBOOT_DHCP_H
#define ELFBOOT_DHCP_H

#include <stddef.h>
#include <stdint.h>

#include "elfboot.h" /* ELFBOOT_PACKED, ELFBOOT_STATIC_ASSERT, ELFBOOT_OFFSETOF */

#define DHCP_FILE_MAX 128

/* The fixed BOOTP header (RFC 951, 2131); DHCP's magic cookie and options
 * follow it.  Addresses in network byte order, as bytes. */
struct ELFBOOT_PACKED bootp_header {
	uint8_t op, htype, hlen, hops; /*   0 */
	uint32_t xid;                  /*   4 */
	uint16_t secs, flags;          /*   8 */
	uint8_t ciaddr[4];             /*  12 */
	uint8_t yiaddr[4];             /*  16 */
	uint8_t siaddr[4];             /*  20 next server: TFTP */
	uint8_t giaddr[4];             /*  24 relay agent */
	uint8_t chaddr[16];            /*  28 */
	uint8_t sname[64];             /*  44 options, when option 52 says so */
	uint8_t file[128];             /* 108 boot file, or options (option 52) */
};                                     /* 236 */
ELFBOOT_STATIC_ASSERT(sizeof(struct bootp_header) == 236, "bootp");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct bootp_header, siaddr) == 20, "bootp");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct bootp_header, giaddr) == 24, "bootp");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct bootp_header, sname) == 44, "bootp");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct bootp_header, file) == 108, "bootp");

struct dhcp_boot {
	uint8_t server[4];        /* siaddr, else option 54 (server identifier) */
	char file[DHCP_FILE_MAX]; /* option 67, else the BOOTP file field */
	char dir[DHCP_FILE_MAX];  /* file up to and with its last '/', or "" */
};

/* Parses pkt[0..len) (the BOOTP header, then DHCP options after the magic
 * cookie; option 52's overloaded file/sname fields are read as options).
 * EB_OK and *out filled; EB_ERR (eb_error says why) for a packet too short
 * to be BOOTP, a boot file name with control characters, or no server. */
int dhcp_boot_parse(const uint8_t *pkt, size_t len, struct dhcp_boot *out);

#endif
