/* SPDX-License-Identifier: MIT OR Apache-2.0 OR 0BSD */
/*
 * elfboot.h - the elfboot boot protocol, for kernels.
 *
 * elfboot speaks the boot protocol of the Rust `bootloader_api` crate,
 * version 0.11, byte for byte: a kernel describes how it wants to be loaded
 * in an allocated ELF section named ".bootloader-config" (struct
 * elfboot_config, 133 bytes) and receives a pointer to struct
 * elfboot_boot_info (232 bytes) in rdi at its ELF entry point.
 * docs/PROTOCOL.md documents every field and the entry state.
 *
 * Usable from C99 and later and from C++ (types only; the config macro is
 * C-only because it relies on C designated initialisers).  Depends on
 * <stdint.h> alone.  Copy it into your kernel freely.
 */
#ifndef ELFBOOT_H
#define ELFBOOT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#define ELFBOOT_STATIC_ASSERT(c, m) static_assert(c, m)
#else
#define ELFBOOT_STATIC_ASSERT(c, m) _Static_assert(c, m)
#endif

#if defined(__GNUC__) || defined(__clang__)
#define ELFBOOT_PACKED __attribute__((packed))
#else
#error "elfboot.h needs GCC or Clang (packed structs, section attributes)"
#endif

/* ------------------------------------------------------------------------
 * The configuration a kernel embeds (".bootloader-config")
 * ---------------------------------------------------------------------- */

#define ELFBOOT_CONFIG_SECTION ".bootloader-config"

/* Lengths of the serialised config accepted by elfboot. */
#define ELFBOOT_CONFIG_LEN        133u /* bootloader_api 0.11.11 and later */
#define ELFBOOT_CONFIG_LEN_0_11_1 124u /* 0.11.1 - 0.11.10: no kernel_base */
#define ELFBOOT_CONFIG_LEN_0_11_0 115u /* 0.11.0: no kernel_base, no ramdisk_memory */

/* The API version elfboot writes into configs and reports in BootInfo. */
#define ELFBOOT_API_MAJOR 0
#define ELFBOOT_API_MINOR 11
#define ELFBOOT_API_PATCH 16

#define ELFBOOT_CONFIG_MAGIC_BYTES                                            \
	{ 0x74, 0x3C, 0xA9, 0x61, 0x09, 0x36, 0x46, 0xA0,                    \
	  0xBB, 0x55, 0x5C, 0x15, 0x89, 0x15, 0x25, 0x3D }

#define ELFBOOT_MAPPING_DYNAMIC 0u /* tag: loader chooses the address */
#define ELFBOOT_MAPPING_FIXED   1u /* tag: address given in `addr` */

#define ELFBOOT_DEFAULT_STACK_SIZE 0x14000u /* 80 KiB, as bootloader_api */

/* A Mapping: tag 0 = Dynamic (addr must be 0), tag 1 = FixedAddress. */
struct ELFBOOT_PACKED elfboot_mapping {
	uint8_t tag;   /* +0 */
	uint64_t addr; /* +1 */
};

/* Option<Mapping>: some = 0 (None, payload all zero) or 1 (Some). */
struct ELFBOOT_PACKED elfboot_opt_mapping {
	uint8_t some;              /* +0 */
	struct elfboot_mapping m;  /* +1 */
};

/* Option<u64>: some = 0 (None, value 0) or 1 (Some). */
struct ELFBOOT_PACKED elfboot_opt_u64 {
	uint8_t some;   /* +0 */
	uint64_t value; /* +1 */
};

