/* SPDX-License-Identifier: MIT */
/*
 * uefi/main.c - the UEFI front end (BOOTX64.EFI, gnu-efi).  Implements the
 * platform hooks of common/include/platform.h with boot services: files
 * through the file source chosen at start (source_fs.c), GOP video facts
 * for the core's policy (video.c), the RSDP from the configuration table,
 * and the exit from boot services, converting the EFI memory map at the
 * border.  efi_main() sets up the console and calls loader_main(), which
 * never returns.  EFI types stay inside uefi/.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#include <efi.h>
#pragma GCC diagnostic pop

#include "acpi.h"
#include "pins.h"
#include "sha256.h"
#include "core.h"
#include "requests.h"
#include "cpu.h"
#include "smbios.h"
#include "source.h"
#include "uefi.h"
#include "video.h"


EFI_HANDLE image;
static EFI_SYSTEM_TABLE *st;
EFI_BOOT_SERVICES *bs;

/* Set just before the first ExitBootServices call.  From then on the
 * firmware may be half torn down even if the call failed: the spec leaves
 * only GetMemoryMap and ExitBootServices callable, kept in these two
 * pointers.  Every other firmware pointer this file holds is poisoned with a
 * non-canonical address, so a stray use faults at once (and the exit-fail
 * test sees it) instead of calling into a dead firmware; output is COM1
 * only. */
static int exit_attempted;
static EFI_GET_MEMORY_MAP get_map;
static EFI_EXIT_BOOT_SERVICES exit_bs;
#define FW_POISON ((void *)0xdead00000000dead)

static EFI_GUID gop_guid = EFI_GRAPHICS_OUTPUT_PROTOCOL_GUID;
static EFI_GUID acpi20_guid = ACPI_20_TABLE_GUID;
static EFI_GUID acpi10_guid = ACPI_TABLE_GUID;
static EFI_GUID smbios_guids[2] = { SMBIOS_TABLE_GUID, SMBIOS3_TABLE_GUID };
/* The FIRMWARE request's facts (plat_efi): kept here, not read from st,
 * which is poisoned once the firmware is left. */
#define MAP_BUF_SIZE (64u << 10)
static struct plat_efi efi_rec = { .map_cap = MAP_BUF_SIZE };

/* The two boot.json switches are independent: serial text goes straight to
 * COM1, screen text to the firmware's text consoles that are not on a UART.
 * ConOut itself is a splitter that also feeds the firmware's serial
 * terminal (OVMF's does), so writing it would put screen text on the serial
 * port with serial_logging off, and serial text there twice with it on. */
#define MAX_SCREENS 4
static SIMPLE_TEXT_OUTPUT_INTERFACE *screens[MAX_SCREENS];
static unsigned n_screens;

/* ConOut is slow per call (it renders to GOP), so characters are collected
 * and written a line at a time. */
static CHAR16 line[160];
static unsigned line_len;

static void conout_flush(void)
{
	if (!line_len || exit_attempted)
		return;
	line[line_len] = 0;
	for (unsigned i = 0; i < n_screens; i++)
		uefi_call_wrapper(screens[i]->OutputString, 2, screens[i], line);
	line_len = 0;
}

void plat_serial_putc(char c)
{
	serial_putc(c);
}

void plat_screen_putc(char c)
{
	if (exit_attempted || !n_screens)
		return;
	line[line_len++] = (CHAR16)(uint8_t)c;
	if (c == '\n' || line_len == sizeof line / sizeof line[0] - 1)
		conout_flush();
}

void plat_halt(void)
{
	conout_flush();
	for (;;)
		__asm__ volatile("cli; hlt");
}

static int path_has_uart(EFI_DEVICE_PATH *dp)
{
	for (int guard = 0; guard < 64; guard++) {
		if (dp->Type == END_DEVICE_PATH_TYPE)
			return 0;
		if (dp->Type == MESSAGING_DEVICE_PATH && dp->SubType == MSG_UART_DP)
			return 1;
		uint16_t len = (uint16_t)(dp->Length[0] | dp->Length[1] << 8);
		if (len < 4)
			return 0;
		dp = (EFI_DEVICE_PATH *)((uint8_t *)dp + len);
	}
	return 0;
}

