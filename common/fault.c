/* SPDX-License-Identifier: MIT */
/*
 * fault.c - the loader's own long-mode IDT (vectors 0-31, stubs in
 * isr.asm) and the report for a CPU exception: one error line naming the
 * vector, error code, RIP, RSP, CR2 and what the loader was doing
 * (eb_phase), then the same way out as eb_fatal.  Both front ends share it;
 * it needs identity-mapped memory and ring 0, nothing from the firmware.
 */
#include "core.h"

/* What the CPU and the stub pushed, lowest address first. */
struct eb_fault_frame {
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

void eb_fault(const struct eb_fault_frame *f) __attribute__((noreturn));

static const char *phase; /* NULL: "starting" (no relocation in a PIC loader) */
static volatile int in_fault;
static uint64_t idt[2 * 32] __attribute__((aligned(16)));

void eb_phase(const char *what)
{
	phase = what;
}

void eb_fault_install(void)
{
	uint16_t cs;
	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	uint64_t stubs = (uint64_t)(uintptr_t)eb_isr_stubs;
	for (unsigned v = 0; v < 32; v++) {
		uint64_t a = stubs + 16 * v;
		/* 64-bit interrupt gate, present, DPL 0, no IST: interrupts stay
		 * off in the handler. */
		idt[2 * v] = (a & 0xffff) | (uint64_t)cs << 16 | 0x8eull << 40 |
			     ((a >> 16) & 0xffff) << 48;
		idt[2 * v + 1] = a >> 32;
	}
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = { sizeof idt - 1, (uint64_t)(uintptr_t)idt };
	/* Vectors above 31 have no gate: with interrupts on, a device
	 * interrupt would read as #GP.  The loader polls; it never needs them. */
	__asm__ volatile("cli; lidt %0" : : "m"(idtr) : "memory");
}

int eb_fault_idt_live(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr;
	__asm__ volatile("sidt %0" : "=m"(idtr));
	return idtr.base == (uint64_t)(uintptr_t)idt && idtr.limit == sizeof idt - 1;
}

/* Fixed-width names, not pointers: a position-independent loader would need
 * a load-time relocation per pointer.  "" is a reserved vector (one literal
 * "reserved" instead of nine 9-byte slots: BOOTX64.EFI's size budget). */
static const char mnemonic[32][4] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "CSO",
	"#TS", "#NP", "#SS", "#GP", "#PF", "", "#MF", "#AC", "#MC", "#XM",
	"#VE", "#CP", "", "", "", "", "", "", "#HV", "#VC", "#SX", "",
};

static int has_error_code(uint64_t v)
{
	return v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30;
}

void eb_fault(const struct eb_fault_frame *f)
{
	if (in_fault++) {
		/* A fault while reporting one: the console path itself may be
		 * what broke, so only the UART, with a fixed line, and stop. */
		for (const char *p = "elfboot: error: CPU exception inside the exception handler\r\n"
				     "elfboot: halted.\r\n"; *p; p++)
			serial_putc(*p);
		for (;;)
			__asm__ volatile("cli; hlt");
	}
	uint64_t v = f->vector < 32 ? f->vector : 31;
	char err[32] = "", cr2[32] = "";
	if (has_error_code(v))
		eb_snprintf(err, sizeof err, " error 0x%lx", f->error);
	/* CR2 always: for #PF it is the faulting address, and after a #DF it
	 * is often what started the cascade. */
	uint64_t a;
	__asm__ volatile("mov %%cr2, %0" : "=r"(a));
	eb_snprintf(cr2, sizeof cr2, " CR2 0x%lx", a);
	eb_error("CPU exception %lu (%s)%s at RIP 0x%lx RSP 0x%lx%s while %s", v, *mnemonic[v] ? mnemonic[v] : "reserved", err,
		 f->rip, f->rsp, cr2, phase ? phase : "starting");
	eb_fatal();
}

void eb_fault_test(void)
{
	/* A load through a non-canonical address: #GP(0) on every CPU, under
	 * any page tables. */
	uint64_t bad = 0x8000000000000000ull, out;
	__asm__ volatile("movq (%1), %0" : "=r"(out) : "r"(bad) : "memory");
	(void)out;
}
