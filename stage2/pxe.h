/* SPDX-License-Identifier: MIT */
/*
 * pxe.h - the PXE ROM's structures (PXE 2.1 spec): the !PXE and PXENV+
 * entry structures and the parameter blocks of the API calls stage2 makes,
 * as packed little-endian structs with sizes and key offsets pinned by
 * static asserts.  IP addresses stay in network byte order, as byte arrays.
 */
#ifndef ELFBOOT_STAGE2_PXE_H
#define ELFBOOT_STAGE2_PXE_H

#include <stdint.h>

#include "elfboot.h" /* ELFBOOT_PACKED, ELFBOOT_STATIC_ASSERT, ELFBOOT_OFFSETOF */

#define PXENV_UNDI_SHUTDOWN 0x05
#define PXENV_TFTP_OPEN 0x20
#define PXENV_TFTP_CLOSE 0x21
#define PXENV_TFTP_READ 0x22
#define PXENV_TFTP_READ_FILE 0x23
#define PXENV_TFTP_GET_FSIZE 0x25
#define PXENV_GET_CACHED_INFO 0x71

/* "!PXE" (PXE 2.1): the API entry takes its arguments on the stack. */
struct ELFBOOT_PACKED pxe_bang {
	char signature[4];       /*  0 "!PXE" */
	uint8_t length;          /*  4 bytes the checksum covers */
	uint8_t checksum;        /*  5 */
	uint8_t revision;        /*  6 */
	uint8_t reserved;        /*  7 */
	uint32_t undi_rom_id;    /*  8 segment:offset */
	uint32_t base_rom_id;    /* 12 */
	uint32_t entry_sp;       /* 16 real-mode API entry, segment:offset */
	uint32_t entry_esp;      /* 20 */
	uint8_t rest[8];         /* 24 status callout, segment descriptors... */
};                               /* 32: the least `length` may be */

/* "PXENV+" (PXE 2.0 and before): the entry takes bx = opcode, es:di. */
struct ELFBOOT_PACKED pxenv_plus {
	char signature[6];       /*  0 "PXENV+" */
	uint16_t version;        /*  6 */
	uint8_t length;          /*  8 */
	uint8_t checksum;        /*  9 */
	uint32_t rm_entry;       /* 10 real-mode API entry, segment:offset */
	uint8_t rest[30];        /* 14 protected-mode entry, segments, !PXE pointer */
};                               /* 44 (0x2c) */

/* Every parameter block starts with the call's Status. */
struct ELFBOOT_PACKED pxe_get_cached_info {
	uint16_t status;         /*  0 */
	uint16_t packet_type;    /*  2 2: DHCP ACK, 3: proxyDHCP / boot-server reply */
	uint16_t buffer_size;    /*  4 0 in: return the ROM's copy; out: its length */
	uint16_t buffer_off;     /*  6 out: the ROM's copy, offset */
	uint16_t buffer_seg;     /*  8 and segment */
	uint16_t buffer_limit;   /* 10 */
};                               /* 12 */

/* The head TFTP_OPEN and TFTP_GET_FSIZE share. */
struct ELFBOOT_PACKED pxe_tftp_name {
	uint16_t status;         /*  0 */
	uint8_t server_ip[4];    /*  2 */
	uint8_t gateway_ip[4];   /*  6 relay agent (giaddr), 0 if none */
	char file[128];          /* 10 NUL-terminated */
};                               /* 138 */

struct ELFBOOT_PACKED pxe_tftp_open {
	struct pxe_tftp_name name; /*   0 */
	uint16_t port;             /* 138 network byte order */
	uint16_t packet_size;      /* 140 in: asked for; out: agreed block size */
};                                 /* 142 */

struct ELFBOOT_PACKED pxe_tftp_get_fsize {
	struct pxe_tftp_name name; /*   0 */
	uint32_t file_size;        /* 138 out */
};                                 /* 142 */

struct ELFBOOT_PACKED pxe_tftp_read {
	uint16_t status;         /*  0 */
	uint16_t packet_number;  /*  2 out */
	uint16_t buffer_size;    /*  4 in: room; out: bytes in this block */
	uint16_t buffer_off;     /*  6 real-mode buffer, offset */
	uint16_t buffer_seg;     /*  8 and segment */
};                               /* 10 */

struct ELFBOOT_PACKED pxe_tftp_read_file {
	uint16_t status;         /*   0 */
	char file[128];          /*   2 */
	uint32_t buffer_size;    /* 130 in: room; out: bytes read */
	uint32_t buffer;         /* 134 32-bit physical address */
	uint8_t server_ip[4];    /* 138 */
	uint8_t gateway_ip[4];   /* 142 */
	uint8_t mcast_ip[4];     /* 146 */
	uint16_t client_port;    /* 150 multicast only */
	uint16_t server_port;    /* 152 network byte order */
	uint16_t open_timeout;   /* 154 */
	uint16_t reopen_delay;   /* 156 */
};                               /* 158 */

ELFBOOT_STATIC_ASSERT(sizeof(struct pxe_bang) == 32, "!PXE");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct pxe_bang, entry_sp) == 0x10, "!PXE");
ELFBOOT_STATIC_ASSERT(sizeof(struct pxenv_plus) == 0x2c, "PXENV+");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct pxenv_plus, rm_entry) == 0x0a, "PXENV+");
ELFBOOT_STATIC_ASSERT(sizeof(struct pxe_get_cached_info) == 12, "GET_CACHED_INFO");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct pxe_get_cached_info, buffer_off) == 6, "cached");
ELFBOOT_STATIC_ASSERT(sizeof(struct pxe_tftp_open) == 142, "TFTP_OPEN");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct pxe_tftp_open, packet_size) == 140, "TFTP_OPEN");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct pxe_tftp_get_fsize, file_size) == 138, "FSIZE");
ELFBOOT_STATIC_ASSERT(sizeof(struct pxe_tftp_read) == 10, "TFTP_READ");
ELFBOOT_STATIC_ASSERT(sizeof(struct pxe_tftp_read_file) == 158, "TFTP_READ_FILE");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct pxe_tftp_read_file, buffer_size) == 130, "READ_FILE");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct pxe_tftp_read_file, server_ip) == 138, "READ_FILE");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct pxe_tftp_read_file, server_port) == 152, "READ_FILE");

#endif /* ELFBOOT_STAGE2_PXE_H */