/* Picks the screen consoles.  When some text console sits on a UART, the
 * screens are the consoles (with a device path) that do not; otherwise
 * ConOut is the screen and has no serial copy to avoid. */
static void find_screens(void)
{
	EFI_GUID text_out = EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL_GUID, dp_guid = EFI_DEVICE_PATH_PROTOCOL_GUID;
	EFI_HANDLE *handles = NULL;
	UINTN n = 0;
	int uart = 0;
	unsigned found = 0;
	if (!EFI_ERROR(uefi_call_wrapper(bs->LocateHandleBuffer, 5, ByProtocol, &text_out, NULL, &n,
					 &handles))) {
		for (UINTN i = 0; i < n; i++) {
			SIMPLE_TEXT_OUTPUT_INTERFACE *out;
			EFI_DEVICE_PATH *dp;
			if (handles[i] == st->ConsoleOutHandle ||
			    EFI_ERROR(uefi_call_wrapper(bs->HandleProtocol, 3, handles[i], &text_out,
							(void **)&out)) ||
			    out == st->ConOut ||
			    EFI_ERROR(uefi_call_wrapper(bs->HandleProtocol, 3, handles[i], &dp_guid,
							(void **)&dp)))
				continue;
			if (path_has_uart(dp))
				uart = 1;
			else if (found < MAX_SCREENS)
				screens[found++] = out;
		}
		uefi_call_wrapper(bs->FreePool, 1, handles);
	}
	n_screens = found;
	if (!uart) {
		n_screens = st->ConOut ? 1 : 0;
		screens[0] = st->ConOut;
	}
}

/* The first ExitBootServices call is about to happen: print what is
 * pending while the console still works, keep the two calls the spec still
 * allows, and poison the rest. */
static void begin_exit(void)
{
	conout_flush();
	exit_bs = bs->ExitBootServices;
	exit_attempted = 1;
	for (unsigned i = 0; i < n_screens; i++)
		screens[i] = FW_POISON;
	bs = FW_POISON;
	st = FW_POISON;
}

/* "0x800000000000000a EFI_VOLUME_CORRUPTED": the code and its name from the
 * spec's table, for error lines.  Two buffers: one message may hold two. */
const char *efi_status(EFI_STATUS s)
{
	/* One string of NUL-separated names, in code order, without their
	 * "EFI_" prefix: no pointer table to relocate, and small (size budget). */
	static const char names[] =
		"SUCCESS\0LOAD_ERROR\0INVALID_PARAMETER\0UNSUPPORTED\0BAD_BUFFER_SIZE\0"
		"BUFFER_TOO_SMALL\0NOT_READY\0DEVICE_ERROR\0WRITE_PROTECTED\0OUT_OF_RESOURCES\0"
		"VOLUME_CORRUPTED\0VOLUME_FULL\0NO_MEDIA\0MEDIA_CHANGED\0NOT_FOUND\0"
		"ACCESS_DENIED\0NO_RESPONSE\0NO_MAPPING\0TIMEOUT\0NOT_STARTED\0ALREADY_STARTED\0"
		"ABORTED\0ICMP_ERROR\0TFTP_ERROR\0PROTOCOL_ERROR\0INCOMPATIBLE_VERSION\0"
		"SECURITY_VIOLATION\0CRC_ERROR\0END_OF_MEDIA\0\0\0END_OF_FILE\0INVALID_LANGUAGE\0"
		"COMPROMISED_DATA\0";
	enum { NAMES = 34 };
	static char buf[2][64];
	static unsigned which;
	uint64_t code = (uint64_t)s & ~(1ull << 63);
	char *b = buf[which++ & 1];
	const char *n = names;
	for (uint64_t i = 0; i < code && i < NAMES; i++)
		n += strlen(n) + 1;
	/* Codes 29 and 30 have no name in the spec: empty strings. */
	if (code < NAMES && *n && ((uint64_t)s >> 63 || !code))
		eb_snprintf(b, sizeof buf[0], "0x%lx EFI_%s", (uint64_t)s, n);
	else
		eb_snprintf(b, sizeof buf[0], "0x%lx", (uint64_t)s);
	return b;
}

