/* SPDX-License-Identifier: MIT */
/*
 * loader.c - loader_main(), the one loader both front ends call once they
 * have set up their console.  It drives the firmware through the platform
 * hooks (read the kernel, pick a video mode, read the ramdisk, leave the
 * firmware), validates everything before leaving the firmware where it can,
 * builds the kernel's world (load.c) and jumps.  Any failure prints one line
 * and halts: nothing jumps to a kernel that failed a check.
 */
#include "requests.h"
#include "cpu.h"
#include "smp.h"
#include "sha256.h"
#include "source.h"

/* The build id (mk/buildid.sh, docs/build-id.md), given to the front ends'
 * builds with -include; a build without it (the seam's link test) says so. */
#ifndef ELFBOOT_ID
#define ELFBOOT_ID "elfboot (no build id)"
#endif

#define MAP_CAP 1024
#define GDT_OFF 0x800
#define GDTR_OFF 0x7f0

static struct mem_region fw_map[MAP_CAP];
uint8_t eb_test_fault;
static struct load_result result;
static struct plat_file modules[EB_MAX_MODULES];

void eb_fatal(void)
{
	eb_log_targets(1, 1); /* errors always reach screen and serial */
	eb_log_screen_max(EB_LOG_TRACE);
	eb_printf("elfboot: error: %s\r\n", eb_last_error());
	eb_printf("elfboot: halted.\r\n");
	plat_halt();
}

/* TSC ticks per second: CPUID 0x15 (crystal clock and ratio) when the CPU
 * gives it; else timed against 5 ms of PIT channel 2 (the speaker channel:
 * the firmware's tick, channel 0, is left alone); 0 if the PIT never
 * answers within ~2^32 ticks (no 8254).  CPUID 0x16's base frequency is
 * not used: it need not be the TSC's. */
static uint64_t tsc_rate(void)
{
	uint32_t max, a, b, c, d;
	cpu_cpuid(0, &max, &b, &c, &d);
	if (max >= 0x15) {
		cpu_cpuid(0x15, &a, &b, &c, &d);
		if (a && b && c)
			return (uint64_t)c * b / a;
	}
	enum { PIT_HZ = 1193182, TICKS = PIT_HZ / 200 };
	uint8_t gate = inb(0x61);
	outb(0x61, (gate & ~2) | 1); /* gate on, speaker off */
	outb(0x43, 0xb0);            /* channel 2, lo/hi byte, mode 0 */
	outb(0x42, TICKS & 0xff);
	outb(0x42, TICKS >> 8);
	uint64_t t0 = cpu_rdtsc(), t;
	do /* OUT2 (port 0x61 bit 5) rises when the count runs out */
		t = cpu_rdtsc() - t0;
	while (!(inb(0x61) & 0x20) && t < (1ull << 32));
	outb(0x61, gate);
	return t < (1ull << 32) ? t * PIT_HZ / TICKS : 0;
}

typedef void (*trampoline_fn)(uint64_t bi, uint64_t entry, uint64_t stack, uint64_t cr3,
			      uint64_t gdtr) __attribute__((noreturn));

__attribute__((noreturn)) static void jump(const struct load_result *r)
{
	uint8_t *page = (uint8_t *)(uintptr_t)r->trampoline;
	uint64_t len = (uint64_t)(eb_trampoline_end - eb_trampoline_start);
	memset(page, 0, EB_PAGE);
	memcpy(page, eb_trampoline_start, len);
	uint64_t *gdt = (uint64_t *)(page + GDT_OFF);
	gdt[0] = 0;
	gdt[1] = 0x00af9b000000ffffull; /* 0x08: 64-bit code, accessed */
	gdt[2] = 0x00cf93000000ffffull; /* 0x10: data, accessed */
	uint8_t *gdtr = page + GDTR_OFF;
	uint16_t limit = 3 * 8 - 1;
	uint64_t base = r->trampoline + GDT_OFF;
	memcpy(gdtr, &limit, 2);
	memcpy(gdtr + 2, &base, 8);
	trampoline_fn fn = (trampoline_fn)(uintptr_t)r->trampoline;
	fn(r->boot_info_va, r->entry, r->stack_top, r->cr3, r->trampoline + GDTR_OFF);
}

