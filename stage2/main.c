/* SPDX-License-Identifier: MIT */
/*
 * main.c - the BIOS front end's platform hooks, running in long mode with
 * the first 4 GiB identity-mapped (entry.asm) and reaching the BIOS through
 * bios_int().  stage2_main() sets up the console, gathers the memory map
 * (E820, falling back to E801 and 88h), opens the file source (the ESP's
 * FAT: source_disk.c), then calls loader_main(), the loader the UEFI path
 * uses too.  BIOS data (E820, VBE mode info) is converted to the core's
 * types here, at the border; the core decides (video.c, acpi.c).
 */
#include "acpi.h"
#include "pins.h"
#include "sha256.h"
#include "bios.h"
#include "core.h"
#include "requests.h"
#include "cpu.h"
#include "smbios.h"
#include "source.h"
#include "stage2.h"
#include "video.h"

extern struct bios_regs bios_regs;
void bios_call(uint32_t n);
void bios_farcall(uint32_t segoff);
extern uint16_t far_args[8], far_nargs;
extern uint32_t boot_medium, boot_pxenv, boot_pxe;
void stage2_main(uint32_t drive);

static uint8_t drive;

/* The build id (given with -include, like loader.c's), kept in .entry: the
 * rest of stage2.bin is stored packed, and `elfboot image-info` and the
 * tool's loader-dir check find the id by scanning the file. */
#ifdef ELFBOOT_ID
__attribute__((used, section(".entry.buildid"))) static const char stage2_build_id[] = ELFBOOT_ID;
#endif

/* The file pins (pins.h, docs/trusted-boot.md), also in .entry: `elfboot
 * image --pin` patches the block in stage2.bin, whose rest is packed. */
__attribute__((used, section(".entry.pins"), aligned(16))) struct eb_pin_block eb_pin_block =
	EB_PIN_BLOCK_INIT;

/* A pointer to fixed physical memory, hidden from the compiler's bounds
 * analysis (it cannot know what lives at a literal address). */
static void *phys(uint64_t a)
{
	__asm__("" : "+r"(a));
	return (void *)(uintptr_t)a;
}
static int vga_text = 1;
static unsigned vga_row, vga_col;

void bios_int(uint8_t n, struct bios_regs *r)
{
	r->eflags |= EFLAGS_CF;
	bios_regs = *r;
	bios_call(n);
	*r = bios_regs;
}

void bios_far(uint32_t segoff, const uint16_t *args, unsigned n, struct bios_regs *r)
{
	if (n > 8)
		n = 8;
	for (unsigned i = 0; i < n; i++)
		far_args[i] = args[i];
	far_nargs = (uint16_t)n;
	r->eflags |= EFLAGS_CF;
	bios_regs = *r;
	bios_farcall(segoff);
	*r = bios_regs;
}

/* ---- console: COM1 (common/serial.c) and the VGA text screen, until a
 * video mode is set */
static void vga_putc(char c)
{
	volatile uint16_t *vga = phys(0xb8000);
	if (c == '\n') {
		vga_col = 0;
		vga_row++;
	} else if (c == '\r') {
		vga_col = 0;
	} else {
		vga[vga_row * 80 + vga_col] = (uint16_t)(0x0700 | (uint8_t)c);
		if (++vga_col == 80) {
			vga_col = 0;
			vga_row++;
		}
	}
	if (vga_row == 25) {
		for (unsigned i = 0; i < 24 * 80; i++)
			vga[i] = vga[i + 80];
		for (unsigned i = 24 * 80; i < 25 * 80; i++)
			vga[i] = 0x0720;
		vga_row = 24;
	}
}

/* Once a graphics mode is set the screen cannot show text, so the last two
 * complete lines are kept: a fatal error puts the screen back in text mode
 * and shows them there (plat_halt). */
static char tail_lines[3][128];
static unsigned tail_cur, tail_len;

void plat_serial_putc(char c)
{
	serial_putc(c);
}