static void rodata_report(void); /* at efi_main: .rodata's unpacking */

/* ---- files: from the source chosen in efi_main() (source.h) ---- */
static const struct file_source *source;
static int network;

static int file_pages(uint64_t bytes, uint64_t *addr)
{
	EFI_PHYSICAL_ADDRESS a = 0;
	EFI_STATUS s = uefi_call_wrapper(bs->AllocatePages, 4, AllocateAnyPages, EfiLoaderData,
					 EB_ALIGN_UP(bytes, EB_PAGE) / EB_PAGE, &a);
	if (EFI_ERROR(s))
		return eb_error("AllocatePages failed (status %s)", efi_status(s));
	*addr = a;
	return EB_OK;
}

static void file_pages_free(uint64_t addr, uint64_t bytes)
{
	uefi_call_wrapper(bs->FreePages, 2, addr, EB_ALIGN_UP(bytes, EB_PAGE) / EB_PAGE);
}

int plat_read_file(const char *name, struct plat_file *out)
{
	/* On the stack, not static: no load-time relocation (size budget). */
	const struct file_alloc file_mem = { file_pages, file_pages_free };
	return source_load(source, &file_mem, name, out);
}

const char *plat_file_place(void)
{
	if (network)
		return source_pxe_place();
	return "at the root of the boot partition";
}

/* ---- video: GOP.  The modes' facts go to the core (video.c), which
 * picks; this sets the pick and describes the mode the screen is in. ---- */
static void gop_masks(struct video_mode *m, uint32_t bpp, uint32_t r, uint32_t g, uint32_t b,
		      uint32_t x)
{
	m->linear = 1;
	m->bpp = bpp;
	m->red_mask = r;
	m->green_mask = g;
	m->blue_mask = b;
	m->reserved_mask = x;
}

static void gop_facts(uint32_t id, const EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *mi,
		      struct video_mode *m)
{
	const EFI_PIXEL_BITMASK *pb = &mi->PixelInformation;
	memset(m, 0, sizeof *m);
	m->id = id;
	m->width = mi->HorizontalResolution;
	m->height = mi->VerticalResolution;
	if (mi->PixelFormat == PixelRedGreenBlueReserved8BitPerColor) /* bytes R, G, B, X */
		gop_masks(m, 32, 0xff, 0xff00, 0xff0000, 0xff000000u);
	else if (mi->PixelFormat == PixelBlueGreenRedReserved8BitPerColor) /* bytes B, G, R, X */
		gop_masks(m, 32, 0xff0000, 0xff00, 0xff, 0xff000000u);
	else if (mi->PixelFormat == PixelBitMask) /* the size follows from the masks */
		gop_masks(m, 0, pb->RedMask, pb->GreenMask, pb->BlueMask, pb->ReservedMask);
	/* else PixelBltOnly: no framebuffer to hand over (linear stays 0) */
}

