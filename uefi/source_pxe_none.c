/* SPDX-License-Identifier: MIT */
/*
 * source_pxe_none.c - the network source of the disk/CD BOOTX64.EFI: none.
 * Linked instead of source_pxe.c so that the PXE code stays out of the
 * EFI_LIMIT budget (issue 11); `elfboot netboot` serves BOOTX64-net.EFI.
 * Not a network boot (no PXE base code on our device): EB_NOTFOUND, as
 * source_pxe.c says it.  Fetched over the network anyway: one line, stop.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#include <efi.h>
#pragma GCC diagnostic pop

#include "core.h"
#include "uefi.h"

static EFI_GUID pxe_guid = EFI_PXE_BASE_CODE_PROTOCOL_GUID;

int source_pxe_open(const struct file_source **out)
{
	EFI_LOADED_IMAGE *li;
	void *pxe;
	(void)out;
	if (EFI_ERROR(uefi_call_wrapper(bs->HandleProtocol, 3, image, &loaded_image_guid,
					(void **)&li)) ||
	    EFI_ERROR(uefi_call_wrapper(bs->HandleProtocol, 3, li->DeviceHandle, &pxe_guid, &pxe)))
		return EB_NOTFOUND;
	return eb_error("network: this BOOTX64.EFI has no network support (boot the one "
			"`elfboot netboot` writes)");
}

/* Never reached: plat_file_place asks only after a network open. */
const char *source_pxe_place(void)
{
	return "on the network";
}