void loader_main(void)
{
	uint64_t t0 = cpu_rdtsc();
	struct load_input in;
	memset(&in, 0, sizeof in);

	/* boot.json first: it sets the log level and can override the
	 * framebuffer minimum.  A broken one is a warning, never a stop. */
	static struct eb_bootcfg bc; /* 9 KiB, with boot.json's strings */
	struct plat_file bf;
	bootcfg_default(&bc);
	eb_phase("reading boot.json");
	int st = plat_read_file("boot.json", &bf);
	/* Measured boot (docs/trusted-boot.md): each file as read, in this
	 * fixed order: boot.json, kernel-x86_64, config, ramdisk, modules. */
	if (st == EB_OK)
		plat_measure("boot.json", (const void *)(uintptr_t)bf.addr, bf.size);
	if (st == EB_OK && bootcfg_parse((const char *)(uintptr_t)bf.addr, bf.size, &bc))
		eb_printf("elfboot: warning: %s; using the defaults\r\n", eb_last_error());
	else if (st == EB_ERR && source_pinned())
		eb_fatal(); /* a pin refused it (or it could not be checked): no defaults */
	else if (st == EB_ERR)
		eb_printf("elfboot: warning: %s; using the defaults\r\n", eb_last_error());
	eb_set_log_level(bc.log_level);
	eb_log_targets(bc.screen_logging, bc.serial_logging);
	eb_log_screen_max(bc.screen_progress ? EB_LOG_TRACE : EB_LOG_WARN);
	eb_console_echo(bc.test_screen_echo);
	in.test_sentinel = bc.test_sentinel;
	eb_test_fault = bc.test_fault;
	eb_log(EB_LOG_DEBUG, "elfboot: boot.json %s, log level %u\r\n",
	       st == EB_OK ? "read" : "absent", bc.log_level);
	if (source_pinned()) /* the front end's sha256_accel() choice */
		eb_log(EB_LOG_DEBUG, "elfboot: pins: SHA-256 by %s\r\n",
		       sha256_accelerated() ? "SHA-NI" : "C code");

	eb_phase("reading the kernel");
	st = plat_read_file("kernel-x86_64", &in.kernel);
	if (st == EB_NOTFOUND)
		eb_error("%s file '%s' not found %s", "kernel", "kernel-x86_64", plat_file_place());
	if (st != EB_OK)
		eb_fatal();
	plat_measure("kernel-x86_64", (const void *)(uintptr_t)in.kernel.addr, in.kernel.size);
	struct elf_image img;
	struct eb_config cfg;
	eb_phase("checking the kernel");
	if (kernel_check((const void *)(uintptr_t)in.kernel.addr, in.kernel.size, &img, &cfg)) {
		/* Name the file: "bad magic" alone does not say which file had it. */
		char why[256];
		eb_snprintf(why, sizeof why, "%s", eb_last_error());
		eb_error("kernel-x86_64: %s", why);
		eb_fatal();
	}
	eb_log(EB_LOG_INFO, "elfboot: kernel %lu bytes, %s, entry 0x%lx, config %u bytes (api %u.%u.%u); "
		  ELFBOOT_ID "\r\n",
		  in.kernel.size, img.pie ? "PIE" : "static", img.entry, cfg.len,
		  cfg.version_major, cfg.version_minor, cfg.version_patch);

	/* The effective config: the section as boot.json's overrides leave
	 * it, measured in the section's own form (its length), so a verifier
	 * replays it from the kernel file and boot.json. */
	struct eb_config eff = cfg;
	if (bc.has_min_width) {
		eff.has_min_width = 1;
		eff.min_width = bc.min_width;
	}
	if (bc.has_min_height) {
		eff.has_min_height = 1;
		eff.min_height = bc.min_height;
	}
	if (plat_measuring()) {
		uint8_t eff_bytes[ELFBOOT_CONFIG_LEN];
		/* Cannot fail: every form has the two fields boot.json overrides. */
		config_serialize_len(&eff, eff.len, eff_bytes);
		plat_measure("config", eff_bytes, eff.len);
	}
	uint64_t min_w = eff.has_min_width ? eff.min_width : 0;
	uint64_t min_h = eff.has_min_height ? eff.min_height : 0;
	eb_phase("setting the video mode");
	st = plat_set_video(min_w, min_h, &in.fb);
	in.has_fb = st == EB_OK;
	if (in.has_fb)
		eb_log(EB_LOG_INFO, "elfboot: framebuffer %lux%lu, %lu bytes/pixel, stride %lu at 0x%lx\r\n",
			  in.fb.width, in.fb.height, in.fb.bytes_per_pixel, in.fb.stride,
			  in.fb.phys);
	else if (st == EB_ERR) /* a framebuffer is optional: say why, boot on */
		eb_log(EB_LOG_WARN, "elfboot: warning: %s; no framebuffer\r\n", eb_last_error());
	else
		eb_log(EB_LOG_WARN, "elfboot: no framebuffer\r\n");

	eb_phase("reading the ramdisk and modules");
	st = plat_read_file("ramdisk", &in.ramdisk);
	if (st == EB_NOTFOUND)
		in.ramdisk.size = 0;
	else if (st != EB_OK)
		eb_fatal();
	else {
		plat_measure("ramdisk", (const void *)(uintptr_t)in.ramdisk.addr, in.ramdisk.size);
		eb_log(EB_LOG_INFO, "elfboot: %s %lu bytes at 0x%lx\r\n", "ramdisk",
		       in.ramdisk.size, in.ramdisk.addr);
	}
	/* Modules (boot.json "modules", the MODULES request): each file is
	 * read like the ramdisk; a missing one stops the boot, naming it. */
	in.boot = &bc;
	in.modules = modules;
	in.module_count = bc.module_count;
	for (uint32_t i = 0; i < bc.module_count; i++) {
		const char *file = bc.strings + bc.modules[i].file;
		st = plat_read_file(file, &modules[i]);
		if (st == EB_NOTFOUND)
			eb_error("%s file '%s' not found %s", "module", file, plat_file_place());
		if (st != EB_OK)
			eb_fatal();
		plat_measure(file, (const void *)(uintptr_t)modules[i].addr, modules[i].size);
		eb_log(EB_LOG_INFO, "elfboot: %s %lu bytes at 0x%lx\r\n", file, modules[i].size,
		       modules[i].addr);
	}
	if (source_pins_unread()) /* every pinned file was read and matched */
		eb_fatal();
	in.rsdp = plat_rsdp();
	if (req_wanted(&img, ELFBOOT_REQ_SMP)) { /* SMP: the APs' start-up pages */
		in.smp_low = plat_smp_low();
		in.smp_start = smp_start;
		in.tsc_hz = tsc_rate(); /* times the INIT-SIPI waits */
	}
	in.tsc_entry = t0;
	in.unix_seconds = -1;
	if (req_wanted(&img, ELFBOOT_REQ_TIMESTAMPS)) { /* costs ~5 ms: only when asked */
		in.tsc_hz = tsc_rate();
		in.unix_seconds = plat_wall_clock();
	}
	in.has_1g = cpu_has_1g_pages();
	in.seed = cpu_entropy();
	in.alloc_max = plat_alloc_limit();
	in.map = fw_map;
	in.map_cap = MAP_CAP;
	/* FIRMWARE: for every kernel (a req_wanted test costs more bytes than
	 * the scan costs time: ~4096 16-byte steps on BIOS, two on UEFI). */
	plat_smbios(&in.smbios32, &in.smbios64);
	in.efi = plat_efi();

	/* Everything that can fail happens while the firmware still runs, so
	 * an error reaches the screen: the kernel's world is built in a pool
	 * the firmware reserved for us. */
	eb_phase("building page tables");
	if (plat_memory_map(fw_map, MAP_CAP, &in.map_count, &in.fw))
		eb_fatal();
	uint64_t need = load_estimate(&in, &img, &cfg);
	st = plat_reserve(need, &in.pool_addr);
	if (st == EB_OK)
		in.pool_size = need;
	else if (st != EB_NOTFOUND)
		eb_fatal();
	if (load_prepare(&in, &img, &cfg, &result))
		eb_fatal();
	eb_log(EB_LOG_INFO, "elfboot: jumping to 0x%lx (stack 0x%lx, boot info 0x%lx)\r\n",
	       result.entry, result.stack_top, result.boot_info_va);
	eb_phase("leaving the firmware");
	if (plat_exit_firmware(fw_map, MAP_CAP, &in.map_count, &in.fw))
		eb_fatal();
	/* The firmware's exception handlers are gone with it (UEFI): from here
	 * the core's own IDT reports a fault instead of a silent reset. */
	eb_fault_install();
	if (eb_test_fault == EB_TEST_FAULT_EXCEPTION) {
		eb_fault_test();
		eb_error("_test_fault: the CPU raised no exception");
		eb_fatal();
	}
	eb_phase("writing boot info");
	if (load_finish(&in, &result))
		eb_fatal();
	uint64_t t1 = cpu_rdtsc();
	eb_log(EB_LOG_DEBUG, "elfboot: %lu page-table pages, %u memory regions; loader took %lu Mcycles\r\n",
		  result.vmm.tables, (unsigned)result.boot_info->memory_regions_len,
		  (t1 - t0) / 1000000);
	eb_phase("jumping to the kernel");
	if (req_finish(&in, &result)) /* as late as possible: TSC at the jump */
		eb_fatal();
	jump(&result);
}