int plat_set_video(uint64_t min_w, uint64_t min_h, struct plat_framebuffer *out)
{
	EFI_GRAPHICS_OUTPUT_PROTOCOL *gop;
	EFI_STATUS s = uefi_call_wrapper(bs->LocateProtocol, 3, &gop_guid, NULL, (void **)&gop);
	if (EFI_ERROR(s) || !gop || !gop->Mode) {
		eb_log(EB_LOG_WARN, "elfboot: no GOP (status %s)\r\n", efi_status(s));
		return EB_NOTFOUND;
	}
	/* The list from pool memory: a static one would add 10 KiB of zeros
	 * to BOOTX64.EFI (gnu-efi keeps .bss in the file). */
	struct video_mode *gop_modes;
	s = uefi_call_wrapper(bs->AllocatePool, 3, EfiLoaderData,
			      VIDEO_MAX_MODES * sizeof *gop_modes, (void **)&gop_modes);
	if (EFI_ERROR(s))
		return eb_error("gop: no memory for the mode list (status %s)", efi_status(s));
	uint32_t n = 0, cur = gop->Mode->Mode, current, pick;
	for (uint32_t m = 0; m < gop->Mode->MaxMode && n < VIDEO_MAX_MODES; m++) {
		EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *mi;
		UINTN sz;
		if (EFI_ERROR(uefi_call_wrapper(gop->QueryMode, 4, gop, m, &sz, &mi)) || !mi)
			continue;
		if (sz >= sizeof *mi) /* a shorter record lacks fields read below */
			gop_facts(m, mi, &gop_modes[n++]);
		uefi_call_wrapper(bs->FreePool, 1, mi); /* QueryMode allocated it for us */
	}
	for (current = 0; current < n && gop_modes[current].id != cur; current++)
		;
	struct video_mode want;
	int found = video_pick(gop_modes, n, current, min_w, min_h, &pick) == EB_OK;
	if (found)
		want = gop_modes[pick];
	uefi_call_wrapper(bs->FreePool, 1, gop_modes);
	if (!found)
		return EB_NOTFOUND;
	if (pick != current) {
		s = uefi_call_wrapper(gop->SetMode, 2, gop, (uint32_t)want.id);
		if (EFI_ERROR(s))
			eb_log(EB_LOG_WARN, "elfboot: warning: setting video mode %u (%ux%u) failed "
			       "(status %s); keeping the current one\r\n", (uint32_t)want.id,
			       want.width, want.height, efi_status(s));
	}
	/* Described from what the firmware says now, whichever mode that is. */
	EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *mi = gop->Mode->Info;
	if (!mi)
		return eb_error("gop: no information on the current mode %u", gop->Mode->Mode);
	struct video_mode now;
	gop_facts(gop->Mode->Mode, mi, &now);
	uint64_t bpp = video_bytes_per_pixel(&now);
	if (!now.linear || !bpp)
		return eb_error("gop: current mode %u (%ux%u) has no linear framebuffer",
				gop->Mode->Mode, now.width, now.height);
	return video_framebuffer(&now, gop->Mode->FrameBufferBase,
				 (uint64_t)mi->PixelsPerScanLine * bpp, gop->Mode->FrameBufferSize,
				 out);
}

static int guid_eq(const EFI_GUID *a, const EFI_GUID *b)
{
	return memcmp(a, b, sizeof *a) == 0;
}

/* The first configuration-table entry with GUID g, 0 if none. */
static uint64_t config_table(const EFI_GUID *g)
{
	for (UINTN i = 0; i < st->NumberOfTableEntries; i++)
		if (guid_eq(&st->ConfigurationTable[i].VendorGuid, g))
			return (uint64_t)(uintptr_t)st->ConfigurationTable[i].VendorTable;
	return 0;
}

uint64_t plat_rsdp(void)
{
	/* The ACPI 2.0 entry first; a damaged one falls back to 1.0. */
	uint64_t cand[2] = { config_table(&acpi20_guid), config_table(&acpi10_guid) };
	for (int i = 0; i < 2; i++) {
		if (!cand[i])
			continue;
		const char *why = acpi_rsdp_problem((const void *)(uintptr_t)cand[i]);
		if (!why)
			return cand[i];
		eb_log(EB_LOG_WARN, "elfboot: warning: RSDP at 0x%lx (ACPI %s table entry): %s; "
		       "ignoring it\r\n", cand[i], i ? "1.0" : "2.0", why);
	}
	return 0;
}

/* TIMESTAMPS: the firmware's clock.  A TimeZone other than "unspecified"
 * is applied as UEFI 2.7+ defines it (Localtime = UTC + TimeZone). */
