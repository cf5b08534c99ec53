; SPDX-License-Identifier: MIT
; cdboot.asm - elfboot's El Torito no-emulation boot stage (BIOS, CD).  The
; ISO's boot file is this 2048-byte sector followed by stage2.bin; the BIOS
; loads the first 2048 bytes at 0x7c00 with the CD's drive number in dl.
; The boot info table (written by xorriso's -boot-info-table at offset 8)
; gives the boot file's block and length; stage2 follows in the next blocks
; and is read to 0x8000 with INT 13h AH=42h in 2048-byte sectors, checked
; (magic, length) and entered with dl = drive, as stage1 does on a disk.
; Errors print "elfboot: cdboot E<n>" and halt:
;   E2 CD read failed   E3 bad stage2 header or size   E4 no boot info table
;
; Memory: 0x7c00 this sector (the code must stay below 0x8000: stage2
; overwrites the rest); 0x8000.. stage2; stack below 0x7c00.
%include "layout.inc"
%include "rmentry.inc"
bits 16
org STAGE1_BASE

CD_SECTOR equ 2048
CHUNK     equ 16			; sectors a request: 32 KiB, never across 64 KiB

start:
	jmp short real_start
	nop
	times 8 - ($ - $$) db 0
; The El Torito boot info table, filled in by the ISO writer.
bi_pvd:		dd 0
bi_file:	dd 0			; block of this boot file
bi_length:	dd 0			; bytes of the boot file (cdboot + stage2)
bi_csum:	dd 0
		times 40 db 0

real_start:
	rm_entry
	mov [drive], dl
	mov eax, [bi_file]
	test eax, eax
	jz fail4
	inc eax				; stage2 starts in the next block
	mov [dap.lba], eax
	mov eax, [bi_length]
	sub eax, CD_SECTOR
	jbe fail3
	add eax, CD_SECTOR - 1
	shr eax, 11			; bytes -> 2048-byte sectors
	cmp eax, (STAGE2_LIMIT - STAGE2_BASE) / CD_SECTOR
	ja fail3
	mov [count], ax
	mov [loaded], ax

.next:
	mov cx, [count]
	jcxz .loaded
	cmp cx, CHUNK
	jbe .chunk
	mov cx, CHUNK
.chunk:
	mov [dap.count], cx
	mov si, dap
	mov ah, 0x42
	mov dl, [drive]
	int 0x13
	mov al, '2'
	jc fail
	mov cx, [dap.count]
	test cx, cx			; a BIOS that read nothing would loop forever
	jz fail
	sub [count], cx
	add [dap.lba], cx
	adc word [dap.lba + 2], 0
	shl cx, 7			; 2048-byte sectors -> paragraphs
	add [dap.seg], cx
	jmp .next

.loaded:
	mov al, '3'
	cmp dword [STAGE2_BASE + 4], STAGE2_MAGIC
	jne fail
	mov eax, [STAGE2_BASE + 8]	; stage2 length in bytes
	movzx ebx, word [loaded]
	shl ebx, 11
	cmp eax, ebx
	ja fail
	mov dl, [drive]
	jmp 0:STAGE2_BASE

fail4:
	mov al, '4'
	jmp fail
fail3:
	mov al, '3'
%include "bootfail.inc"

msg:	db "elfboot: cdboot E"
.code:	db "0", " halted", 13, 10, 0
drive:	db 0
count:	dw 0
loaded:	dw 0

align 4
dap:
	db 16, 0
.count:	dw 0
.off:	dw 0
.seg:	dw STAGE2_BASE >> 4
.lba:	dq 0

%if ($ - $$) > STAGE2_BASE - STAGE1_BASE
%error "cdboot code reaches 0x8000, where stage2 is loaded"
%endif
	times CD_SECTOR - ($ - $$) db 0