/* The 133-byte config, little-endian, no padding. */
struct ELFBOOT_PACKED elfboot_config {
	uint8_t magic[16];                                   /*   0 */
	uint16_t version_major;                              /*  16 */
	uint16_t version_minor;                              /*  18 */
	uint16_t version_patch;                              /*  20 */
	uint8_t pre_release;                                 /*  22 */
	uint64_t kernel_stack_size;                          /*  23 */
	struct elfboot_mapping kernel_stack;                 /*  31 */
	struct elfboot_mapping kernel_base;                  /*  40 */
	struct elfboot_mapping boot_info;                    /*  49 */
	struct elfboot_mapping framebuffer;                  /*  58 */
	struct elfboot_opt_mapping physical_memory;          /*  67 */
	struct elfboot_opt_mapping page_table_recursive;     /*  77 */
	uint8_t aslr;                                        /*  87 */
	struct elfboot_opt_u64 dynamic_range_start;          /*  88 */
	struct elfboot_opt_u64 dynamic_range_end;            /*  97 */
	struct elfboot_mapping ramdisk_memory;               /* 106 */
	struct elfboot_opt_u64 minimum_framebuffer_height;   /* 115 */
	struct elfboot_opt_u64 minimum_framebuffer_width;    /* 124 */
};                                                       /* 133 */

#define ELFBOOT_OFFSETOF(t, m) __builtin_offsetof(t, m)
ELFBOOT_STATIC_ASSERT(sizeof(struct elfboot_mapping) == 9, "mapping");
ELFBOOT_STATIC_ASSERT(sizeof(struct elfboot_opt_mapping) == 10, "opt mapping");
ELFBOOT_STATIC_ASSERT(sizeof(struct elfboot_opt_u64) == 9, "opt u64");
ELFBOOT_STATIC_ASSERT(sizeof(struct elfboot_config) == 133, "config size");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_config, version_major) == 16, "cfg");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_config, pre_release) == 22, "cfg");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_config, kernel_stack_size) == 23, "cfg");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_config, kernel_stack) == 31, "cfg");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_config, kernel_base) == 40, "cfg");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_config, boot_info) == 49, "cfg");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_config, framebuffer) == 58, "cfg");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_config, physical_memory) == 67, "cfg");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_config, page_table_recursive) == 77, "cfg");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_config, aslr) == 87, "cfg");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_config, dynamic_range_start) == 88, "cfg");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_config, dynamic_range_end) == 97, "cfg");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_config, ramdisk_memory) == 106, "cfg");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_config, minimum_framebuffer_height) == 115, "cfg");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_config, minimum_framebuffer_width) == 124, "cfg");

/* Values for the config macro's mapping fields. */
#define ELFBOOT_DYNAMIC        { ELFBOOT_MAPPING_DYNAMIC, 0 }
#define ELFBOOT_FIXED(a)       { ELFBOOT_MAPPING_FIXED, (uint64_t)(a) }
#define ELFBOOT_NONE           { 0, { 0, 0 } }
#define ELFBOOT_SOME_DYNAMIC   { 1, { ELFBOOT_MAPPING_DYNAMIC, 0 } }
#define ELFBOOT_SOME_FIXED(a)  { 1, { ELFBOOT_MAPPING_FIXED, (uint64_t)(a) } }
#define ELFBOOT_SOME(v)        { 1, (uint64_t)(v) }

#if defined(__has_attribute)
#if __has_attribute(retain)
#define ELFBOOT_RETAIN __attribute__((retain))
#endif
#endif
#ifndef ELFBOOT_RETAIN
#define ELFBOOT_RETAIN
#endif

#ifdef __clang__
#define ELFBOOT_DIAG_OFF_                                                     \
	_Pragma("clang diagnostic push")                                      \
	_Pragma("clang diagnostic ignored \"-Winitializer-overrides\"")
#define ELFBOOT_DIAG_ON_ _Pragma("clang diagnostic pop")
#else
#define ELFBOOT_DIAG_OFF_                                                     \
	_Pragma("GCC diagnostic push")                                        \
	_Pragma("GCC diagnostic ignored \"-Woverride-init\"")
#define ELFBOOT_DIAG_ON_ _Pragma("GCC diagnostic pop")
#endif

