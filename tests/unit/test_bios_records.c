/* SPDX-License-Identifier: MIT */
/*
 * test_bios_records.c - stage2/bios.h's packed BIOS records read against
 * byte vectors written out by hand from the specs (ACPI E820, EDD INT 13h,
 * VBE 3.0), and the real-mode segment:offset sum the VBE mode list pointer
 * goes through (it was an OR, which loses the carry when the two overlap).
 */
#include "t.h"
#include "../../stage2/bios.h"

static void segment_offset_adds(void)
{
	T_EQ(rm_linear(0x0001, 0x0010), 0x20); /* an OR would give 0x10 */
	T_EQ(rm_linear(0x9fc1, 0x0ff0), 0xa0c00);
	T_EQ(rm_linear(0xc000, 0x1234), 0xc1234);
	T_EQ(rm_linear(0xffff, 0xffff), 0x10ffef); /* the HMA's last byte */
}

static void e820_entry_bytes(void)
{
	uint8_t b[24];
	t_unhex("0000100000000000" "0000ee0700000000" "01000000" "01000000", b);
	const struct e820_entry *e = (const struct e820_entry *)b;
	T_EQ(e->base, 0x100000);
	T_EQ(e->len, 0x7ee0000);
	T_EQ(e->type, 1);
	T_EQ(e->attr, E820_ATTR_VALID);
}

static void dap_bytes(void)
{
	struct int13_dap d = { .size = sizeof d, .count = 127, .buf_off = 0, .buf_seg = 0x7000,
			       .lba = 0x123456789aull };
	uint8_t want[16];
	t_unhex("10" "00" "7f00" "0000" "0070" "9a78563412000000", want);
	T_CHECK(memcmp(&d, want, 16) == 0);
}

static void drive_params_bytes(void)
{
	uint8_t b[26];
	t_unhex("1a00" "0200" "00000000" "00000000" "00000000" "00a0000000000000" "0008", b);
	const struct int13_drive_params *p = (const struct int13_drive_params *)b;
	T_EQ(p->size, 0x1a);
	T_EQ(p->sectors, 0xa000);
	T_EQ(p->bytes_per_sector, 2048);
}

static void vbe_records_bytes(void)
{
	uint8_t info[512] = { 0 }, mode[256] = { 0 };
	t_unhex("56455341" "0003" "00000000" "00000000" "2200" "009a" "0001", info);
	const struct vbe_info *vi = (const struct vbe_info *)info;
	T_CHECK(memcmp(vi->signature, "VESA", 4) == 0);
	T_EQ(vi->version, 0x300);
	T_EQ(rm_linear(vi->modes_seg, vi->modes_off), 0x9a022);
	T_EQ(vi->total_memory, 0x100);

	/* 800x600x32, linear, direct colour x8r8g8b8 at 0xfd000000. */
	t_unhex("9b00", mode);
	t_unhex("800c" "2003" "5802", mode + 16);
	t_unhex("20", mode + 25);
	t_unhex("06", mode + 27);
	t_unhex("0810" "0808" "0800" "0818", mode + 31);
	t_unhex("000000fd", mode + 40);
	t_unhex("800c", mode + 50);
	const struct vbe_mode_info *mi = (const struct vbe_mode_info *)mode;
	T_EQ(mi->attributes & (VBE_MODE_SUPPORTED | VBE_MODE_GRAPHICS | VBE_MODE_LINEAR), 0x91);
	T_EQ(mi->pitch, 3200);
	T_EQ(mi->width, 800);
	T_EQ(mi->height, 600);
	T_EQ(mi->bpp, 32);
	T_EQ(mi->memory_model, VBE_MODEL_DIRECT);
	T_EQ(mi->channel[0].size, 8);
	T_EQ(mi->channel[0].pos, 16);
	T_EQ(mi->channel[1].pos, 8);
	T_EQ(mi->channel[2].pos, 0);
	T_EQ(mi->channel[3].pos, 24);
	T_EQ(mi->framebuffer, 0xfd000000u);
	T_EQ(mi->linear_pitch, 3200);
}

int main(void)
{
	T_RUN(segment_offset_adds);
	T_RUN(e820_entry_bytes);
	T_RUN(dap_bytes);
	T_RUN(drive_params_bytes);
	T_RUN(vbe_records_bytes);
	return T_END();
}
