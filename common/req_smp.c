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

/* The CPUs to report: the MADT's, the BSP among them (added if missing,
 * so there is always room for it); the BSP alone where no AP can be
 * started.  Returns the count, *bsp its ID. */
static uint32_t smp_list(const struct load_input *in, struct acpi_cpu *f, uint32_t *bsp,
			 int loud)
{
	uint32_t len, n = 0;
	const char *warn = "no MADT";
	/* Only where APs can be started: the host tool's simulated machine
	 * has an RSDP address but no memory behind it. */
	uint64_t madt = in->smp_start ? acpi_find_table(in->rsdp, "APIC", in->alloc_max, &len) : 0;
	if (madt)
		n = acpi_madt_cpus((const void *)(uintptr_t)madt, len, f, SMP_MAX_CPUS - 1, &warn);
	if (warn && loud && in->smp_start)
		eb_log(EB_LOG_WARN, "elfboot: warning: SMP: %s\r\n", warn);
	*bsp = bsp_apic_id();
	for (uint32_t i = 0; i < n; i++)
		if (f[i].apic_id == *bsp)
			return n;
	f[n] = (struct acpi_cpu){ 0, *bsp };
	return n + 1;
}

/* The response, the records, then the APs' stacks (16-aligned: the
 * records are 40 bytes each). */
static uint64_t smp_bytes(uint64_t n)
{
	return EB_ALIGN_UP(sizeof(struct elfboot_smp_response) + n * sizeof(struct elfboot_smp_cpu),
			   16) + (n - 1) * AP_STACK;
}

uint64_t smp_size(const struct req_env *env, const struct elfboot_request *q)
{
	(void)q;
	struct acpi_cpu f[SMP_MAX_CPUS];
	uint32_t bsp;
	return smp_bytes(smp_list(env->in, f, &bsp, 0));
}

/* A fresh frame mapped at its own address in the kernel's tables, where
 * the kernel mapped nothing (like the hand-off page; vmm_map refuses a
 * page already mapped). */
static uint64_t identity_page(struct load_result *r)
{
	for (int i = 0; i < 16; i++) {
		uint64_t pa;
		if (fa_alloc(&r->fa, 1, EB_PAGE, &pa))
			return 0;
		if (vmm_map(&r->vmm, pa, pa, EB_PAGE, 0, 0, "SMP parking page") == EB_OK)
			return pa;
	}
	return 0;
}

int smp_prepare(struct req_env *env, const struct elfboot_request *q, uint64_t *va)
{
	(void)q;
	struct acpi_cpu f[SMP_MAX_CPUS];
	uint32_t bsp, n = smp_list(env->in, f, &bsp, 1);
	struct elfboot_smp_response *resp = req_alloc(env, smp_bytes(n), va);
	if (!resp)
		return EB_ERR;
	resp->bsp_lapic_id = bsp;
	resp->cpu_count = n;
	resp->cpus = *va + sizeof *resp;
	uint64_t stack = *va + smp_bytes(n) - (n - 1) * AP_STACK; /* after the records */
	struct elfboot_smp_cpu *c = (struct elfboot_smp_cpu *)(resp + 1);
	for (uint32_t i = 0; i < n; i++) {
		c[i].processor_id = f[i].uid;
		c[i].lapic_id = f[i].apic_id;
		c[i].state = ELFBOOT_SMP_BSP;
		if (f[i].apic_id != bsp) { /* failed until it says it started */
			c[i].state = ELFBOOT_SMP_FAILED;
			c[i].stack_top = stack += AP_STACK;
		}
	}
	smp_low = 0;
	struct load_input *in = env->in;
	if (n < 2 || !in->smp_low || !in->smp_start)
		return EB_OK; /* nothing to start, or no way to (host simulation) */
	/* The start-up page must mean the same before and after the AP loads
	 * the kernel's CR3: a kernel mapping that address keeps its APs
	 * unstarted (listed as failed), with a warning, not a stop. */
	if (vmm_map(&env->r->vmm, in->smp_low, in->smp_low, EB_PAGE, 0, 0, "SMP start-up page") ||
	    !(smp_park = identity_page(env->r))) {
		eb_log(EB_LOG_WARN, "elfboot: warning: SMP: %s; APs not started\r\n",
		       eb_last_error());
		return EB_OK;
	}
	smp_low = in->smp_low;
	return EB_OK;
}

int smp_finish(struct req_env *env, const struct elfboot_request *q)
{
	if (!smp_low)
		return EB_OK;
	return env->in->smp_start(env->response, q->flags, env->r->cr3, smp_low, smp_park,
				  env->in->tsc_hz);
}