int64_t plat_wall_clock(void)
{
	EFI_TIME t;
	if (EFI_ERROR(uefi_call_wrapper(st->RuntimeServices->GetTime, 2, &t, 0)))
		return -1;
	int64_t s = eb_unix_time(t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second);
	if (s >= 0 && t.TimeZone != EFI_UNSPECIFIED_TIMEZONE)
		s -= (int64_t)t.TimeZone * 60;
	return s;
}

/* ---- FIRMWARE request: SMBIOS from the configuration table (each entry
 * checked by the core), the system table, the raw memory map. ---- */
void plat_smbios(uint64_t *ep32, uint64_t *ep64)
{
	for (int i = 0; i < 2; i++) {
		uint64_t a = config_table(&smbios_guids[i]);
		smbios_find(a, a + 1, ep32, ep64);
	}
}

const struct plat_efi *plat_efi(void)
{
	return &efi_rec;
}

uint64_t plat_alloc_limit(void)
{
	return ~0ull; /* UEFI identity-maps all memory */
}

static uint32_t convert_type(uint32_t t)
{
	switch (t) {
	case EfiConventionalMemory:
		return MEM_FREE;
	case EfiLoaderCode:
	case EfiLoaderData:
	case EfiBootServicesCode:
	case EfiBootServicesData:
		return MEM_BUSY;
	default:
		return MEM_FIRMWARE;
	}
}

/* EFI descriptors to the core's regions, at the border. */
static int convert_map(const uint8_t *buf, UINTN size, UINTN dsize, struct mem_region *map,
		       uint32_t cap, uint32_t *count, enum firmware_kind *fw)
{
	if (dsize < sizeof(EFI_MEMORY_DESCRIPTOR))
		return eb_error("uefi: memory descriptor size %lu is too small", (uint64_t)dsize);
	uint32_t n = 0;
	for (UINTN off = 0; off + dsize <= size; off += dsize) {
		const EFI_MEMORY_DESCRIPTOR *d = (const EFI_MEMORY_DESCRIPTOR *)(buf + off);
		uint64_t len = d->NumberOfPages * EB_PAGE;
		if (!d->NumberOfPages)
			continue;
		if (d->NumberOfPages > (1ull << 40) || d->PhysicalStart + len < d->PhysicalStart)
			return eb_error("uefi: memory descriptor at 0x%lx with %lu pages wraps",
					(uint64_t)d->PhysicalStart, (uint64_t)d->NumberOfPages);
		if (n == cap)
			return eb_error("uefi: memory map has more than %u entries", cap);
		map[n].start = d->PhysicalStart;
		map[n].end = d->PhysicalStart + len;
		map[n].kind = convert_type(d->Type);
		map[n].fw_type = d->Type;
		n++;
	}
	*count = n;
	*fw = FIRMWARE_UEFI;
	return EB_OK;
}

/* The firmware's descriptors, in .bss (no bytes in the file): no pool
 * allocation to size, free or fit between GetMemoryMap and
 * ExitBootServices, and the final map stays intact, at a fixed place, for
 * the FIRMWARE request's copy.  Room for the core's 1024 regions and more
 * at the spec's 48-byte descriptors; a larger map is named, not cut. */
static uint8_t map_buf[MAP_BUF_SIZE] __attribute__((aligned(8)));
static UINTN map_key;

/* GetMemoryMap into map_buf through get_map (kept from efi_main on: the
 * one call still allowed after a failed exit); records the size for
 * plat_efi and the key for ExitBootServices. */
static EFI_STATUS read_map(void)
{
	/* Straight into efi_rec: UINTN is its uint64_t. */
	efi_rec.map_size = sizeof map_buf;
	EFI_STATUS s = uefi_call_wrapper(get_map, 5, &efi_rec.map_size,
					 (EFI_MEMORY_DESCRIPTOR *)map_buf, &map_key,
					 &efi_rec.desc_size, &efi_rec.desc_version);
	if (EFI_ERROR(s)) /* EFI_BUFFER_TOO_SMALL: more than map_buf holds */
		eb_error("uefi: GetMemoryMap failed (status %s)", efi_status(s));
	return s;
}

