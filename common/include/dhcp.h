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

#define DHCP_FILE_MAX 128

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