void plat_screen_putc(char c)
{
	if (vga_text) {
		vga_putc(c);
	} else if (c == '\n') {
		tail_cur = (tail_cur + 1) % 3;
		tail_len = 0;
		tail_lines[tail_cur][0] = 0;
	} else if (tail_len + 1 < sizeof tail_lines[0]) {
		tail_lines[tail_cur][tail_len++] = c;
		tail_lines[tail_cur][tail_len] = 0;
	}
}

void plat_halt(void)
{
	if (!vga_text) {
		struct bios_regs r = { 0 };
		r.eax = 0x0003; /* back to 80x25 text */
		bios_int(0x10, &r);
		vga_text = 1;
		vga_row = vga_col = 0;
		for (unsigned k = 1; k <= 2; k++) {
			for (const char *p = tail_lines[(tail_cur + k) % 3]; *p; p++)
				vga_putc(*p);
			vga_putc('\n');
		}
	}
	for (;;)
		__asm__ volatile("cli; hlt");
}

uint64_t plat_alloc_limit(void)
{
	return 4ull << 30; /* entry.asm identity-maps 0-4 GiB */
}

/* ---- memory map ---- */
#define E820_MAX 512
static struct mem_region bios_map[E820_MAX];
static uint32_t bios_map_n;

static int add_region(uint64_t start, uint64_t len, uint32_t type)
{
	if (!len || start + len < start)
		return EB_OK;
	if (bios_map_n == E820_MAX)
		return eb_error("e820: more than %d entries", E820_MAX);
	struct mem_region *r = &bios_map[bios_map_n++];
	r->start = start;
	r->end = start + len;
	r->kind = type == 1 ? MEM_FREE : MEM_FIRMWARE;
	r->fw_type = type;
	return EB_OK;
}

static int e820(void)
{
	uint32_t cont = 0;
	for (int calls = 0; calls < 2 * E820_MAX; calls++) {
		struct e820_entry *ent = (struct e820_entry *)bios_scratch;
		memset(ent, 0, sizeof *ent);
		ent->attr = E820_ATTR_VALID; /* for BIOSes that return 20 bytes */
		struct bios_regs r = { 0 };
		r.eax = 0xe820;
		r.edx = E820_SMAP;
		r.ecx = sizeof *ent;
		r.ebx = cont;
		r.edi = (uint32_t)(uintptr_t)ent;
		bios_int(0x15, &r);
		/* Quirk: some BIOSes signal the end with CF instead of ebx = 0,
		 * and some clobber the signature: check it on every call. */
		if ((r.eflags & EFLAGS_CF) || r.eax != E820_SMAP)
			return bios_map_n ? EB_OK : EB_NOTFOUND;
		uint32_t attr = r.ecx >= sizeof *ent ? ent->attr : E820_ATTR_VALID;
		if ((attr & E820_ATTR_VALID) && add_region(ent->base, ent->len, ent->type))
			return EB_ERR;
		cont = r.ebx;
		if (!cont)
			return EB_OK;
	}
	return eb_error("e820: no end after %d calls", 2 * E820_MAX);
}

static int memory_map(void)
{
	int st = e820();
	if (st != EB_NOTFOUND)
		return st;
	eb_log(EB_LOG_WARN, "elfboot: no E820; using E801/88h\r\n");
	struct bios_regs r = { 0 };
	bios_int(0x12, &r);
	add_region(0, (uint64_t)(r.eax & 0xffff) * 1024, 1);
	r = (struct bios_regs){ 0 };
	r.eax = 0xe801;
	bios_int(0x15, &r);
	if (!(r.eflags & EFLAGS_CF)) {
		uint32_t low = r.eax & 0xffff, high = r.ebx & 0xffff;
		if (!low && !high) {
			low = r.ecx & 0xffff;
			high = r.edx & 0xffff;
		}
		add_region(1ull << 20, (uint64_t)low * 1024, 1);
		add_region(16ull << 20, (uint64_t)high * 65536, 1);
		return EB_OK;
	}
	r = (struct bios_regs){ 0 };
	r.eax = 0x8800;
	bios_int(0x15, &r);
	if (r.eflags & EFLAGS_CF)
		return eb_error("memory: E820, E801 and 88h all failed");
	add_region(1ull << 20, (uint64_t)(r.eax & 0xffff) * 1024, 1);
	return EB_OK;
}