/*
 * ELFBOOT_CONFIG(name, options...) defines the kernel's config in the
 * ".bootloader-config" section, starting from the bootloader_api defaults
 * (80 KiB stack, every mapping Dynamic, no physical memory map, no recursive
 * entry, no ASLR, no ranges, no framebuffer minimum).  Options are C
 * designated initialisers naming struct elfboot_config fields, e.g.
 *
 *   ELFBOOT_CONFIG(boot_config,
 *       .kernel_stack_size = 256 * 1024,
 *       .physical_memory   = ELFBOOT_SOME_FIXED(0xffff800000000000),
 *       .minimum_framebuffer_width = ELFBOOT_SOME(1024));
 *
 * The object is `used` (and `retain` where the toolchain knows it), so
 * neither the compiler, LTO nor --gc-sections drops it.  Use it once per
 * kernel, followed by a semicolon.  C only: C++ forbids overriding
 * designated initialisers.
 */
#define ELFBOOT_CONFIG(name, ...)                                             \
	ELFBOOT_DIAG_OFF_                                                     \
	__attribute__((section(ELFBOOT_CONFIG_SECTION), used, aligned(1)))    \
	ELFBOOT_RETAIN const struct elfboot_config name = {                   \
		.magic = ELFBOOT_CONFIG_MAGIC_BYTES,                          \
		.version_major = ELFBOOT_API_MAJOR,                           \
		.version_minor = ELFBOOT_API_MINOR,                           \
		.version_patch = ELFBOOT_API_PATCH,                           \
		.pre_release = 0,                                             \
		.kernel_stack_size = ELFBOOT_DEFAULT_STACK_SIZE,              \
		__VA_ARGS__                                                   \
	};                                                                    \
	ELFBOOT_DIAG_ON_                                                      \
	extern const struct elfboot_config name /* takes the user's ';' */

/* The default config: ELFBOOT_CONFIG_DEFAULT(name); */
#define ELFBOOT_CONFIG_DEFAULT(name) ELFBOOT_CONFIG(name, .pre_release = 0)

/* ------------------------------------------------------------------------
 * BootInfo, handed to the kernel in rdi
 * ---------------------------------------------------------------------- */

/* Optional<T> tags in BootInfo (C-layout Rust enum: Some is 0!). */
#define ELFBOOT_SOME_TAG 0u
#define ELFBOOT_NONE_TAG 1u

/* Memory region kinds. */
#define ELFBOOT_REGION_USABLE       0u
#define ELFBOOT_REGION_BOOTLOADER   1u
#define ELFBOOT_REGION_UNKNOWN_UEFI 2u /* `value` = EFI memory type */
#define ELFBOOT_REGION_UNKNOWN_BIOS 3u /* `value` = E820 type */

/* Pixel formats. */
#define ELFBOOT_PIXEL_RGB     0u
#define ELFBOOT_PIXEL_BGR     1u
#define ELFBOOT_PIXEL_U8      2u
#define ELFBOOT_PIXEL_UNKNOWN 3u /* red/green/blue_position are valid */

struct elfboot_memory_region {
	uint64_t start;  /* +0  physical, inclusive */
	uint64_t end;    /* +8  physical, exclusive */
	uint32_t kind;   /* +16 ELFBOOT_REGION_* */
	uint32_t value;  /* +20 firmware type for UNKNOWN_* kinds, else 0 */
};

struct elfboot_pixel_format {
	uint32_t tag;            /* +0 ELFBOOT_PIXEL_* */
	uint8_t red_position;    /* +4 bit index (UNKNOWN only) */
	uint8_t green_position;  /* +5 */
	uint8_t blue_position;   /* +6 */
	uint8_t _pad;            /* +7 */
};

struct elfboot_framebuffer_info {
	uint64_t byte_len;                        /* +0 */
	uint64_t width;                           /* +8 pixels */
	uint64_t height;                          /* +16 pixels */
	struct elfboot_pixel_format pixel_format; /* +24 */
	uint64_t bytes_per_pixel;                 /* +32 */
	uint64_t stride;                          /* +40 pixels per line */
};