int plat_memory_map(struct mem_region *map, uint32_t cap, uint32_t *count,
		    enum firmware_kind *fw)
{
	if (EFI_ERROR(read_map()))
		return EB_ERR;
	return convert_map(map_buf, efi_rec.map_size, efi_rec.desc_size, map, cap, count, fw);
}

int plat_reserve(uint64_t bytes, uint64_t *addr)
{
	EFI_PHYSICAL_ADDRESS a = 0;
	EFI_STATUS s = uefi_call_wrapper(bs->AllocatePages, 4, AllocateAnyPages, EfiLoaderData,
					 EB_ALIGN_UP(bytes, EB_PAGE) / EB_PAGE, &a);
	if (EFI_ERROR(s))
		return eb_error("uefi: cannot reserve %lu KiB for the kernel's page tables, "
				"stack and segments (status %s)", bytes >> 10, efi_status(s));
	*addr = a;
	return EB_OK;
}

/* Below 1 MiB because a SIPI vector is a real-mode page number; the
 * firmware's own data there is left alone, as AllocatePages guarantees. */
uint64_t plat_smp_low(void)
{
	EFI_PHYSICAL_ADDRESS a = 0xfffff;
	EFI_STATUS s = uefi_call_wrapper(bs->AllocatePages, 4, AllocateMaxAddress, EfiLoaderData,
					 2, &a);
	return EFI_ERROR(s) ? 0 : a;
}

#define EXIT_TRIES 8

int plat_exit_firmware(struct mem_region *map, uint32_t cap, uint32_t *count,
		       enum firmware_kind *fw)
{
	if (EFI_ERROR(read_map()))
		return EB_ERR;
	begin_exit();
	/* The key goes stale if anything changed the map since GetMemoryMap
	 * (timer events can): the spec's answer is GetMemoryMap into the same
	 * buffer and ExitBootServices again, with nothing in between. */
	unsigned attempt = 0;
	EFI_STATUS s;
	for (;;) {
		attempt++;
		UINTN k = map_key;
		if (eb_test_fault == EB_TEST_FAULT_EXIT_FAIL ||
		    (eb_test_fault == EB_TEST_FAULT_EXIT_RETRY && attempt == 1))
			k = ~map_key; /* a key the firmware never handed out */
		s = uefi_call_wrapper(exit_bs, 2, image, k);
		if (s != EFI_INVALID_PARAMETER || attempt == EXIT_TRIES)
			break;
		if (EFI_ERROR(read_map())) /* named there; it is the same buffer */
			return EB_ERR;
	}
	if (EFI_ERROR(s))
		return eb_error("uefi: ExitBootServices failed %u time%s (status %s%s)", attempt,
				attempt == 1 ? "" : "s", efi_status(s),
				s == EFI_INVALID_PARAMETER ? ": stale memory map key" : "");
	/* Said only now, on serial: no console existed during the retries. */
	if (attempt > 1)
		eb_log(EB_LOG_DEBUG, "elfboot: ExitBootServices: stale map key, retried; "
				     "succeeded on attempt %u\r\n", attempt);
	efi_rec.map = (uint64_t)(uintptr_t)map_buf;
	rodata_report();
	return convert_map(map_buf, efi_rec.map_size, efi_rec.desc_size, map, cap, count, fw);
}

/* .bss has no bytes in the file (uefi/efi.lds): the PE loader zero-fills
 * it, as PE/COFF requires.  Checked before anything is stored there, since
 * every zero-initialised variable relies on it; a firmware that did not is
 * named on serial, and the section zeroed here. */
extern uint8_t __bss_start[], __bss_end[];
static int bss_check(void)
{
	/* Quadwords: efi.lds aligns both ends to 8. */
	const uint64_t *p = (const void *)__bss_start, *end = (const void *)__bss_end;
	for (; p < end; p++)
		if (*p) {
			memset(__bss_start, 0, (size_t)(__bss_end - __bss_start));
			return 1;
		}
	return 0;
}