/* Memory for files read before the core runs: from the top of the highest
 * free region below 4 GiB, downwards.  The core marks them Bootloader. */
static uint64_t file_floor = 4ull << 30;

static int file_alloc(uint64_t size, uint64_t *out)
{
	size = EB_ALIGN_UP(size, 2ull << 20);
	for (int i = (int)bios_map_n - 1; i >= 0; i--) {
		const struct mem_region *r = &bios_map[i];
		if (r->kind != MEM_FREE)
			continue;
		uint64_t top = r->end < file_floor ? r->end : file_floor;
		top = EB_ALIGN_DOWN(top, 2ull << 20);
		uint64_t lo = r->start > (16ull << 20) ? r->start : (16ull << 20);
		if (top > lo && top - lo >= size) {
			/* The region must not overlap a reserved entry (E820 overlaps). */
			int clash = 0;
			for (uint32_t j = 0; j < bios_map_n; j++)
				if (bios_map[j].kind != MEM_FREE && bios_map[j].start < top &&
				    bios_map[j].end > top - size)
					clash = 1;
			if (clash)
				continue;
			*out = top - size;
			file_floor = top - size;
			return EB_OK;
		}
	}
	return eb_error("no free %lu MiB below 4 GiB", size >> 20);
}

/* ---- disk ---- */
/* Copies whole sectors out of the bounce buffer.  An unrolled quadword loop
 * runs at memory speed on hardware and, unlike `rep movs`, also under
 * emulators that execute string instructions one step at a time (QEMU's
 * TCG: 2.6 s -> 2.1 s for a 256 MiB ramdisk in `make bench`). */
static void copy_sectors(void *dst, const void *src, uint64_t bytes)
{
	uint64_t *d = dst;
	const uint64_t *s = src;
	for (uint64_t i = 0; i < bytes / 8; i += 8) {
		uint64_t a = s[i], b = s[i + 1], c = s[i + 2], e = s[i + 3];
		uint64_t f = s[i + 4], g = s[i + 5], h = s[i + 6], k = s[i + 7];
		d[i] = a;
		d[i + 1] = b;
		d[i + 2] = c;
		d[i + 3] = e;
		d[i + 4] = f;
		d[i + 5] = g;
		d[i + 6] = h;
		d[i + 7] = k;
	}
}

/* The boot drive's sector size: 512, or 2048 on a CD (disk_use_sector_bytes). */
static uint32_t sector_bytes = 512;
static uint32_t max_sectors = BOUNCE_SIZE / 512; /* lowered if the BIOS refuses */

void disk_use_sector_bytes(uint32_t bytes)
{
	sector_bytes = bytes;
	max_sectors = BOUNCE_SIZE / bytes;
}