struct elfboot_opt_framebuffer {
	uint32_t tag;                          /* +0 ELFBOOT_SOME_TAG/NONE_TAG */
	uint32_t _pad;                         /* +4 */
	uint64_t buffer_start;                 /* +8 virtual address */
	struct elfboot_framebuffer_info info;  /* +16 */
};

struct elfboot_opt_u64_info {
	uint32_t tag;    /* +0 */
	uint32_t _pad;   /* +4 */
	uint64_t value;  /* +8 */
};

struct elfboot_opt_u16_info {
	uint32_t tag;    /* +0 */
	uint16_t value;  /* +4 */
	uint16_t _pad;   /* +6 */
};

struct elfboot_tls_template {
	uint64_t start_addr; /* +0 virtual */
	uint64_t file_size;  /* +8 */
	uint64_t mem_size;   /* +16 */
};

struct elfboot_opt_tls {
	uint32_t tag;                     /* +0 */
	uint32_t _pad;                    /* +4 */
	struct elfboot_tls_template tls;  /* +8 */
};

struct elfboot_api_version {
	uint16_t major;       /* +0 */
	uint16_t minor;       /* +2 */
	uint16_t patch;       /* +4 */
	uint8_t pre_release;  /* +6 */
	uint8_t _pad;         /* +7 */
};

struct elfboot_boot_info {
	struct elfboot_api_version api_version;     /*   0 */
	uint64_t memory_regions;                    /*   8 virtual address of the array */
	uint64_t memory_regions_len;                /*  16 number of entries */
	struct elfboot_opt_framebuffer framebuffer; /*  24 */
	struct elfboot_opt_u64_info physical_memory_offset; /* 88 */
	struct elfboot_opt_u16_info recursive_index;        /* 104 */
	struct elfboot_opt_u64_info rsdp_addr;      /* 112 physical */
	struct elfboot_opt_tls tls_template;        /* 128 */
	struct elfboot_opt_u64_info ramdisk_addr;   /* 160 virtual */
	uint64_t ramdisk_len;                       /* 176 */
	uint64_t kernel_addr;                       /* 184 physical, kernel file */
	uint64_t kernel_len;                        /* 192 */
	uint64_t kernel_image_offset;               /* 200 */
	uint64_t kernel_stack_bottom;               /* 208 virtual */
	uint64_t kernel_stack_len;                  /* 216 */
	uint64_t _test_sentinel;                    /* 224 */
};                                              /* 232 */

ELFBOOT_STATIC_ASSERT(sizeof(struct elfboot_memory_region) == 24, "region");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_memory_region, kind) == 16, "region");
ELFBOOT_STATIC_ASSERT(sizeof(struct elfboot_pixel_format) == 8, "pixfmt");
ELFBOOT_STATIC_ASSERT(sizeof(struct elfboot_framebuffer_info) == 48, "fbinfo");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_framebuffer_info, bytes_per_pixel) == 32, "fbinfo");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_framebuffer_info, stride) == 40, "fbinfo");
ELFBOOT_STATIC_ASSERT(sizeof(struct elfboot_boot_info) == 232, "boot info size");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_boot_info, memory_regions) == 8, "bi");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_boot_info, memory_regions_len) == 16, "bi");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_boot_info, framebuffer) == 24, "bi");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_boot_info, framebuffer.buffer_start) == 32, "bi");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_boot_info, framebuffer.info) == 40, "bi");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_boot_info, physical_memory_offset) == 88, "bi");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_boot_info, physical_memory_offset.value) == 96, "bi");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_boot_info, recursive_index) == 104, "bi");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_boot_info, recursive_index.value) == 108, "bi");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_boot_info, rsdp_addr) == 112, "bi");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_boot_info, rsdp_addr.value) == 120, "bi");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_boot_info, tls_template) == 128, "bi");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_boot_info, tls_template.tls.start_addr) == 136, "bi");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_boot_info, ramdisk_addr) == 160, "bi");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_boot_info, ramdisk_addr.value) == 168, "bi");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_boot_info, ramdisk_len) == 176, "bi");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_boot_info, kernel_addr) == 184, "bi");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_boot_info, kernel_len) == 192, "bi");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_boot_info, kernel_image_offset) == 200, "bi");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_boot_info, kernel_stack_bottom) == 208, "bi");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_boot_info, kernel_stack_len) == 216, "bi");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_boot_info, _test_sentinel) == 224, "bi");

