/* SPDX-License-Identifier: MIT */
/*
 * smp_start.c - starts the application processors for the SMP request
 * (req_smp.c prepared the records, stacks and pages): INIT-SIPI-SIPI
 * through the local APIC, each AP into smp.asm's start-up page.  Runs after
 * leaving the firmware; firmware builds only (loader.c hands it to the core
 * through load_input.smp_start), as it needs ring 0 and the hardware.
 */
#include "cpu.h"
#include "core.h"
#include "smp.h"

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_X2 (1u << 10)
#define APIC_BASE_EN (1u << 11)
#define ICR_INIT 0x4500u /* INIT, level assert */
#define ICR_SIPI 0x4600u /* start-up, level assert; | vector */
#define TRY_MS 100       /* per SIPI; generous: TCG may schedule an AP late */

static inline uint64_t rdmsr(uint32_t m)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(m));
	return (uint64_t)hi << 32 | lo;
}

static inline void wrmsr(uint32_t m, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(m), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

static void icr(int x2, volatile uint32_t *apic, uint32_t dest, uint32_t cmd)
{
	if (x2) {
		/* A WRMSR to the x2APIC ICR does not wait for earlier stores
		 * (SDM): the AP's start-up block must be visible first. */
		__asm__ volatile("mfence" : : : "memory");
		wrmsr(0x830, (uint64_t)dest << 32 | cmd);
		return;
	}
	apic[0x310 / 4] = dest << 24;
	apic[0x300 / 4] = cmd;
	for (int i = 0; i < 1000000 && (apic[0x300 / 4] & (1u << 12)); i++)
		__asm__ volatile("pause");
}

/* The AP writes state 0 once it has read its start-up block. */
static int wait_started(volatile uint32_t *state, uint64_t ticks)
{
	uint64_t t0 = cpu_rdtsc();
	while (*state)
		if (cpu_rdtsc() - t0 > ticks)
			return 0;
	return 1;
}

int smp_start(void *response, uint32_t flags, uint64_t cr3, uint64_t smp_low, uint64_t smp_park,
	      uint64_t tsc_hz)
{
	struct elfboot_smp_response *resp = response;
	struct elfboot_smp_cpu *c = (struct elfboot_smp_cpu *)(resp + 1);
	uint64_t t0 = cpu_rdtsc(), base = rdmsr(MSR_APIC_BASE);
	uint32_t a, b, cx, d;
	cpu_cpuid(1, &a, &b, &cx, &d);
	/* A firmware that left x2APIC on cannot go back to xAPIC mode. */
	int x2 = (base & APIC_BASE_X2) || ((flags & 1) && (cx >> 21 & 1));
	if (x2)
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_X2 | APIC_BASE_EN);
	resp->flags = (uint32_t)x2;
	volatile uint32_t *apic = (volatile uint32_t *)(uintptr_t)(base & 0xffffff000ull);

	/* The same blob in both pages: each uses its own part of it. */
	uint8_t *low = (uint8_t *)(uintptr_t)smp_low;
	uint64_t len = (uint64_t)(eb_smp_ap_end - eb_smp_ap_start);
	memcpy(low, eb_smp_ap_start, len);
	memcpy((void *)(uintptr_t)smp_park, eb_smp_ap_start, len);
	memcpy(low + EB_PAGE, (void *)(uintptr_t)cr3, EB_PAGE);
	volatile struct smp_ap_data *dp = (volatile struct smp_ap_data *)(low + SMP_DATA_OFF);
	dp->temp_cr3 = (uint32_t)smp_low + EB_PAGE;
	dp->x2apic = (uint32_t)x2;
	dp->kernel_cr3 = cr3;
	dp->park = smp_park;

	/* INIT every AP at once, then one 10 ms wait, then SIPI them one by
	 * one: the start-up page serves one AP at a time.  Times from the TSC
	 * rate loader.c measured; without one (no PIT, no CPUID 0x15), 10 ms
	 * is taken as 5e7 ticks: 5 GHz, on the long side. */
	uint64_t tick10 = tsc_hz >= 10000000 ? tsc_hz / 100 : 50000000;
	uint64_t n = resp->cpu_count, va = resp->cpus;
	/* In xAPIC mode an ID above 254 cannot be addressed: it stays failed. */
	for (uint64_t i = 0; i < n; i++)
		if (c[i].state == 2 && (x2 || c[i].lapic_id < 0xff))
			icr(x2, apic, c[i].lapic_id, ICR_INIT);
	uint64_t started = 0;
	wait_started(&(uint32_t){ 1 }, tick10); /* a state that never clears: 10 ms */
	for (uint64_t i = 0; i < n; i++, va += sizeof *c) {
		if (c[i].state != 2 || (!x2 && c[i].lapic_id >= 0xff))
			continue;
		dp->record = va;
		dp->stack_top = c[i].stack_top;
		volatile uint32_t *state = &c[i].state;
		for (int try = 0; try < 2 && *state; try++) {
			icr(x2, apic, c[i].lapic_id, ICR_SIPI | (uint32_t)(smp_low >> 12));
			wait_started(state, tick10 * (TRY_MS / 10));
		}
		if (!*state) {
			started++;
		} else { /* back to waiting for a SIPI: it must not wake later */
			icr(x2, apic, c[i].lapic_id, ICR_INIT);
			*state = 2;
			eb_log(EB_LOG_WARN, "elfboot: warning: SMP: APIC ID %u did not start\r\n",
			       c[i].lapic_id);
		}
	}
	uint64_t dt = cpu_rdtsc() - t0;
	/* bench/smp.sh reads this line (docs/benchmarks.md). */
	eb_log(EB_LOG_DEBUG, "elfboot: smp: %lu of %lu APs parked in %lu us, x2APIC %d\r\n",
	       started, n - 1, dt * 10000 / tick10, x2);
	return EB_OK;
}