int disk_read_bytes(uint64_t lba, uint64_t bytes, void *dst)
{
	uint8_t *out = dst;
	uint64_t count = (bytes + sector_bytes - 1) / sector_bytes;
	while (count) {
		uint32_t n = count < max_sectors ? (uint32_t)count : max_sectors;
		struct int13_dap *dap = (struct int13_dap *)bios_scratch;
		memset(dap, 0, sizeof *dap);
		dap->size = sizeof *dap;
		dap->count = (uint16_t)n;
		dap->buf_off = BOUNCE_BASE & 0xf;
		dap->buf_seg = BOUNCE_BASE >> 4;
		dap->lba = lba;
		struct bios_regs r = { 0 };
		r.eax = 0x4200;
		r.edx = drive;
		r.esi = (uint32_t)(uintptr_t)dap;
		bios_int(0x13, &r);
		uint32_t got = dap->count;
		if ((r.eflags & EFLAGS_CF) || got == 0 || got > n) {
			/* Some BIOSes cap a transfer (127 sectors, or less): retry
			 * with fewer sectors before giving up. */
			static const uint32_t steps[] = { 127, 64, 32, 16, 8, 1 };
			uint32_t next = 0;
			for (unsigned i = 0; i < sizeof steps / sizeof steps[0] && !next; i++)
				if (steps[i] < max_sectors)
					next = steps[i];
			if (!next)
				return eb_error("disk: reading %u sectors at LBA %lu failed (BIOS "
						"status 0x%x)", n, lba, (r.eax >> 8) & 0xff);
			max_sectors = next;
			continue;
		}
		/* The last sector may be partly wanted: copy only `bytes`, so a
		 * file read never writes past its end (source.h's contract). */
		uint64_t chunk = (uint64_t)got * sector_bytes < bytes ? (uint64_t)got * sector_bytes : bytes;
		uint64_t bulk = chunk & ~63ull;
		copy_sectors(out, phys(BOUNCE_BASE), bulk);
		memcpy(out + bulk, (const uint8_t *)phys(BOUNCE_BASE) + bulk, chunk - bulk);
		source_filled(out, chunk); /* a file's pin hash, while it is in the cache */
		out += chunk;
		bytes -= chunk;
		lba += got;
		count -= got;
	}
	return EB_OK;
}

int disk_read(uint64_t lba, uint64_t count, void *dst)
{
	return disk_read_bytes(lba, count * sector_bytes, dst);
}

uint64_t disk_sectors(void)
{
	uint32_t bps;
	uint64_t total = disk_geometry(&bps);
	return bps == 512 ? total : 0;
}

uint64_t disk_geometry(uint32_t *bps_out)
{
	struct int13_drive_params *dp = (struct int13_drive_params *)bios_scratch;
	memset(dp, 0, sizeof *dp);
	dp->size = sizeof *dp; /* EDD 1.x result: enough for the size fields */
	struct bios_regs r = { 0 };
	r.eax = 0x4800;
	r.edx = drive;
	r.esi = (uint32_t)(uintptr_t)dp;
	bios_int(0x13, &r);
	uint16_t got = dp->size, bps = dp->bytes_per_sector;
	uint64_t total = dp->sectors;
	/* Some BIOSes return all ones (or 0) for media they cannot size, or
	 * a result shorter than asked for: all of these mean "unknown". */
	*bps_out = 0;
	if ((r.eflags & EFLAGS_CF) || ((r.eax >> 8) & 0xff) || got < sizeof *dp)
		return 0;
	*bps_out = bps;
	if (total == 0 || total == ~0ull)
		return 0;
	return total;
}

/* ---- files: from the source chosen in stage2_main() (source.h) ---- */
static const struct file_source *source;

/* Freed never: a failed read stops the boot. */
static const struct file_alloc file_mem = { file_alloc, NULL };

int plat_read_file(const char *name, struct plat_file *out)
{
	return source_load(source, &file_mem, name, out);
}

const char *plat_file_place(void)
{
	if (boot_medium == PXE_HANDOFF_MAGIC)
		return source_pxe_place();
	return "at the root of the boot partition";
}

/* ---- video: VBE.  The modes' facts go to the core (video.c), which
 * picks; this sets the pick and reads back where its framebuffer is. ---- */
static struct video_mode vbe_modes[VIDEO_MAX_MODES];

/* Mode `mode`'s facts (AX=4F01h): EB_OK, or EB_NOTFOUND if the BIOS has
 * no information.  *phys and *pitch: its framebuffer and line length. */