/* The memory-region array as a pointer (valid in the kernel's space). */
static inline struct elfboot_memory_region *
elfboot_regions(const struct elfboot_boot_info *info)
{
	return (struct elfboot_memory_region *)(uintptr_t)info->memory_regions;
}

/*
 * Entry point convention: the ELF entry receives the BootInfo pointer in
 * rdi, i.e. it is an ordinary SysV function
 *     void kmain(struct elfboot_boot_info *info);
 * Link with `-e kmain` (or ENTRY(kmain) in a linker script), or write
 * ELFBOOT_ENTRY_POINT(kmain) to define `_start` with a type-checked call.
 * The entry must not return; if it does, _start halts the CPU.
 */
#define ELFBOOT_ENTRY_POINT(fn)                                               \
	void _start(struct elfboot_boot_info *elfboot_info_);                 \
	void _start(struct elfboot_boot_info *elfboot_info_)                  \
	{                                                                     \
		void (*elfboot_fn_)(struct elfboot_boot_info *) = (fn);       \
		elfboot_fn_(elfboot_info_);                                   \
		for (;;)                                                      \
			__asm__ volatile("cli; hlt");                         \
	}

/* ------------------------------------------------------------------------
 * Optional requests (".elfboot-requests"), an elfboot extension
 *
 * A kernel may add records to an allocated section ".elfboot-requests"
 * (ELFBOOT_REQUEST_* below).  A loader that knows a record's id and
 * revision writes the virtual address of its response into `response`;
 * every other record keeps 0.  Loaders without requests ignore the
 * section, so a kernel must check the slot before using a response.
 * ---------------------------------------------------------------------- */

#define ELFBOOT_REQUESTS_SECTION ".elfboot-requests"
#define ELFBOOT_REQUEST_MAGIC 0x5351455242464c45ull /* "ELFBREQS" */

/* One record, 32 bytes, 8-aligned; each carries its own magic, so the
 * linker may order and pad the section as it likes. */
struct elfboot_request {
	uint64_t magic;    /* +0  ELFBOOT_REQUEST_MAGIC */
	uint64_t id;       /* +8  ELFBOOT_REQ_* */
	uint32_t revision; /* +16 request revision the kernel speaks (0 today) */
	uint32_t flags;    /* +20 request-specific */
	uint64_t response; /* +24 written by the loader: virtual address of the
	                      response, 0 = not answered */
};                         /* 32 */

ELFBOOT_STATIC_ASSERT(sizeof(struct elfboot_request) == 32, "request");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_request, id) == 8, "request");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_request, revision) == 16, "request");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_request, flags) == 20, "request");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_request, response) == 24, "request");

#define ELFBOOT_REQ_SMP        0x6e1f3b0c8a2d5e01ull
#define ELFBOOT_REQ_MODULES    0x6e1f3b0c8a2d5e02ull
#define ELFBOOT_REQ_CMDLINE    0x6e1f3b0c8a2d5e03ull
#define ELFBOOT_REQ_TIMESTAMPS 0x6e1f3b0c8a2d5e04ull
#define ELFBOOT_REQ_FIRMWARE   0x6e1f3b0c8a2d5e05ull

/*
 * ELFBOOT_REQUEST(name, id, revision, flags) defines one record.  It is
 * `used` (and `retain`) so no linker drops it, and volatile because the
 * loader writes .response behind the compiler's back.  Read the answer with
 * ELFBOOT_RESPONSE(name, struct elfboot_..._response), 0 if unanswered.
 */
