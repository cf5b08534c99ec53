/* SPDX-License-Identifier: MIT */
/*
 * k_smp.c - the SMP request: one record per CPU, the BSP's marked and
 * matching CPUID; every AP parked, then released into ap_entry, where it
 * checks its own LAPIC ID and stack against its record, its CR3 and EFER
 * against the BSP's, and counts itself in.  Prints
 * "ktest: smp cpus=N parked=P ran=R x2apic=X" for the boot test to match.
 * X2APIC=1: the request asks for x2APIC mode (granted iff CPUID has it).
 */
#include "ktest.h"

#ifndef X2APIC
#define X2APIC 0
#endif

ELFBOOT_CONFIG(boot_config, .physical_memory = ELFBOOT_SOME_DYNAMIC);
ELFBOOT_REQUEST_SMP(smp_req, X2APIC);

#define MAX_CPUS 256
#define AP_STACK 16384 /* elfboot.h: each AP's stack */
#define ARG_MAGIC 0x5a17c0de00000000ull

static volatile uint32_t ran;
static volatile uint32_t verdict[MAX_CPUS]; /* per record: 1 good, else what failed */
static uint64_t bsp_cr3, bsp_efer;

static uint64_t rdmsr(uint32_t m)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(m));
	return (uint64_t)hi << 32 | lo;
}

static uint32_t my_apic_id(void)
{
	uint32_t a, b, c, d, max;
	__asm__ volatile("cpuid" : "=a"(max), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0));
	if (max >= 0xb) {
		__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0xb), "c"(0));
		if (b)
			return d;
	}
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	return b >> 24;
}

/* The AP's first instruction: hands the entry rsp to C, before any push. */
void ap_main(struct elfboot_smp_cpu *cpu, uint64_t rsp);
__asm__(".text\n"
	".globl ap_entry\n"
	"ap_entry:\n"
	"  mov %rsp, %rsi\n"
	"  jmp ap_main\n");
void ap_entry(void);

void ap_main(struct elfboot_smp_cpu *cpu, uint64_t rsp)
{
	const struct elfboot_smp_response *r = ELFBOOT_RESPONSE(smp_req, struct elfboot_smp_response);
	uint64_t i = (uint64_t)(cpu - (struct elfboot_smp_cpu *)(uintptr_t)r->cpus);
	uint32_t v = 1;
	if (cpu->lapic_id != my_apic_id())
		v = 2;
	else if (rsp != cpu->stack_top - 8 || *(uint64_t *)rsp != 0 || cpu->stack_top & 15)
		v = 3;
	else if (read_cr3() != bsp_cr3 || rdmsr(0xc0000080) != bsp_efer)
		v = 4;
	else if (cpu->extra_argument != (ARG_MAGIC | i))
		v = 5;
	else if (((rdmsr(0x1b) >> 10) & 1) != (r->flags & ELFBOOT_SMP_X2APIC))
		v = 6;
	/* The stack is this CPU's: deep use of it must not disturb others. */
	volatile uint8_t buf[8192];
	for (unsigned k = 0; k < sizeof buf; k += 512)
		buf[k] = (uint8_t)i;
	for (unsigned k = 0; k < sizeof buf; k += 512)
		if (buf[k] != (uint8_t)i)
			v = 7;
	if (i < MAX_CPUS)
		verdict[i] = v;
	__atomic_fetch_add(&ran, 1, __ATOMIC_SEQ_CST);
	for (;;)
		__asm__ volatile("cli; hlt");
}