/* The constants (.rodata: messages, tables) are stored packed in .data
 * (mk/efipack.py, uefi/rodata_pack.asm: s2pack's stream after an 8-byte
 * header, the unpacked length and its FNV-1a sum) and unpacked into their
 * linked place, which has no file bytes, before anything reads them.  So
 * this code reads no constant, and its one message is a .data array. */
extern uint8_t __rodata_start[], __rodata_end[], __rodata_pack[] __attribute__((visibility("hidden")));
static CHAR16 rodata_damaged[] __attribute__((section(".data.rodata_msg"))) =
	L"elfboot: error: BOOTX64.EFI's packed constants are damaged (reinstall it)\r\n";
/* In .data: it is set before bss_check, which would take it for firmware
 * garbage in .bss. */
static uint64_t rodata_ticks __attribute__((section(".data.rodata_ticks")));

struct bits {
	const uint8_t *in, *end;
	unsigned ctl, left;
	int bad;
};
/* Next stream byte; past the end: 0 and marked bad. */
static unsigned next_byte(struct bits *b)
{
	if (b->in >= b->end) {
		b->bad = 1;
		return 0;
	}
	return *b->in++;
}
static unsigned next_bit(struct bits *b)
{
	if (!b->left) {
		b->ctl = next_byte(b);
		b->left = 8;
	}
	return (b->ctl >> --b->left) & 1;
}
/* Elias gamma (s2pack.py); values over 2^24 cannot be in a 16 MiB image. */
static uint32_t next_gamma(struct bits *b)
{
	uint32_t v = 1;
	while (next_bit(b) && v < (1u << 24))
		v = v * 2 + next_bit(b);
	return v;
}

/* 0: unpacked, and the sum matches what the build packed. */
static __attribute__((noinline)) int rodata_unpack(void)
{
	uint8_t *start = __rodata_start, *out = start, *end = __rodata_end;
	/* rodata_pack.asm: the pack's length (8 bytes of header + stream), 4
	 * bytes of padding, then the pack. */
	uint32_t size = 0, len = 0, sum = 0;
	for (int i = 3; i >= 0; i--) {
		size = size << 8 | __rodata_pack[i];
		len = len << 8 | __rodata_pack[8 + i];
		sum = sum << 8 | __rodata_pack[12 + i];
	}
	if (size < 8)
		return -1;
	struct bits b = { __rodata_pack + 16, __rodata_pack + 8 + size, 0, 0, 0 };
	if (len != (uint64_t)(end - start))
		return -1;
	while (out < end && !b.bad) {
		if (!next_bit(&b)) {
			*out++ = (uint8_t)next_byte(&b);
			continue;
		}
		uint32_t h = next_gamma(&b);
		uint64_t off = (uint64_t)(h - 1) * 256 + next_byte(&b) + 1;
		uint64_t n = (uint64_t)next_gamma(&b) + 1;
		if (b.bad || off > (uint64_t)(out - start) || n > (uint64_t)(end - out))
			return -1;
		for (; n; n--, out++)
			*out = *(out - off);
	}
	uint32_t h = 2166136261u;
	for (const uint8_t *p = start; p < end; p++)
		h = (h ^ *p) * 16777619u;
	return b.bad || h != sum ? -1 : 0;
}

/* Said late (from the exit from boot services), when the config's
 * log_level applies.  The lengths come from the pack's header (checked
 * by rodata_unpack): __rodata_end - __rodata_start costs a GOT slot and a
 * load-time relocation (a `sub` from memory cannot be relaxed to a lea). */
static void rodata_report(void)
{
	eb_log(EB_LOG_DEBUG, "elfboot: constants unpacked: %u bytes from %u in %lu TSC ticks\r\n",
	       *(uint32_t *)(__rodata_pack + 8), *(uint32_t *)__rodata_pack, rodata_ticks);
}

/* The build id (given with -include, like loader.c's) in .data: .rodata is
 * stored packed, and `elfboot image-info` and the tool's loader-dir check
 * find the id by scanning the file.  efi_main names it so the link keeps it. */
