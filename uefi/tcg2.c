/* SPDX-License-Identifier: MIT */
/*
 * uefi/tcg2.c - measured boot: plat_measure() hashes what the core read
 * into the TPM through EFI_TCG2_PROTOCOL (PCR 9, event type EV_IPL, event
 * data "elfboot <what>"; docs/trusted-boot.md).  Boot services must still
 * run.  No protocol or no TPM: nothing happens; a failing call is one
 * warning line, and the boot goes on (a TPM never stops a boot).
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#include <efi.h>
#pragma GCC diagnostic pop

#include "core.h"
#include "uefi.h"

/* The few pieces of the TCG EFI Protocol Specification (TPM 2.0) used here;
 * gnu-efi has no header for them.  Natural alignment except the event,
 * which the specification packs. */
#define TCG2_PCR 9 /* "files the loader loaded", as GRUB and Linux's stub use it */
#define TCG2_EV_IPL 0x0000000d
#define TCG2_EVENT_HEADER_VERSION 1

struct tcg2_capability {
	uint8_t size;
	uint8_t structure_version[2], protocol_version[2];
	uint32_t hash_algorithm_bitmap;
	uint32_t supported_event_logs;
	uint8_t tpm_present;
	uint16_t max_command_size, max_response_size;
	uint32_t manufacturer_id;
	uint32_t number_of_pcr_banks;
	uint32_t active_pcr_banks;
};
_Static_assert(__builtin_offsetof(struct tcg2_capability, hash_algorithm_bitmap) == 8, "tcg2 cap");
_Static_assert(__builtin_offsetof(struct tcg2_capability, tpm_present) == 16, "tcg2 cap");
_Static_assert(__builtin_offsetof(struct tcg2_capability, active_pcr_banks) == 32, "tcg2 cap");
_Static_assert(sizeof(struct tcg2_capability) == 36, "tcg2 cap");

struct tcg2_protocol;
typedef EFI_STATUS(EFIAPI *tcg2_get_capability)(struct tcg2_protocol *self,
						struct tcg2_capability *cap);
typedef EFI_STATUS(EFIAPI *tcg2_hash_log_extend)(struct tcg2_protocol *self, uint64_t flags,
						 uint64_t data, uint64_t len, void *event);
struct tcg2_protocol {
	tcg2_get_capability get_capability;
	void *get_event_log;
	tcg2_hash_log_extend hash_log_extend_event;
	void *submit_command, *get_active_pcr_banks, *set_active_pcr_banks,
		*get_result_of_set_active_pcr_banks;
};
_Static_assert(__builtin_offsetof(struct tcg2_protocol, hash_log_extend_event) == 16, "tcg2");

/* EFI_TCG2_EVENT: Size, then the 14-byte header, then the event data. */
struct __attribute__((packed)) tcg2_event {
	uint32_t size;           /* the whole event, data included */
	uint32_t header_size;    /* 14 */
	uint16_t header_version; /* 1 */
	uint32_t pcr;
	uint32_t type;
	char data[8 + EB_MODULE_NAME_MAX + 1]; /* "elfboot ", a file's name, NUL */
};
_Static_assert(__builtin_offsetof(struct tcg2_event, data) == 18, "tcg2 event");
_Static_assert(__builtin_offsetof(struct tcg2_event, pcr) == 10, "tcg2 event");

static EFI_GUID tcg2_guid = { 0x607f766c, 0x7455, 0x42be,
			      { 0x93, 0x0b, 0xe4, 0xd7, 0x6d, 0xb2, 0x72, 0x0f } };

/* Looked up once: 0 not yet, 1 a TPM to measure into, -1 none. */
static int tcg2_state;
static struct tcg2_protocol *tcg2;

int plat_measuring(void)
{
	if (!tcg2_state) {
		struct tcg2_capability cap = { .size = sizeof cap };
		tcg2_state = -1;
		/* No line when there is none: this runs before boot.json's log
		 * level applies, and most machines boot so. */
		if (!EFI_ERROR(uefi_call_wrapper(bs->LocateProtocol, 3, &tcg2_guid, NULL,
						 (void **)&tcg2)) && tcg2 &&
		    !EFI_ERROR(uefi_call_wrapper(tcg2->get_capability, 2, tcg2, &cap)) &&
		    cap.tpm_present)
			tcg2_state = 1;
	}
	return tcg2_state > 0;
}

void plat_measure(const char *what, const void *data, uint64_t len)
{
	if (!plat_measuring())
		return;
	struct tcg2_event ev = { .header_size = 14, .header_version = TCG2_EVENT_HEADER_VERSION,
				 .pcr = TCG2_PCR, .type = TCG2_EV_IPL };
	uint32_t n = (uint32_t)eb_snprintf(ev.data, sizeof ev.data, "elfboot %s", what);
	if (n >= sizeof ev.data)
		n = sizeof ev.data - 1;
	ev.size = (uint32_t)__builtin_offsetof(struct tcg2_event, data) + n;
	EFI_STATUS s = uefi_call_wrapper(tcg2->hash_log_extend_event, 5, tcg2, 0,
					 (uint64_t)(uintptr_t)data, len, &ev);
	if (EFI_ERROR(s))
		eb_log(EB_LOG_WARN, "elfboot: warning: TPM: measuring %s failed (status %s); "
		       "booting on\r\n", what, efi_status(s));
	else
		eb_log(EB_LOG_DEBUG, "elfboot: measured %s (%lu bytes) into PCR %u\r\n", what, len,
		       TCG2_PCR);
}