void kmain(struct elfboot_boot_info *bi);
void kmain(struct elfboot_boot_info *bi)
{
	ktest_init();
	kputs("ktest: k_smp\n");
	ktest_common_checks(bi);
	const struct elfboot_smp_response *r = ELFBOOT_RESPONSE(smp_req, struct elfboot_smp_response);
	CHECK(r != 0);
	CHECK_EQ(r->revision, 0);
	CHECK(r->cpu_count >= 1 && r->cpu_count <= MAX_CPUS);
	CHECK_EQ(r->bsp_lapic_id, my_apic_id());
	CHECK_EQ(r->flags & ELFBOOT_SMP_X2APIC, (rdmsr(0x1b) >> 10) & 1);
	/* Asked for x2APIC: granted exactly when the CPU has it (QEMU 7.2's
	 * TCG has not: then the request is declined and xAPIC works on). */
	uint32_t a, b, cx, d;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(cx), "=d"(d) : "a"(1), "c"(0));
	if (X2APIC)
		CHECK_EQ(r->flags & ELFBOOT_SMP_X2APIC, (cx >> 21) & 1);
	bsp_cr3 = read_cr3();
	bsp_efer = rdmsr(0xc0000080);
	struct elfboot_smp_cpu *c = (struct elfboot_smp_cpu *)(uintptr_t)r->cpus;
	uint64_t off = bi->physical_memory_offset.value, bsps = 0, parked = 0;
	for (uint64_t i = 0; i < r->cpu_count; i++) {
		kprintf("ktest: cpu %lu uid %u apic %u state %u stack 0x%lx\n", i,
			c[i].processor_id, c[i].lapic_id, c[i].state, c[i].stack_top);
		CHECK(c[i].state <= ELFBOOT_SMP_FAILED);
		if (c[i].state == ELFBOOT_SMP_BSP) {
			bsps++;
			CHECK_EQ(c[i].lapic_id, r->bsp_lapic_id);
			continue;
		}
		for (uint64_t j = 0; j < i; j++)
			CHECK(c[j].lapic_id != c[i].lapic_id);
		CHECK(c[i].stack_top && !(c[i].stack_top & 15));
		/* Its 16 KiB overlap neither the records nor another stack. */
		uint64_t lo = c[i].stack_top - AP_STACK, recs = r->cpus;
		CHECK(lo >= recs + r->cpu_count * sizeof *c || c[i].stack_top <= recs);
		for (uint64_t j = 0; j < r->cpu_count; j++)
			CHECK(j == i || !c[j].stack_top || c[j].stack_top <= lo ||
			      c[j].stack_top - AP_STACK >= c[i].stack_top);
		/* The stack is the kernel's to keep: mapped, Bootloader memory. */
		uint64_t pa, fl;
		CHECK(ktest_translate(off, c[i].stack_top - 8, &pa, &fl));
		const struct elfboot_memory_region *reg = ktest_region_of(bi, pa);
		CHECK(reg && reg->kind == ELFBOOT_REGION_BOOTLOADER);
		if (c[i].state == ELFBOOT_SMP_PARKED)
			parked++;
	}
	CHECK_EQ(bsps, 1);
	/* Under QEMU every AP answers. */
	CHECK_EQ(parked, r->cpu_count - 1);
	for (uint64_t i = 0; i < r->cpu_count; i++) {
		if (c[i].state != ELFBOOT_SMP_PARKED)
			continue;
		c[i].extra_argument = ARG_MAGIC | i;
		__atomic_store_n(&c[i].goto_address, (uint64_t)(uintptr_t)ap_entry, __ATOMIC_SEQ_CST);
	}
	/* Bounded wait: TCG may run the APs' threads late; ~10 s of TSC at
	 * any plausible rate is far beyond what they need. */
	uint64_t t0, t;
	__asm__ volatile("rdtsc; shl $32, %%rdx; or %%rdx, %%rax" : "=a"(t0) : : "rdx");
	do {
		__asm__ volatile("pause; rdtsc; shl $32, %%rdx; or %%rdx, %%rax" : "=a"(t) : : "rdx");
	} while (ran < parked && t - t0 < 30000000000ull);
	kprintf("ktest: smp cpus=%lu parked=%lu ran=%u x2apic=%u\n", r->cpu_count, parked, ran,
		r->flags & ELFBOOT_SMP_X2APIC);
	CHECK_EQ(ran, parked);
	for (uint64_t i = 0; i < r->cpu_count; i++)
		if (c[i].state == ELFBOOT_SMP_PARKED) {
			if (verdict[i] != 1)
				kprintf("ktest: cpu %lu verdict %u\n", i, verdict[i]);
			CHECK_EQ(verdict[i], 1);
		}
	kexit(1);
}
