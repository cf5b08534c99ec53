/* SPDX-License-Identifier: MIT */
/*
 * core.h - internal interfaces of the freestanding core (common/).
 *
 * Every function here is pure C over memory the caller hands in, so the very
 * same sources build for the firmware front ends, for the host tool and for
 * the host unit tests.  Lower layers return EB_OK or EB_ERR (with one line in
 * eb_last_error()); only the front ends and loader_main() stop the machine.
 */
#ifndef ELFBOOT_CORE_H
#define ELFBOOT_CORE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "elfboot.h"
#include "platform.h"

/* ---- string.c: libc names, provided by libc on the host ---- */
void *memcpy(void *restrict d, const void *restrict s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

/* ---- fmt.c ---- */
/* printf subset: %s %c %d %u %x %p, l/ll modifiers, zero-pad width. */
int eb_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
int eb_snprintf(char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void eb_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints only when `level` is within the boot.json log_level (default Info). */
void eb_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void eb_set_log_level(int level);
/* Records the message for eb_last_error() and returns EB_ERR. */
int eb_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *eb_last_error(void);

#define EB_PAGE 4096ull
#define EB_ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a) - 1))
#define EB_ALIGN_UP(x, a) (((x) + (uint64_t)(a) - 1) & ~((uint64_t)(a) - 1))

/* True if [a, a+len) does not wrap and stays within a 64-bit address. */
static inline int eb_range_ok(uint64_t a, uint64_t len)
{
	return a + len >= a;
}
static inline int eb_canonical(uint64_t va)
{
	return va < 0x0000800000000000ull || va >= 0xffff800000000000ull;
}

/* ---- console.c: the core's output, to the front end's raw writers ---- */
/* A character of an unlevelled line (eb_printf: errors, boot.json
 * warnings): on every target that is switched on. */
void eb_putc(char c);
/* A character of an eb_log line of `level`: serial when switched on, the
 * screen when switched on and level <= the screen's maximum. */
void eb_log_putc(int level, char c);
/* boot.json's frame_buffer_logging and serial_logging (both on until it
 * is read); errors switch both back on before printing. */
void eb_log_targets(int screen, int serial);
/* The highest eb_log level drawn on the screen (EB_LOG_TRACE until boot.json
 * is read; then EB_LOG_WARN unless frame_buffer_logging asks for progress). */
void eb_log_screen_max(int level);
/* boot.json _test_screen_echo: copy what reaches the screen writer to
 * QEMU's debugcon port 0xe9 (elfboot's own tests only). */
void eb_console_echo(int on);

/* ---- crc32.c ---- */
uint32_t eb_crc32(const void *data, uint64_t n);

/* ---- serial.c: COM1 (port I/O; used by both front ends) ---- */
int serial_init(void); /* 1 if a UART answered */
void serial_putc(char c);

/* ---- config.c ---- */
struct eb_mapping {
	uint8_t fixed;  /* 0 Dynamic, 1 FixedAddress */
	uint64_t addr;
};

struct eb_config {
	uint32_t len; /* 133, 124 or 115 */
	uint16_t version_major, version_minor, version_patch;
	uint8_t pre_release;
	uint64_t kernel_stack_size;
	struct eb_mapping kernel_stack, kernel_base, boot_info, framebuffer;
	uint8_t has_physical_memory;
	struct eb_mapping physical_memory;
	uint8_t has_recursive;
	struct eb_mapping recursive;
	uint8_t aslr;
	uint8_t has_dyn_start, has_dyn_end;
	uint64_t dyn_start, dyn_end;
	struct eb_mapping ramdisk_memory;
	uint8_t has_min_height, has_min_width;
	uint64_t min_height, min_width;
};

/* Parses and validates a serialised config (133, 124 or 115 bytes). */
int config_parse(const uint8_t *data, uint64_t len, struct eb_config *out);
/* The bootloader_api defaults (what ELFBOOT_CONFIG_DEFAULT emits). */
void config_default(struct eb_config *c);
/* Serialises to the 133-byte form; returns the length written. */
uint32_t config_serialize(const struct eb_config *c, uint8_t out[ELFBOOT_CONFIG_LEN]);
/* Serialises to the form of `len` bytes (133, 124 or 115); EB_ERR if that
 * form lacks a field whose value is not the default. */
int config_serialize_len(const struct eb_config *c, uint64_t len, uint8_t *out);

/* ---- bootcfg.c: boot.json, the runtime config file ---- */
#define EB_LOG_OFF 0
#define EB_LOG_ERROR 1
#define EB_LOG_WARN 2
#define EB_LOG_INFO 3
#define EB_LOG_DEBUG 4
#define EB_LOG_TRACE 5

/* boot.json "cmdline" and "modules": [{"file": F, "name": N, "cmdline": C}]
 * (issue 10).  Their strings are decoded into eb_bootcfg.strings; a field
 * is an offset there, 0 when absent (strings[0] is "").  The bounds are on
 * a string's JSON form, which bounds the decoded one too. */
#define EB_MAX_MODULES 64
#define EB_MODULE_NAME_MAX 255 /* a module's file and name */
#define EB_CMDLINE_MAX 4095
#define EB_BOOTCFG_STRINGS 8192 /* all of them, NULs included */
struct eb_bootmod {
	uint16_t file, name, cmdline; /* name: file's when absent */
};

struct eb_bootcfg {
	uint8_t has_min_height, has_min_width;
	uint64_t min_height, min_width;
	uint8_t log_level;        /* EB_LOG_*, default Info */
	uint8_t screen_logging;   /* frame_buffer_logging not false: errors, warnings */
	uint8_t screen_progress;  /* frame_buffer_logging true: progress too (default 0) */
	uint8_t serial_logging;   /* default true */
	uint8_t test_screen_echo; /* _test_screen_echo: elfboot's own tests only */
	uint64_t test_sentinel;   /* copied to BootInfo._test_sentinel */
	uint8_t test_fault;       /* EB_TEST_FAULT_*: elfboot's own tests only */
	/* issue 10, MODULES and CMDLINE (see EB_MAX_MODULES) */
	uint16_t cmdline;         /* offset in strings, 0: none */
	uint16_t strings_used;
	uint32_t module_count;
	struct eb_bootmod modules[EB_MAX_MODULES];
	char strings[EB_BOOTCFG_STRINGS];
};

/* boot.json "_test_fault" (off by default, like _test_sentinel): makes the
 * loader fail on purpose so the tests can prove its failure paths.
 *   exception:  a CPU exception inside the loader once it owns the CPU
 *   exit-retry: the first attempt to leave the firmware uses a stale map key
 *   exit-fail:  every attempt to leave the firmware uses a stale map key
 *   tftp-blocks: no fault: the BIOS network source reads TFTP block by block
 *               (its fallback for PXE ROMs without TFTP_READ_FILE) */
#define EB_TEST_FAULT_NONE 0
#define EB_TEST_FAULT_EXCEPTION 1
#define EB_TEST_FAULT_EXIT_RETRY 2
#define EB_TEST_FAULT_EXIT_FAIL 3
#define EB_TEST_FAULT_TFTP_BLOCKS 4
/* Set by loader_main from boot.json before any firmware exit; front ends
 * read it (0 unless a test asked). */
extern uint8_t eb_test_fault;

void bootcfg_default(struct eb_bootcfg *c);
/* Parses boot.json; on any error *c holds the defaults and EB_ERR says why. */
int bootcfg_parse(const char *text, uint64_t len, struct eb_bootcfg *c);

/* ---- elf.c ---- */
struct elf_segment {
	uint64_t vaddr, memsz, offset, filesz;
	uint32_t flags; /* PF_X 1, PF_W 2, PF_R 4 */
};

#define ELF_MAX_SEGMENTS 64

struct elf_image {
	const uint8_t *file;
	uint64_t size;
	int pie;                      /* ET_DYN */
	uint64_t entry;               /* unrelocated */
	uint64_t vmin, vmax;          /* page-aligned span of PT_LOADs */
	uint64_t max_align;           /* largest PT_LOAD p_align (>= 4096) */
	uint32_t nseg;
	struct elf_segment seg[ELF_MAX_SEGMENTS];
	int has_tls;
	uint64_t tls_vaddr, tls_filesz, tls_memsz;
	int has_relro;
	uint64_t relro_vaddr, relro_memsz;
	uint64_t rela_offset, rela_count; /* file offset of Elf64_Rela[] */
	uint64_t config_offset, config_len; /* 0/0 if no section */
	/* .elfboot-requests (requests.c): checked records, req_count 0 if none */
	uint64_t req_vaddr, req_offset; /* unrelocated address, file offset */
	uint32_t req_count;
};

/* Validates the ELF as hostile input and fills *img (no memory touched). */
int elf_parse(const void *file, uint64_t size, struct elf_image *img);

/* Finds ".bootloader-config" by name through the section headers (which
 * are checked); *len = 0 if there is none. */
int elf_find_config(const void *file, uint64_t size, uint64_t *off, uint64_t *len);

/* elf_parse + config_parse + the checks that need both.  The one function
 * the loader, the host tool and the tests use to accept a kernel. */
int kernel_check(const void *file, uint64_t size, struct elf_image *img,
		 struct eb_config *cfg);

/* ---- memmap.c ---- */
/* Sorts, resolves overlaps (FIRMWARE > BOOTLOADER > BUSY > FREE), merges,
 * drops empty entries. EB_ERR if the result would not fit in cap. */
int memmap_normalize(struct mem_region *map, uint32_t *count, uint32_t cap);
/* Adds n regions on top of the map (where they overlap, the normalising
 * priority decides), then normalises once. */
int memmap_add(struct mem_region *map, uint32_t *count, uint32_t cap,
	       const struct mem_region *add, uint32_t n);
/* Converts to the protocol's regions (FREE/BUSY -> Usable, ...). Returns the
 * number written, or -1 if `cap` is too small. */
int memmap_export(const struct mem_region *map, uint32_t count, enum firmware_kind fw,
		  struct elfboot_memory_region *out, uint32_t cap);

/* ---- alloc.c: physical frames for the kernel ---- */
#define FA_MAX_RECORDS 128

struct frame_alloc {
	const struct mem_region *map; /* normalised */
	uint32_t count;
	uint64_t min_addr, max_addr;  /* allocate only in [min, max) */
	uint32_t nrec;                /* allocated ranges, sorted, merged */
	struct { uint64_t start, end; } rec[FA_MAX_RECORDS];
};

void fa_init(struct frame_alloc *fa, const struct mem_region *map, uint32_t count,
	     uint64_t min_addr, uint64_t max_addr);
/* `pages` contiguous 4 KiB frames, aligned to `align` (a power of two >=
 * 4096). The memory is not cleared. */
int fa_alloc(struct frame_alloc *fa, uint64_t pages, uint64_t align, uint64_t *out);

/* ---- vmm.c: 4-level page tables ---- */
#define PTE_P   (1ull << 0)
#define PTE_W   (1ull << 1)
#define PTE_US  (1ull << 2)
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
#define PTE_PS  (1ull << 7)
#define PTE_NX  (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull

struct vmm {
	struct frame_alloc *fa;
	uint64_t pml4;   /* physical (identity-mapped while building) */
	int has_1g;      /* CPU supports 1 GiB pages */
	uint64_t tables; /* page-table frames allocated */
};

int vmm_init(struct vmm *v, struct frame_alloc *fa, int has_1g);
/* Maps [va, va+len) -> [pa, ...) with leaf flags (PTE_W, PTE_NX, ...).
 * huge: may use 2 MiB / 1 GiB pages where both addresses allow.  Anything
 * already mapped in the range is an error naming `what`. */
int vmm_map(struct vmm *v, uint64_t va, uint64_t pa, uint64_t len, uint64_t flags,
	    int huge, const char *what);
/* Looks up va: EB_OK with the physical address and leaf flags, or EB_NOTFOUND. */
int vmm_translate(const struct vmm *v, uint64_t va, uint64_t *pa, uint64_t *flags);
/* Sets and clears leaf flags on 4 KiB pages of [va, va+len) (must be mapped). */
int vmm_protect(struct vmm *v, uint64_t va, uint64_t len, uint64_t set, uint64_t clear);

/* ---- vaspace.c: the 512 level-4 slots Dynamic mappings come from ---- */
struct va_slots {
	uint8_t used[512];
	int aslr;
	uint64_t seed;
};
uint64_t va_slot_base(unsigned slot);
void va_slots_init(struct va_slots *s, const struct eb_config *cfg, uint64_t seed);
void va_mark(struct va_slots *s, uint64_t va, uint64_t len);
/* Finds `n` consecutive free slots, marks them, returns their base VA. */
int va_take(struct va_slots *s, unsigned n, uint64_t *va, const char *what);
/* va_take for the slots `len` bytes need (EB_ERR for 0 or more than a
 * canonical half); *n receives the count. */
int va_take_len(struct va_slots *s, uint64_t len, uint64_t *va, unsigned *n, const char *what);
/* With aslr: a random multiple of `align` at which `len` bytes still fit in
 * `n` slots; 0 without aslr. */
uint64_t va_random_offset(struct va_slots *s, unsigned n, uint64_t len, uint64_t align);

/* ---- load.c: the whole loader, platform-independent ---- */
struct load_input {
	struct plat_file kernel;
	struct plat_file ramdisk;   /* size 0: none */
	int has_fb;
	struct plat_framebuffer fb;
	uint64_t rsdp;
	enum firmware_kind fw;
	struct mem_region *map;     /* final firmware map, normalised in place */
	uint32_t map_count, map_cap;
	uint64_t alloc_max;         /* frames the core may use lie below this */
	int has_1g;
	uint64_t seed;              /* ASLR entropy */
	uint64_t test_sentinel;     /* from boot.json */
	uint64_t pool_addr, pool_size; /* frames reserved by the front end; size 0:
	                                  allocate from the map's free memory */
	/* free memory already reads as zero (the host simulation's fresh
	 * anonymous memory): skip clearing fresh frames, so a sparse simulated
	 * load touches only the pages it writes */
	uint8_t frames_zeroed;
	/* Requests (requests.c).  TIMESTAMPS: filled by loader_main when the
	 * kernel asks (tsc_hz 0 and unix_seconds -1 when unknown); tsc_hz
	 * also for SMP (its waits). */
	uint64_t tsc_entry, tsc_hz;
	int64_t unix_seconds;
	/* FIRMWARE request (req_firmware.c): plat_smbios, plat_efi */
	uint64_t smbios32, smbios64;
	const struct plat_efi *efi;
	/* issue 10, MODULES and CMDLINE: what boot.json says (0: none), and
	 * the module files read, one per boot->modules[] (so at most
	 * EB_MAX_MODULES). */
	const struct eb_bootcfg *boot;
	struct plat_file *modules;
	uint32_t module_count;
	/* SMP request (req_smp.c): two pages below 1 MiB, the first the SIPI
	 * vector page, free for the core once it left the firmware (0: none,
	 * the APs are listed but not started: the host simulation) */
	uint64_t smp_low;
	/* ... and the routine that starts them (smp.h: smp_start; 0 on the
	 * host, which has no LAPIC to drive) */
	int (*smp_start)(void *response, uint32_t flags, uint64_t cr3, uint64_t low,
			 uint64_t park, uint64_t tsc_hz);
};

struct load_result {
	struct elfboot_boot_info bi; /* staged, copied into place by load_finish */
	uint64_t bi_pa;              /* physical BootInfo + region array */
	uint32_t bi_cap;             /* room for regions */
	uint64_t image_lo, image_hi; /* virtual span of the loaded image */
	struct mem_region pool;
	uint64_t cr3;
	uint64_t entry;
	uint64_t stack_top;       /* rsp before the zero return address */
	uint64_t boot_info_va;
	uint64_t trampoline;      /* physical == virtual page of the hand-off code */
	struct elfboot_boot_info *boot_info; /* physical pointer */
	struct frame_alloc fa;
	struct vmm vmm;
	struct elf_image img;
	struct eb_config cfg;
	uint8_t frames_zeroed;    /* copied from load_input */
	/* The response area, after the region array in BootInfo's mapping. */
	uint64_t req_pa, req_va, req_size, req_used;
	/* issue 10, MODULES: where each module is mapped (0: empty file). */
	uint64_t module_va[EB_MAX_MODULES];
};

/* Bytes of frames load_prepare needs at most (for the front end's pool). */
uint64_t load_estimate(const struct load_input *in, const struct elf_image *img,
		       const struct eb_config *cfg);
/* Builds everything the kernel needs from in->map (the map while the
 * firmware still runs), allocating from the pool if there is one; every
 * check that can fail is here.  img/cfg: the kernel_check() result for
 * in->kernel (the caller has it already).  Touches no firmware. */
int load_prepare(struct load_input *in, const struct elf_image *img,
		 const struct eb_config *cfg, struct load_result *r);
/* With in->map now the final map: writes BootInfo and its memory regions. */
int load_finish(struct load_input *in, struct load_result *r);
/* Both, on one map (host tests and the tool's simulation). */
int load_kernel(struct load_input *in, struct load_result *r);

/* loader.c: the one entry both front ends call. */
__attribute__((noreturn)) void loader_main(void);
/* Prints eb_last_error() on screen and serial and halts (front ends use it
 * too, for failures before loader_main). */
__attribute__((noreturn)) void eb_fatal(void);

/* ---- fault.c: CPU exceptions while the loader owns the CPU ---- */
/* Names what the loader is doing now, for the exception report ("... while
 * reading the kernel").  `what` must stay valid (a string literal). */
void eb_phase(const char *what);
/* Loads the core's IDT (vectors 0-31 report and halt; interrupts off).  The
 * BIOS front end calls it at once; loader_main after leaving the firmware. */
void eb_fault_install(void);
/* 1 if the CPU's IDTR points at that IDT (the BIOS thunk must put it back
 * after each real-mode call). */
int eb_fault_idt_live(void);
/* Raises a real CPU exception (_test_fault "exception"); returns only if the
 * CPU did not fault. */
void eb_fault_test(void);
/* The 32 entry stubs (isr.asm), 16 bytes apart. */
extern const uint8_t eb_isr_stubs[] __attribute__((visibility("hidden")));

/* The hand-off code (handoff.asm), copied into the trampoline page. */
extern const uint8_t eb_trampoline_start[] __attribute__((visibility("hidden")));
extern const uint8_t eb_trampoline_end[] __attribute__((visibility("hidden")));

#endif
