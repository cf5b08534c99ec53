/* SPDX-License-Identifier: MIT */
/* ktest.c - see ktest.h.  Built with -mgeneral-regs-only for the handlers. */
#include <stdarg.h>

#include "core.h"
#include "cpu.h"
#include "ktest.h"

uint64_t ktest_entry_rsp, ktest_entry_ret, ktest_entry_rbp, ktest_entry_rdi;

/* The ELF entry: record the entry state, then call kmain(rdi). */
__asm__(".pushsection .text\n"
	".globl _start\n"
	".type _start,@function\n"
	"_start:\n"
	"  mov %rsp, ktest_entry_rsp(%rip)\n"
	"  mov (%rsp), %rax\n"
	"  mov %rax, ktest_entry_ret(%rip)\n"
	"  mov %rbp, ktest_entry_rbp(%rip)\n"
	"  mov %rdi, ktest_entry_rdi(%rip)\n"
	"  jmp kmain\n"
	".popsection\n");

/* The core's console (common/fmt.c prints through it): COM1 here. */
void eb_putc(char c)
{
	for (int i = 0; i < 1000000 && !(inb(0x3fd) & 0x20); i++)
		;
	outb(0x3f8, (uint8_t)c);
}

/* eb_log's lines (every level) go the same way. */
void eb_log_putc(int level, char c)
{
	(void)level;
	eb_putc(c);
}

void kputs(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			eb_putc('\r');
		eb_putc(*s);
	}
}

void kprintf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	eb_vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	kputs(buf);
}

void kexit(int pass)
{
	kputs(pass ? "ktest: PASS\n" : "ktest: FAIL\n");
	outb(0xf4, pass ? 0x10 : 0x11);
	for (;;)
		__asm__ volatile("cli; hlt");
}

void kfail(const char *file, int line, const char *what)
{
	kprintf("ktest: check failed at %s:%d: %s\n", file, line, what);
	kexit(0);
}

/* ---- exceptions: any fault fails the test with its vector and CR2 ---- */
struct iframe {
	uint64_t rip, cs, rflags, rsp, ss;
};

__attribute__((noreturn, no_caller_saved_registers)) static void fault(int vec, uint64_t rip,
										  uint64_t err)
{
	uint64_t cr2;
	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	kprintf("ktest: CPU exception %d at rip 0x%lx, error 0x%lx, cr2 0x%lx\n", vec, rip, err,
		cr2);
	kexit(0);
}

#define H(n)                                                                          \
	__attribute__((interrupt)) static void h##n(struct iframe *f) { fault(n, f->rip, 0); }
#define HE(n)                                                                         \
	__attribute__((interrupt)) static void h##n(struct iframe *f, uint64_t e)     \
	{                                                                             \
		fault(n, f->rip, e);                                                  \
	}
H(0) H(1) H(2) H(3) H(4) H(5) H(6) H(7) HE(8) H(9) HE(10) HE(11) HE(12) HE(13) HE(14) H(15)
H(16) HE(17) H(18) H(19) H(20) HE(21) H(22) H(23) H(24) H(25) H(26) H(27) H(28) HE(29)
HE(30) H(31)

static void *const handlers[32] = { h0, h1, h2, h3, h4, h5, h6, h7, h8, h9, h10,
				    h11, h12, h13, h14, h15, h16, h17, h18, h19, h20, h21,
				    h22, h23, h24, h25, h26, h27, h28, h29, h30, h31 };

static uint64_t idt[64] __attribute__((aligned(16)));
static uint8_t fault_stack[16384] __attribute__((aligned(16)));
static uint64_t tss[13] __attribute__((aligned(16)));
static uint64_t gdt[5];

void ktest_init(void)
{
	/* A GDT of our own with a TSS so faults (a stack overflow into the
	 * guard page, say) run on a known-good IST stack. */
	uint64_t top = (uint64_t)(uintptr_t)(fault_stack + sizeof fault_stack);
	uint8_t *t = (uint8_t *)tss;
	memcpy(t + 36, &top, 8); /* IST1 */
	uint64_t base = (uint64_t)(uintptr_t)tss, lim = sizeof tss - 1;
	gdt[0] = 0;
	gdt[1] = 0x00af9b000000ffffull;
	gdt[2] = 0x00cf93000000ffffull;
	gdt[3] = (lim & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
		 (((base >> 24) & 0xff) << 56);
	gdt[4] = base >> 32;
	struct __attribute__((packed)) { uint16_t l; uint64_t b; } gd = { sizeof gdt - 1,
		(uint64_t)(uintptr_t)gdt }, id = { sizeof idt - 1, (uint64_t)(uintptr_t)idt };
	__asm__ volatile("lgdt %0; ltr %w1" : : "m"(gd), "r"(0x18) : "memory");
	for (int i = 0; i < 32; i++) {
		uint64_t h = (uint64_t)(uintptr_t)handlers[i];
		idt[2 * i] = (h & 0xffff) | (0x08ull << 16) | (1ull << 32) /* IST1 */ |
			     (0x8eull << 40) | (((h >> 16) & 0xffff) << 48);
		idt[2 * i + 1] = h >> 32;
	}
	__asm__ volatile("lidt %0" : : "m"(id));
}

const struct elfboot_memory_region *ktest_region_of(const struct elfboot_boot_info *bi,
						    uint64_t phys)
{
	const struct elfboot_memory_region *r = elfboot_regions(bi);
	for (uint64_t i = 0; i < bi->memory_regions_len; i++)
		if (phys >= r[i].start && phys < r[i].end)
			return &r[i];
	return 0;
}

int ktest_translate(uint64_t off, uint64_t va, uint64_t *pa, uint64_t *flags)
{
	uint64_t t = read_cr3() & PTE_ADDR;
	for (int level = 4; level >= 1; level--) {
		uint64_t e = ((volatile uint64_t *)(uintptr_t)(off + t))[(va >> (12 + 9 * (level - 1))) & 511];
		if (!(e & PTE_P))
			return 0;
		if (level == 1 || (e & PTE_PS)) {
			uint64_t size = 1ull << (12 + 9 * (level - 1));
			*pa = (e & PTE_ADDR & ~(size - 1)) + (va & (size - 1));
			*flags = e & ~PTE_ADDR;
			return 1;
		}
		t = e & PTE_ADDR;
	}
	return 0;
}

