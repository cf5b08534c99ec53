/* SPDX-License-Identifier: MIT */
/*
 * req_smp.c - the SMP request: lists the CPUs of the ACPI MADT, and after
 * leaving the firmware starts every application processor (INIT-SIPI-SIPI)
 * into long mode on the kernel's tables, parked on its own record until the
 * kernel writes goto_address.  prepare allocates everything (records,
 * stacks, the parking page); finish hands over to smp_start.c (firmware
 * builds only: the host tool and tests have no LAPIC to drive).
 */
#include "acpi.h"
#include "cpu.h"
#include "requests.h"
#include "smp.h"

#define AP_STACK (16ull << 10)

/* The parking page and the start-up page prepare set up for finish. */
static uint64_t smp_park, smp_low;

static uint32_t bsp_apic_id(void)
{
	uint32_t a, b, c, d, max;
	cpu_cpuid(0, &max, &b, &c, &d);
	if (max >= 0xb) {
		cpu_cpuid(0xb, &a, &b, &c, &d);
		if (b) /* leaf 0xb implemented: the full x2APIC ID */
			return d;
	}
	cpu_cpuid(1, &a, &b, &c, &d);
	return b >> 24;
}

/* The CPUs to report: the MADT's, the BSP among them (added if missing). */
static uint32_t smp_list(const struct load_input *in, struct acpi_cpu *f, int loud)
{
	uint32_t len, n = 0, bsp = bsp_apic_id();
	const char *warn = "no MADT";
	uint64_t madt = acpi_find_table(in->rsdp, "APIC", in->alloc_max, &len);
	if (madt)
		n = acpi_madt_cpus((const void *)(uintptr_t)madt, len, f, SMP_MAX_CPUS, &warn);
	if (warn && loud)
		eb_log(EB_LOG_WARN, "elfboot: warning: SMP: %s at 0x%lx; listing %u CPUs\r\n", warn,
		       madt, n);
	uint32_t i = 0;
	while (i < n && f[i].apic_id != bsp)
		i++;
	if (i == n)
		f[n < SMP_MAX_CPUS ? n++ : n - 1] = (struct acpi_cpu){ 0, bsp };
	return n;
}

uint64_t smp_size(const struct req_env *env, const struct elfboot_request *q)
{
	(void)q;
	struct acpi_cpu f[SMP_MAX_CPUS];
	uint64_t n = smp_list(env->in, f, 0);
	return sizeof(struct elfboot_smp_response) + n * sizeof(struct elfboot_smp_cpu) +
	       16 + (n - 1) * AP_STACK;
}

/* A fresh frame mapped at its own address in the kernel's tables, where
 * the kernel mapped nothing (like the hand-off page). */
static uint64_t identity_page(struct load_result *r)
{
	for (int i = 0; i < 16; i++) {
		uint64_t pa, got, fl;
		if (fa_alloc(&r->fa, 1, EB_PAGE, &pa))
			return 0;
		if (vmm_translate(&r->vmm, pa, &got, &fl) == EB_NOTFOUND &&
		    vmm_map(&r->vmm, pa, pa, EB_PAGE, 0, 0, "SMP parking page") == EB_OK)
			return pa;
	}
	return 0;
}

int smp_prepare(struct req_env *env, const struct elfboot_request *q, uint64_t *va)
{
	(void)q;
	struct acpi_cpu f[SMP_MAX_CPUS];
	uint32_t n = smp_list(env->in, f, 1), bsp = bsp_apic_id();
	uint64_t cva, sva = 0;
	struct elfboot_smp_response *resp =
		req_alloc(env, sizeof *resp + n * sizeof(struct elfboot_smp_cpu), va);
	if (!resp || (n > 1 && !req_alloc(env, (n - 1) * AP_STACK, &sva)))
		return EB_ERR;
	cva = *va + sizeof *resp;
	resp->bsp_lapic_id = bsp;
	resp->cpu_count = n;
	resp->cpus = cva;
	struct elfboot_smp_cpu *c = (struct elfboot_smp_cpu *)(resp + 1);
	for (uint32_t i = 0; i < n; i++) {
		c[i].processor_id = f[i].uid;
		c[i].lapic_id = f[i].apic_id;
		/* 2 until the AP says it started (finish) */
		c[i].state = f[i].apic_id == bsp ? 1 : 2;
		if (c[i].state == 2) {
			sva += AP_STACK;
			c[i].stack_top = sva;
		}
	}
	smp_low = smp_park = 0;
	if (n < 2 || !env->in->smp_low || !env->in->smp_start)
		return EB_OK; /* nothing to start, or no way to (host simulation) */
	uint64_t low = env->in->smp_low, pa, fl;
	struct load_result *r = env->r;
	/* The start-up page must mean the same before and after the AP loads
	 * the kernel's CR3. */
	if (vmm_translate(&r->vmm, low, &pa, &fl) == EB_OK ||
	    vmm_map(&r->vmm, low, low, EB_PAGE, 0, 0, "SMP start-up page") ||
	    !(smp_park = identity_page(r))) {
		eb_log(EB_LOG_WARN, "elfboot: warning: SMP: no identity mapping for the AP start-up "
		       "page 0x%lx (the kernel maps it); APs not started\r\n", low);
		return EB_OK;
	}
	smp_low = low;
	return EB_OK;
}

int smp_finish(struct req_env *env, const struct elfboot_request *q)
{
	if (!smp_low)
		return EB_OK;
	return env->in->smp_start(env->response, q->flags, env->r->cr3, smp_low, smp_park);
}
