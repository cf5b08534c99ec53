/* SPDX-License-Identifier: MIT */
/* test_dhcp.c - dhcp_boot_parse(): the TFTP server and the boot file's
 * directory from packets as servers send them (file field, option 67,
 * option 52 overload, option 54) and from hostile ones (short packets,
 * truncated options, control bytes, no server). */
#include "t.h"
#include "dhcp.h"

static uint8_t pkt[600];
static size_t used;

/* A BOOTP reply with the magic cookie; options appended with opt(). */
static void reset(const uint8_t siaddr[4], const char *file)
{
	memset(pkt, 0, sizeof pkt);
	pkt[0] = 2;
	if (siaddr)
		memcpy(pkt + 20, siaddr, 4);
	if (file)
		memcpy(pkt + 108, file, strlen(file));
	pkt[236] = 99;
	pkt[237] = 130;
	pkt[238] = 83;
	pkt[239] = 99;
	used = 240;
}

static void opt(uint8_t code, const void *v, uint8_t n)
{
	pkt[used++] = code;
	pkt[used++] = n;
	memcpy(pkt + used, v, n);
	used += n;
}

static const uint8_t srv[4] = { 10, 0, 9, 1 };

static void file_field(void)
{
	struct dhcp_boot b;
	reset(srv, "elfboot/elfboot.pxe");
	pkt[used++] = 255;
	T_OK(dhcp_boot_parse(pkt, used, &b));
	T_CHECK(memcmp(b.server, srv, 4) == 0);
	T_CHECK(strcmp(b.file, "elfboot/elfboot.pxe") == 0);
	T_CHECK(strcmp(b.dir, "elfboot/") == 0);
	reset(srv, "BOOTX64.EFI");
	T_OK(dhcp_boot_parse(pkt, 236, &b)); /* plain BOOTP: no options at all */
	T_CHECK(strcmp(b.dir, "") == 0);
}

static void option67_wins(void)
{
	/* dnsmasq answers a UEFI client in option 67 and leaves file empty */
	struct dhcp_boot b;
	reset(srv, NULL);
	opt(53, "\x05", 1);
	opt(67, "lab/x/BOOTX64.EFI", 17); /* not NUL-terminated */
	pkt[used++] = 255;
	T_OK(dhcp_boot_parse(pkt, used, &b));
	T_CHECK(strcmp(b.file, "lab/x/BOOTX64.EFI") == 0);
	T_CHECK(strcmp(b.dir, "lab/x/") == 0);
}

static void overload(void)
{
	/* option 52 = 1: the file field holds options, not a name */
	struct dhcp_boot b;
	reset(srv, NULL);
	opt(52, "\x01", 1);
	pkt[used++] = 255;
	memcpy(pkt + 108, "\x43\x07" "d/x.pxe" "\xff", 10);
	T_OK(dhcp_boot_parse(pkt, used, &b));
	T_CHECK(strcmp(b.dir, "d/") == 0);
	/* overloaded, and no option 67 anywhere: no file, not the raw bytes */
	reset(srv, NULL);
	opt(52, "\x01", 1);
	pkt[used++] = 255;
	memcpy(pkt + 108, "\x0c\x02" "ab" "\xff", 5);
	T_OK(dhcp_boot_parse(pkt, used, &b));
	T_CHECK(strcmp(b.file, "") == 0);
}

static void server_from_option54(void)
{
	struct dhcp_boot b;
	reset(NULL, "a/b");
	opt(54, "\xc0\xa8\x01\x02", 4);
	pkt[used++] = 255;
	T_OK(dhcp_boot_parse(pkt, used, &b));
	T_EQ(b.server[0], 192);
	T_EQ(b.server[3], 2);
	reset(NULL, "a/b");
	pkt[used++] = 255;
	T_ERR(dhcp_boot_parse(pkt, used, &b), "no TFTP server");
}

static void hostile(void)
{
	struct dhcp_boot b;
	reset(srv, "x");
	T_ERR(dhcp_boot_parse(pkt, 100, &b), "shorter than a BOOTP header");
	/* an option 67 whose length runs past the packet's end is ignored:
	 * the file field is used */
	reset(srv, "f/g");
	pkt[used++] = 67;
	pkt[used++] = 200;
	memcpy(pkt + used, "zz", 2);
	T_OK(dhcp_boot_parse(pkt, used + 2, &b));
	T_CHECK(strcmp(b.file, "f/g") == 0);
	reset(srv, "bad\x01name");
	T_ERR(dhcp_boot_parse(pkt, used, &b), "byte 0x1 at offset 3");
	reset(srv, NULL);
	memset(pkt + 108, 'a', 128); /* no terminator in the field */
	T_ERR(dhcp_boot_parse(pkt, used, &b), "longer than 127 bytes");
	/* a 255-byte option 67 whose name fills it: too long too */
	reset(srv, NULL);
	uint8_t big[255];
	memset(big, 'b', sizeof big);
	opt(67, big, 255);
	T_ERR(dhcp_boot_parse(pkt, used, &b), "longer than 127 bytes");
}

int main(void)
{
	T_RUN(file_field);
	T_RUN(option67_wins);
	T_RUN(overload);
	T_RUN(server_from_option54);
	T_RUN(hostile);
	return T_END();
}