static int vbe_mode_info(uint16_t mode, uint16_t version, struct video_mode *m, uint64_t *phys,
			 uint64_t *pitch)
{
	struct vbe_mode_info *mi = (struct vbe_mode_info *)(bios_scratch + 512);
	memset(mi, 0, sizeof *mi);
	struct bios_regs r = { 0 };
	r.eax = 0x4f01;
	r.ecx = mode;
	r.edi = (uint32_t)(uintptr_t)mi;
	bios_int(0x10, &r);
	if ((r.eax & 0xffff) != 0x004f)
		return EB_NOTFOUND;
	const uint16_t need = VBE_MODE_SUPPORTED | VBE_MODE_GRAPHICS | VBE_MODE_LINEAR;
	memset(m, 0, sizeof *m);
	m->id = mode;
	m->width = mi->width;
	m->height = mi->height;
	m->bpp = mi->bpp;
	m->linear = (mi->attributes & need) == need;
	/* Channel masks from (size, position) pairs: direct-colour modes
	 * (memory model 6) only; others have a palette, not channels. */
	if (mi->memory_model == VBE_MODEL_DIRECT) {
		uint32_t *masks[4] = { &m->red_mask, &m->green_mask, &m->blue_mask, &m->reserved_mask };
		for (int i = 0; i < 4; i++) {
			uint8_t size = mi->channel[i].size, pos = mi->channel[i].pos;
			if (size && size <= 32 && pos < 32 && size + pos <= 32)
				*masks[i] = (uint32_t)(((1ull << size) - 1) << pos);
		}
	}
	*pitch = mi->pitch;
	if (version >= 0x300 && mi->linear_pitch)
		*pitch = mi->linear_pitch; /* the linear-mode line length */
	*phys = mi->framebuffer;
	return EB_OK;
}

int plat_set_video(uint64_t min_w, uint64_t min_h, struct plat_framebuffer *out)
{
	struct vbe_info *info = (struct vbe_info *)bios_scratch;
	memset(info, 0, sizeof *info);
	memcpy(info->signature, "VBE2", 4); /* asks for the VBE 2.0 fields */
	struct bios_regs r = { 0 };
	r.eax = 0x4f00;
	r.edi = (uint32_t)(uintptr_t)info;
	bios_int(0x10, &r);
	if ((r.eax & 0xffff) != 0x004f || memcmp(info->signature, "VESA", 4) != 0) {
		eb_log(EB_LOG_WARN, "elfboot: no VBE; booting without a framebuffer\r\n");
		return EB_NOTFOUND;
	}
	uint16_t version = info->version;
	uint32_t list = rm_linear(info->modes_seg, info->modes_off);
	uint16_t ids[VIDEO_MAX_MODES];
	unsigned nids = 0;
	if (list >= 0x100000)
		return eb_error("vbe: mode list at 0x%x is above 1 MiB", list);
	/* Copied out first: the list may live in bios_scratch's info block,
	 * which each mode query below overwrites. */
	for (const uint16_t *m = phys(list); nids < VIDEO_MAX_MODES && *m != 0xffff; m++)
		ids[nids++] = *m;
	uint32_t n = 0, pick;
	uint64_t fb_phys, pitch;
	for (unsigned i = 0; i < nids; i++)
		if (vbe_mode_info(ids[i], version, &vbe_modes[n], &fb_phys, &pitch) == EB_OK)
			n++;
	/* The screen is in VGA text mode: no current mode to keep. */
	if (video_pick(vbe_modes, n, n, min_w, min_h, &pick))
		return EB_NOTFOUND;
	uint16_t best = (uint16_t)vbe_modes[pick].id;
	struct video_mode set;
	if (vbe_mode_info(best, version, &set, &fb_phys, &pitch))
		return eb_error("vbe: mode 0x%x vanished from the BIOS's list", best);
	r = (struct bios_regs){ 0 };
	r.eax = 0x4f02;
	r.ebx = best | 0x4000; /* linear framebuffer */
	bios_int(0x10, &r);
	if ((r.eax & 0xffff) != 0x004f)
		return eb_error("vbe: setting mode 0x%x (%ux%u) failed (0x%x)", best, set.width,
				set.height, r.eax & 0xffff);
	vga_text = 0;
	return video_framebuffer(&set, fb_phys, pitch, 0, out);
}

/* ---- ACPI: the spec's two places to scan, each candidate checked by the
 * core (acpi.c); a candidate that fails is passed over silently, as the
 * next 16-byte step may hold the real one. ---- */
