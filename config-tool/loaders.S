/* SPDX-License-Identifier: MIT */
/*
 * loaders.S - the seven loader binaries and the build id, embedded in the
 * host tool so that it needs no share directory (config-tool/embed.c reads
 * them).  Assembled with -Wa,-I<loader dir> and -I<dir of buildid.h>.
 */
#include "buildid.h"

	.section .rodata
#define BLOB(sym, file) \
	.global sym, sym##_end; .balign 16; sym: .incbin file; sym##_end:

BLOB(eb_embedded_stage1, "stage1.bin")
BLOB(eb_embedded_stage2, "stage2.bin")
BLOB(eb_embedded_cdboot, "cdboot.bin")
BLOB(eb_embedded_pxe, "pxe.bin")
BLOB(eb_embedded_efi, "BOOTX64.EFI")
BLOB(eb_embedded_stage2_pxe, "stage2-pxe.bin")
BLOB(eb_embedded_efi_net, "BOOTX64-net.EFI")

	.global eb_embedded_id
eb_embedded_id:
	.asciz ELFBOOT_ID

	.section .note.GNU-stack, "", @progbits