#define ELFBOOT_REQUEST(name, id_, revision_, flags_)                         \
	__attribute__((section(ELFBOOT_REQUESTS_SECTION), used, aligned(8)))  \
	ELFBOOT_RETAIN volatile struct elfboot_request name = {               \
		ELFBOOT_REQUEST_MAGIC, (id_), (revision_), (flags_), 0 }
#define ELFBOOT_RESPONSE(name, type) ((type *)(uintptr_t)(name).response)

#define ELFBOOT_REQUEST_SMP(name, flags)  ELFBOOT_REQUEST(name, ELFBOOT_REQ_SMP, 0, flags)
#define ELFBOOT_REQUEST_MODULES(name)     ELFBOOT_REQUEST(name, ELFBOOT_REQ_MODULES, 0, 0)
#define ELFBOOT_REQUEST_CMDLINE(name)     ELFBOOT_REQUEST(name, ELFBOOT_REQ_CMDLINE, 0, 0)
#define ELFBOOT_REQUEST_TIMESTAMPS(name)  ELFBOOT_REQUEST(name, ELFBOOT_REQ_TIMESTAMPS, 0, 0)
#define ELFBOOT_REQUEST_FIRMWARE(name)    ELFBOOT_REQUEST(name, ELFBOOT_REQ_FIRMWARE, 0, 0)

/* TIMESTAMPS: TSC readings of the bootstrap CPU and the wall clock. */
struct elfboot_timestamps_response {
	uint64_t revision;          /* +0  0 */
	uint64_t tsc_loader_entry;  /* +8  the loader started */
	uint64_t tsc_kernel_loaded; /* +16 the kernel's segments were in place */
	uint64_t tsc_jump;          /* +24 the last reading before the jump */
	uint64_t tsc_hz;            /* +32 TSC ticks per second, 0 unknown */
	int64_t unix_seconds;       /* +40 wall clock at boot (UTC if the RTC
	                               is), -1 unknown */
};                                  /* 48 */

ELFBOOT_STATIC_ASSERT(sizeof(struct elfboot_timestamps_response) == 48, "timestamps");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_timestamps_response, tsc_jump) == 24, "ts");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_timestamps_response, tsc_hz) == 32, "ts");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_timestamps_response, unix_seconds) == 40, "ts");

/* Other requests' responses follow, one block each. */

/* ---- FIRMWARE request (docs/PROTOCOL.md, "Request: FIRMWARE") ---- */
#define ELFBOOT_FIRMWARE_BIOS 1u
#define ELFBOOT_FIRMWARE_UEFI 2u
struct elfboot_firmware_response {
	uint64_t revision;               /* +0  0 */
	uint32_t kind;                   /* +8  ELFBOOT_FIRMWARE_* */
	uint32_t _pad;                   /* +12 */
	uint64_t smbios_entry;           /* +16 physical "_SM_" entry point, 0 none */
	uint64_t smbios3_entry;          /* +24 physical "_SM3_" entry point, 0 none */
	uint64_t efi_system_table;       /* +32 physical, 0 on BIOS */
	uint64_t efi_memory_map;         /* +40 virtual: copy of the final UEFI
	                                    descriptors, 0 on BIOS */
	uint64_t efi_memory_map_size;    /* +48 bytes */
	uint64_t efi_descriptor_size;    /* +56 bytes per descriptor (stride) */
	uint32_t efi_descriptor_version; /* +64 */
	uint32_t _pad2;                  /* +68 */
};                                       /* 72 */
ELFBOOT_STATIC_ASSERT(sizeof(struct elfboot_firmware_response) == 72, "firmware response size");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_firmware_response, smbios_entry) == 16, "smbios_entry");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_firmware_response, efi_system_table) == 32, "efi_system_table");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_firmware_response, efi_memory_map) == 40, "efi_memory_map");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_firmware_response, efi_descriptor_version) == 64, "efi_descriptor_version");
/*
 * Issue 10, the MODULES and CMDLINE requests' responses (docs/PROTOCOL.md,
 * "Optional requests").  Every address is the kernel's virtual address.
 */