#ifdef ELFBOOT_ID
static char efi_build_id[] = ELFBOOT_ID;
#define KEEP_BUILD_ID() __asm__ volatile("" ::"r"(efi_build_id))
#else
#define KEEP_BUILD_ID() ((void)0)
#endif

/* The file pins (pins.h, docs/trusted-boot.md) in .data, not .rodata:
 * that is stored packed, and `elfboot image --pin` patches the block in
 * the file (before signing it). */
__attribute__((used, aligned(16))) struct eb_pin_block eb_pin_block = EB_PIN_BLOCK_INIT;

static EFI_STATUS efi_boot(EFI_HANDLE img, EFI_SYSTEM_TABLE *systab);
EFI_STATUS efi_main(EFI_HANDLE img, EFI_SYSTEM_TABLE *systab);
EFI_STATUS efi_main(EFI_HANDLE img, EFI_SYSTEM_TABLE *systab)
{
	uint64_t t0 = cpu_rdtsc();
	KEEP_BUILD_ID();
	if (rodata_unpack()) {
		uefi_call_wrapper(systab->ConOut->OutputString, 2, systab->ConOut, rodata_damaged);
		return EFI_LOAD_ERROR;
	}
	rodata_ticks = cpu_rdtsc() - t0;
	__asm__ volatile("" ::: "memory");
	return efi_boot(img, systab);
}

/* The rest of the start, in its own function: nothing of it (a constant
 * loaded early) can be scheduled before the unpacking. */
static __attribute__((noinline)) EFI_STATUS efi_boot(EFI_HANDLE img, EFI_SYSTEM_TABLE *systab)
{
	int bss_dirty = bss_check();
	image = img;
	st = systab;
	efi_rec.system_table = (uint64_t)(uintptr_t)systab;
	bs = systab->BootServices;
	get_map = bs->GetMemoryMap;
	serial_init();
	if (bss_dirty)
		eb_log(EB_LOG_WARN, "elfboot: warning: the firmware did not zero the loader's .bss\r\n");
	find_screens();
	uefi_call_wrapper(bs->SetWatchdogTimer, 4, 0, 0, 0, NULL);
	/* Where files come from, chosen once, by the protocols on the loaded
	 * image's DeviceHandle.  EFI_PXE_BASE_CODE_PROTOCOL first: the firmware
	 * fetched us over the network (source_pxe.c; iPXE also puts a file
	 * system on that handle).  Then an ISO 9660 volume on the device this
	 * image's partition belongs to (a CD booted through El Torito, or the
	 * ISO written to a disk): the FAT image we were loaded from holds only
	 * BOOTX64.EFI.  Otherwise the file system of the device this image was
	 * loaded from (a disk's ESP). */
	eb_phase("opening the boot volume");
	int found = source_pxe_open(&source);
	if (found == EB_OK) {
		network = 1;
	} else if (found == EB_NOTFOUND) {
		eb_phase("looking for an ISO 9660 volume");
		found = source_iso_open(&source);
		eb_phase("opening the boot volume");
		if (found == EB_NOTFOUND)
			found = source_fs_open(&source);
	}
	/* SHA-NI for the pins when SSE is on, as UEFI (2.3.4, x64) has it:
	 * CR4.OSFXSR set, CR0.EM and TS clear.  The XMM registers stay ours
	 * between firmware calls: its interrupt handlers save and restore the
	 * FP/SSE state (EDK2's CpuDxe with FXSAVE), its services keep XMM6-15
	 * (Microsoft x64 convention) and sha256_ni.asm keeps nothing in XMM
	 * from one call to the next. */
	uint64_t cr0, cr4;
	__asm__ volatile("mov %%cr0, %0\n\tmov %%cr4, %1" : "=r"(cr0), "=r"(cr4));
	sha256_accel((cr4 & (1u << 9)) && !(cr0 & 0xc));
	if (found != EB_OK || source_pins(&eb_pin_block))
		eb_fatal();
	loader_main();
}
