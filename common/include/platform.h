/* SPDX-License-Identifier: MIT */
/*
 * platform.h - the one seam between a firmware front end and the core.
 *
 * common/ calls only the hooks below; stage2/ (BIOS) and uefi/ (UEFI) each
 * implement them, and tests/unit implements them over host memory.  Firmware
 * data is converted to these types at the border: common/ never sees an
 * E820 entry or an EFI descriptor.  All addresses are physical; the core
 * relies on memory being identity-mapped while it runs (UEFI guarantees it,
 * stage2 sets it up for every address it reports as RAM).
 */
#ifndef ELFBOOT_PLATFORM_H
#define ELFBOOT_PLATFORM_H

#include <stdint.h>

/* Status codes returned by hooks and core layers. */
#define EB_OK        0
#define EB_ERR      -1 /* the message is in eb_last_error() */
#define EB_NOTFOUND -2 /* optional file absent (no message needed) */

/* Kinds of memory at the seam. */
enum mem_kind {
	MEM_FREE = 0,       /* free RAM: the core may allocate it; Usable later */
	MEM_BUSY = 1,       /* RAM in use by the front end now, Usable once the
	                       kernel runs (loader image, firmware boot data) */
	MEM_BOOTLOADER = 2, /* RAM the kernel must keep (kernel file, ramdisk,
	                       loader allocations) */
	MEM_FIRMWARE = 3,   /* anything else; fw_type keeps the firmware code */
};

/* Which firmware the fw_type values of MEM_FIRMWARE regions come from. */
enum firmware_kind { FIRMWARE_UEFI = 1, FIRMWARE_BIOS = 2 };

struct mem_region {
	uint64_t start;   /* inclusive, bytes */
	uint64_t end;     /* exclusive */
	uint32_t kind;    /* enum mem_kind */
	uint32_t fw_type; /* EFI memory type or E820 type */
};

/* What the front end knows about the framebuffer it set up. */
struct plat_framebuffer {
	uint64_t phys;            /* physical base */
	uint64_t byte_len;
	uint64_t width, height;   /* pixels */
	uint64_t stride;          /* pixels per scan line */
	uint64_t bytes_per_pixel;
	uint32_t format;          /* ELFBOOT_PIXEL_* */
	uint8_t red_pos, green_pos, blue_pos; /* for ELFBOOT_PIXEL_UNKNOWN */
};

/* A file the front end read into memory it owns (reported MEM_BUSY or
 * absent in the map); the core marks it MEM_BOOTLOADER. */
struct plat_file {
	uint64_t addr; /* physical, page aligned */
	uint64_t size; /* bytes */
};

/* The front end's raw console writers: the screen (while the firmware
 * allows; it may keep or drop text it cannot show) and the serial port.
 * Which of them a character goes to is the core's choice (console.c). */
void plat_screen_putc(char c);
void plat_serial_putc(char c);

/* Reads a file from the boot volume's root.  EB_NOTFOUND if absent. */
int plat_read_file(const char *name, struct plat_file *out);

/* Where plat_read_file looks, for a "not found" line: "at the root of the
 * boot partition", "on TFTP server 10.0.2.2". */
const char *plat_file_place(void);

/* Sets the video mode the core's policy picks for a minimum of min_w x
 * min_h (0 = none; video_pick in video.h) and describes its framebuffer
 * (video_framebuffer).  EB_OK and *out filled; EB_NOTFOUND when there is
 * no usable linear framebuffer; EB_ERR with the reason when the chosen
 * mode could not be set or described.  Either way the kernel then boots
 * without a framebuffer. */
int plat_set_video(uint64_t min_w, uint64_t min_h, struct plat_framebuffer *out);

/* Physical address of the ACPI RSDP, 0 if none was found. */
uint64_t plat_rsdp(void);

/* Frames the core allocates must lie below this address (the front end
 * identity-maps everything below it): ~0 on UEFI, 4 GiB on BIOS. */
uint64_t plat_alloc_limit(void);

/* The memory map as it is now, firmware still running (same conventions as
 * plat_exit_firmware). */
int plat_memory_map(struct mem_region *map, uint32_t cap, uint32_t *count,
		    enum firmware_kind *fw);

/* Reserves `bytes` of RAM below plat_alloc_limit() that the firmware will
 * not touch, for the core to build the kernel's world in before leaving the
 * firmware.  EB_NOTFOUND: nothing else allocates (BIOS); the core may use
 * any free memory in the map. */
int plat_reserve(uint64_t bytes, uint64_t *addr);

/* Leaves the firmware for good and fills map[0..*count) (capacity `cap`)
 * with the final memory map; *fw tells whose fw_type codes these are.
 * After this, only plat_serial_putc and plat_halt may be called. */
int plat_exit_firmware(struct mem_region *map, uint32_t cap, uint32_t *count,
		       enum firmware_kind *fw);

/* Stops the machine; never returns. */
__attribute__((noreturn)) void plat_halt(void);

/* ---- TIMESTAMPS request (common/req_timestamps.c) ---- */
/* The wall clock now as UNIX seconds (UTC as far as the firmware knows),
 * -1 if it cannot be read.  Called only while the firmware still runs
 * (UEFI GetTime; BIOS: the CMOS RTC), only for kernels that ask. */
int64_t plat_wall_clock(void);

/* ---- FIRMWARE request (common/req_firmware.c) ---- */
/* The SMBIOS entry points, physical, each checked by smbios_find/
 * smbios_entry (smbios.h); 0 = none of that kind. */
void plat_smbios(uint64_t *ep32, uint64_t *ep64);

/* UEFI only: the system table and the firmware's own memory descriptors.
 * map_cap: the most map_size can ever be (the front end's buffer).  After
 * plat_exit_firmware, map holds the final map (map_size bytes), intact
 * until the jump. */
struct plat_efi {
	uint64_t system_table; /* physical */
	uint64_t map, map_size, map_cap, desc_size;
	uint32_t desc_version;
};
/* The front end's record (updated as above), or 0 on BIOS. */
const struct plat_efi *plat_efi(void);
/* ---- SMP request (common/req_smp.c) ---- */
/* Two 4 KiB pages below 1 MiB (the first becomes the APs'
 * SIPI vector page) that the core may overwrite once it has left the
 * firmware; asked for while the firmware runs, and only for kernels that
 * want their APs started.  0 if there are none. */
uint64_t plat_smp_low(void);

/* ---- measured boot (issue 11; docs/trusted-boot.md) ---- */
/* Measures len bytes at data (a file as read, or the effective config)
 * into the TPM, if the firmware offers one, with `what` (a file's name,
 * "config") in the event log.  Called while the firmware runs, in the
 * order the docs give.  Never fails the boot: no TPM, nothing happens; a
 * failure is a warning line at most.  UEFI: TCG2 protocol, PCR 9; BIOS:
 * does nothing. */
void plat_measure(const char *what, const void *data, uint64_t len);
/* 1 if plat_measure records anything (a TPM is there): the core prepares
 * the effective config's bytes only then (BIOS: 0, and no serialiser in
 * stage2). */
int plat_measuring(void);

#endif
