; SPDX-License-Identifier: MIT
; pxe.asm - the PXE stage: the first 1 KiB of elfboot's BIOS network boot
; program (NBP = this stage + stage2.bin, written by `elfboot netboot`).  The
; PXE ROM loads the whole NBP at 0:7C00 and jumps here in real mode with
; ES:BX = PXENV+ and SS:[SP+4] = !PXE, so stage2 already sits at 0x8000.
; This stage checks stage2's magic and jumps to it with eax =
; PXE_HANDOFF_MAGIC, ebx = PXENV+ and ecx = !PXE (segment:offset); stage2
; validates both structures (signatures, checksums) itself, in C.  Error:
; "elfboot: pxe E3 halted" (stage2 missing from the NBP), on the screen and
; COM1 (stage1/bootfail.inc).
%include "layout.inc"
bits 16
org STAGE1_BASE

start:
	cli
	mov bp, sp
	mov ecx, [ss:bp + 4]		; !PXE: offset, then segment (= seg:off dword)
	mov ax, es			; PXENV+ at es:bx
	shl eax, 16
	mov ax, bx
	mov ebx, eax
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov sp, STAGE1_BASE
	jmp 0:.norm
.norm:
	cmp dword [STAGE2_BASE + 4], STAGE2_MAGIC
	mov al, '3'			; (mov keeps the flags)
	jne pxe_fail
	mov eax, PXE_HANDOFF_MAGIC
	mov dl, 0xff			; no boot drive
	jmp 0:STAGE2_BASE

pxe_fail:
	sti
	jmp fail

%include "bootfail.inc"

msg:	db "elfboot: pxe E"
.code:	db "3 halted (no stage2 in the network boot program)", 13, 10, 0

%if ($ - $$) > PXE_STAGE_SIZE
%error "the PXE stage overlaps stage2's place at 0x8000"
%endif
	times PXE_STAGE_SIZE - ($ - $$) db 0