uint64_t plat_rsdp(void)
{
	uint64_t ebda = (uint64_t)*(volatile uint16_t *)phys(0x40e) << 4;
	if (ebda >= 0x80000 && ebda < 0xa0000)
		for (uint64_t p = ebda; p < ebda + 1024; p += 16)
			if (!acpi_rsdp_problem(phys(p)))
				return p;
	for (uint64_t p = 0xe0000; p < 0x100000; p += 16)
		if (!acpi_rsdp_problem(phys(p)))
			return p;
	return 0;
}

/* TIMESTAMPS: the CMOS real-time clock (ports 0x70/0x71), in BCD or
 * binary and 12- or 24-hour form as status register B says.  Read right
 * after the update-in-progress flag clears: the RTC then promises 244 us
 * without an update, ample for six port reads, so no field can tear.  The
 * year is taken as 20yy (the century register's place is not standard). */
int64_t plat_wall_clock(void)
{
	static const uint8_t reg[6] = { 9, 8, 7, 4, 2, 0 }; /* year .. second */
	uint8_t v[6];
	outb(0x70, 0x0b);
	uint8_t mode = inb(0x71);
	while (outb(0x70, 0x0a), inb(0x71) & 0x80)
		;
	for (int i = 0; i < 6; i++) {
		outb(0x70, reg[i]);
		v[i] = inb(0x71);
	}
	uint8_t pm = v[3] & 0x80;
	v[3] &= 0x7f;
	for (int i = 0; i < 6; i++)
		if (!(mode & 4)) /* BCD */
			v[i] = (uint8_t)((v[i] >> 4) * 10 + (v[i] & 15));
	if (!(mode & 2) && v[3] == 12) /* 12-hour: 12 AM is 0, 12 PM is 12 */
		v[3] = 0;
	if (!(mode & 2) && pm)
		v[3] += 12;
	return eb_unix_time(2000u + v[0], v[1], v[2], v[3], v[4], v[5]);
}

/* ---- FIRMWARE request: the SMBIOS spec's one place to scan (the core
 * checks each anchor); no EFI on this path. ---- */
void plat_smbios(uint64_t *ep32, uint64_t *ep64)
{
	smbios_find(0xf0000, 0x100000, ep32, ep64);
}

const struct plat_efi *plat_efi(void)
{
	return 0;
}

/* Measured boot: not on this path.  A TPM's BIOS interface (TCG PC
 * Client BIOS spec, INT 1Ah) is left alone: SeaBIOS measures itself, and
 * PCR 9 stays as it was (docs/trusted-boot.md). */
void plat_measure(const char *what, const void *data, uint64_t len)
{
	(void)what;
	(void)data;
	(void)len;
}

int plat_measuring(void)
{
	return 0;
}

int plat_reserve(uint64_t bytes, uint64_t *addr)
{
	(void)bytes;
	(void)addr;
	return EB_NOTFOUND; /* nothing else allocates: the core takes free E820 memory */
}

/* The INT 13h bounce buffer: no disk is read after leaving the BIOS. */
uint64_t plat_smp_low(void)
{
	return BOUNCE_BASE;
}

int plat_exit_firmware(struct mem_region *map, uint32_t cap, uint32_t *count,
		       enum firmware_kind *fw)
{
	/* Leaving the BIOS is a no-op, but a NIC the PXE ROM left running
	 * would go on receiving (DMA, interrupts) under the kernel. */
	if (boot_medium == PXE_HANDOFF_MAGIC)
		source_pxe_shutdown();
	return plat_memory_map(map, cap, count, fw);
}

int plat_memory_map(struct mem_region *map, uint32_t cap, uint32_t *count,
		    enum firmware_kind *fw)
{
	if (bios_map_n > cap)
		return eb_error("e820: %u entries, room for %u", bios_map_n, cap);
	memcpy(map, bios_map, bios_map_n * sizeof *map);
	*count = bios_map_n;
	*fw = FIRMWARE_BIOS;
	return EB_OK;
}

