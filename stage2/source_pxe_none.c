/* SPDX-License-Identifier: MIT */
/*
 * source_pxe_none.c - the network source of the disk/CD stage2 (stage2.bin):
 * none.  Linked instead of source_pxe.c so that the PXE code stays out of
 * the 32 KiB BIOS budget (issue 10); the network boot program carries
 * stage2-pxe.bin.  stage2_main() only calls these on a PXE hand-over, which
 * this stage2 never gets from stage1 or cdboot: if an NBP was put together
 * with it anyway, the boot stops with one line saying so.
 */
#include "core.h"
#include "stage2.h"

int source_pxe_open(uint32_t pxenv, uint32_t bang, const struct file_source **out)
{
	(void)pxenv;
	(void)bang;
	(void)out;
	return eb_error("network: this stage2 has no network support (boot the elfboot.pxe "
			"`elfboot netboot` writes)");
}

const char *source_pxe_place(void)
{
	return "on the network";
}

/* Nothing to stop: this stage2 never started the NIC's PXE API. */
void source_pxe_shutdown(void)
{
}
