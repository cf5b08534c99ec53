/* SPDX-License-Identifier: MIT */
/*
 * req_firmware.c - the FIRMWARE request: which firmware booted the kernel,
 * its SMBIOS entry points (checked here, whoever found them), and on UEFI
 * the system table and a copy of the final memory map (docs/PROTOCOL.md).
 */
#include "acpi.h"
#include "core.h"
#include "requests.h"
#include "smbios.h"

int smbios_entry(const void *ep)
{
	const uint8_t *p = ep;
	int v3 = !memcmp(p, "_SM3_", 5);
	if (!v3 && memcmp(p, "_SM_", 4))
		return 0;
	uint32_t len = p[5 + v3];
	/* _SM_: 0x1f, or 0x1e, the SMBIOS 2.1 spec's own misprint, still in
	 * firmware (Linux accepts it too).  Lengths first: nothing is summed
	 * past the 32 bytes the check may read. */
	int ok = (v3 ? len >= 0x18 && len <= SMBIOS_EP_MAX_LEN : len - 0x1e <= 1) &&
		 !fw_sum8(p, len) && (v3 || (!memcmp(p + 16, "_DMI_", 5) && !fw_sum8(p + 16, 15)));
	return ok ? 2 + v3 : -1;
}

void smbios_find(uint64_t lo, uint64_t hi, uint64_t *ep32, uint64_t *ep64)
{
	/* lo 0: the firmware offered no table (address 0 is never one). */
	for (uint64_t a = lo; a && a < hi; a += 16) {
		int k = smbios_entry((const void *)(uintptr_t)a);
		if (k < 0)
			eb_log(EB_LOG_WARN, "elfboot: warning: SMBIOS entry point at 0x%lx: bad length "
			       "or checksum; ignoring it\r\n", a);
		uint64_t *slot = k == 2 ? ep32 : ep64;
		if (k > 0 && !*slot)
			*slot = a;
	}
}

uint64_t fw_size(const struct req_env *env, const struct elfboot_request *q)
{
	(void)q;
	const struct plat_efi *e = env->in->efi;
	return sizeof(struct elfboot_firmware_response) + (e ? e->map_cap : 0);
}

int fw_prepare(struct req_env *env, const struct elfboot_request *q, uint64_t *va)
{
	const struct load_input *in = env->in;
	struct elfboot_firmware_response *f = req_alloc(env, fw_size(env, q), va);
	if (!f)
		return EB_ERR;
	f->kind = in->fw == FIRMWARE_UEFI ? ELFBOOT_FIRMWARE_UEFI : ELFBOOT_FIRMWARE_BIOS;
	f->smbios_entry = in->smbios32;
	f->smbios3_entry = in->smbios64;
	if (in->efi) {
		f->efi_system_table = in->efi->system_table;
		f->efi_memory_map = *va + sizeof *f;
	}
	return EB_OK;
}

/* The final map exists only now: copied into the room fw_prepare left,
 * the size of the front end's whole buffer, so no final map outgrows it. */
int fw_finish(struct req_env *env, const struct elfboot_request *q)
{
	(void)q;
	const struct plat_efi *e = env->in->efi;
	struct elfboot_firmware_response *f = env->response;
	if (e) {
		memcpy(f + 1, (const void *)(uintptr_t)e->map, e->map_size);
		f->efi_memory_map_size = e->map_size;
		f->efi_descriptor_size = e->desc_size;
		f->efi_descriptor_version = e->desc_version;
	}
	return EB_OK;
}