/* bios_call must hand the preset carry flag to the BIOS, or every "CF set
 * = failed" check above reads an ignored call as success, and must put the
 * long-mode IDT back, or a later fault resets the machine silently.  Proven
 * at every boot through a handler of our own at an unused vector
 * (entry.asm), put back afterwards: a broken thunk stops the loader here. */
#define SELFTEST_VECTOR 0x66 /* one of the user vectors 0x60-0x66 */
extern const uint8_t bios_selftest_isr[], bios_selftest_far[];

static int thunk_selftest(void)
{
	volatile uint32_t *ivt = phys(0);
	uint32_t saved = ivt[SELFTEST_VECTOR];
	ivt[SELFTEST_VECTOR] = (uint32_t)(uintptr_t)bios_selftest_isr; /* 0000:offset */
	struct bios_regs ignored = { 0 }, success = { 0 };
	ignored.eax = 0x0000;   /* the handler changes no flag */
	success.eax = 0x0100;   /* the handler clears CF */
	bios_int(SELFTEST_VECTOR, &ignored);
	bios_int(SELFTEST_VECTOR, &success);
	ivt[SELFTEST_VECTOR] = saved;
	if (!(ignored.eflags & EFLAGS_CF) || (success.eflags & EFLAGS_CF))
		return eb_error("stage2: BIOS call thunk self-test failed: CF %s after a call the "
				"BIOS ignored, %s after one it cleared (vector 0x%x)",
				ignored.eflags & EFLAGS_CF ? "set" : "clear",
				success.eflags & EFLAGS_CF ? "set" : "clear", SELFTEST_VECTOR);
	if (!eb_fault_idt_live())
		return eb_error("stage2: BIOS call thunk self-test failed: the long-mode IDT is "
				"not back after a BIOS call");
	/* The far-call mode (the PXE API's): stack arguments in order, back. */
	struct bios_regs far = { 0 };
	const uint16_t args[2] = { 0x1234, 0x0101 };
	bios_far((uint32_t)(uintptr_t)bios_selftest_far, args, 2, &far);
	if ((far.eax & 0xffff) != 0x2569 || !eb_fault_idt_live())
		return eb_error("stage2: BIOS call thunk self-test failed: far call returned ax 0x%x "
				"(want 0x2569)%s", far.eax & 0xffff,
				eb_fault_idt_live() ? "" : ", long-mode IDT not back");
	return EB_OK;
}

void stage2_main(uint32_t boot_drive)
{
	eb_fault_install(); /* first: a fault from here on is reported */
	drive = (uint8_t)boot_drive;
	serial_init();
	for (unsigned i = 0; i < 80 * 25; i++)
		((volatile uint16_t *)phys(0xb8000))[i] = 0x0720;
	eb_log(EB_LOG_DEBUG, "elfboot: BIOS stage2, boot drive 0x%x\r\n", drive);
	eb_phase("checking the BIOS call thunk");
	if (thunk_selftest())
		eb_fatal();
	eb_phase("reading the memory map");
	if (memory_map())
		eb_fatal();
	/* Where files come from, chosen once: the network when the PXE stage
	 * (stage1/pxe.asm) handed over (eax = PXE_HANDOFF_MAGIC); else an ISO
	 * 9660 volume on the boot drive: a CD (2048-byte sectors, booted
	 * through cdboot) or an ISO image written to a disk (stage1 in its
	 * MBR); otherwise the disk the BIOS booted (GPT + FAT). */
	if (boot_medium == PXE_HANDOFF_MAGIC) {
		eb_phase("finding the PXE API");
		if (source_pxe_open(boot_pxenv, boot_pxe, &source))
			eb_fatal();
	} else {
		eb_phase("looking for an ISO 9660 volume");
		int st = source_cd_open(&source);
		if (st == EB_ERR)
			eb_fatal();
		eb_phase("mounting the boot partition");
		if (st == EB_NOTFOUND && source_disk_open(&source))
			eb_fatal();
	}
	sha256_accel(1); /* entry.asm enabled SSE (CR0, CR4) */
	if (source_pins(&eb_pin_block))
		eb_fatal();
	loader_main();
}