struct elfboot_module {
	uint64_t addr;    /* +0  the file's first byte (page aligned, mapped) */
	uint64_t size;    /* +8  bytes */
	uint64_t name;    /* +16 NUL-terminated string */
	uint64_t cmdline; /* +24 NUL-terminated string, "" if none */
};                        /* 32 */
struct elfboot_modules_response {
	uint64_t revision; /* +0  0 */
	uint64_t count;    /* +8  entries in modules (0: none given) */
	uint64_t modules;  /* +16 struct elfboot_module[count] */
};                         /* 24 */
struct elfboot_cmdline_response {
	uint64_t revision; /* +0  0 */
	uint64_t cmdline;  /* +8  NUL-terminated string, "" if none given */
	uint64_t len;      /* +16 bytes before the NUL */
};                         /* 24 */
ELFBOOT_STATIC_ASSERT(sizeof(struct elfboot_module) == 32, "module");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_module, cmdline) == 24, "module.cmdline");
ELFBOOT_STATIC_ASSERT(sizeof(struct elfboot_modules_response) == 24, "modules response");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_modules_response, modules) == 16,
		      "modules response.modules");
ELFBOOT_STATIC_ASSERT(sizeof(struct elfboot_cmdline_response) == 24, "cmdline response");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_cmdline_response, len) == 16,
		      "cmdline response.len");
/* SMP: every CPU of the ACPI MADT.  Each application processor was started
 * into long mode on the kernel's page tables and spins on its own record;
 * writing goto_address releases it (docs/PROTOCOL.md, "Request: SMP").
 * Request flags bit 0: switch the LAPICs to x2APIC mode if the CPU has it. */
#define ELFBOOT_SMP_X2APIC 1u      /* request and response flags bit 0 */
#define ELFBOOT_SMP_PARKED 0u      /* state: an AP, waiting on goto_address */
#define ELFBOOT_SMP_BSP 1u         /* state: the CPU running the kernel */
#define ELFBOOT_SMP_FAILED 2u      /* state: did not start; never runs */

struct elfboot_smp_cpu {
	uint32_t processor_id;           /* +0  ACPI processor UID */
	uint32_t lapic_id;               /* +4  LAPIC (x2APIC) ID */
	uint32_t state;                  /* +8  ELFBOOT_SMP_PARKED/BSP/FAILED */
	uint32_t _pad;                   /* +12 */
	volatile uint64_t goto_address;  /* +16 the kernel writes it; the AP
	                                    jumps there with rdi = this
	                                    record's address, rsp = stack_top
	                                    - 8 holding a zero return address */
	volatile uint64_t extra_argument; /* +24 free for the kernel */
	uint64_t stack_top;              /* +32 16-aligned, 16 KiB of stack;
	                                    0 for the BSP */
};                                       /* 40 */

struct elfboot_smp_response {
	uint64_t revision;     /* +0  0 */
	uint32_t flags;        /* +8  ELFBOOT_SMP_X2APIC: LAPICs in x2APIC mode */
	uint32_t bsp_lapic_id; /* +12 */
	uint64_t cpu_count;    /* +16 records in cpus, the BSP included */
	uint64_t cpus;         /* +24 VA of struct elfboot_smp_cpu[cpu_count] */
};                             /* 32 */

ELFBOOT_STATIC_ASSERT(sizeof(struct elfboot_smp_cpu) == 40, "smp cpu");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_smp_cpu, goto_address) == 16, "smp cpu");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_smp_cpu, stack_top) == 32, "smp cpu");
ELFBOOT_STATIC_ASSERT(sizeof(struct elfboot_smp_response) == 32, "smp");
ELFBOOT_STATIC_ASSERT(ELFBOOT_OFFSETOF(struct elfboot_smp_response, cpus) == 24, "smp");


#ifdef __cplusplus
}
#endif

#endif /* ELFBOOT_H */
