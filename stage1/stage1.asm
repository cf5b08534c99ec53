; SPDX-License-Identifier: MIT
; stage1.asm - elfboot's MBR boot sector (the protective MBR's code area of
; a GPT disk).  The BIOS loads it at 0x7c00 with the boot drive in dl.  It
; checks for INT 13h extensions, reads stage2 (location patched in by the
; image tool) to 0x8000 with AH=42h in 32 KiB requests, checks stage2's
; magic and length, and jumps to it with dl = drive.  Errors print
; "elfboot: stage1 E<n>" and halt:
;   E1 no INT 13h extensions   E2 disk read failed   E3 bad stage2 header
;   E4 image not patched (no stage2 location)
;
; Memory: 0x7c00 this sector; 0x8000.. stage2; stack below 0x7c00.
%include "layout.inc"
%include "rmentry.inc"
bits 16
org STAGE1_BASE

start:
	rm_entry
	mov [drive], dl
	mov eax, [stage2_lba]
	mov [dap.lba], eax
	mov eax, [stage2_lba + 4]
	mov [dap.lba + 4], eax
	mov ax, [count]
	test ax, ax
	mov al, '4'
	jz fail
	mov ah, 0x41
	mov bx, 0x55aa
	mov dl, [drive]
	int 0x13
	mov al, '1'
	jc fail
	cmp bx, 0xaa55
	jne fail
	test cl, 1			; extended disk access supported
	jz fail

.next:					; read min(count, 64) sectors at a time
	mov cx, [count]
	jcxz .loaded
	cmp cx, 64
	jbe .chunk
	mov cx, 64
.chunk:
	mov [dap.count], cx
	mov si, dap
	mov ah, 0x42
	mov dl, [drive]
	int 0x13
	mov al, '2'
	jc fail
	mov cx, [dap.count]
	sub [count], cx
	add [dap.lba], cx
	adc word [dap.lba + 2], 0
	adc dword [dap.lba + 4], 0
	shl cx, 5			; sectors -> paragraphs
	add [dap.seg], cx
	jmp .next

.loaded:
	mov al, '3'
	cmp dword [STAGE2_BASE + 4], STAGE2_MAGIC
	jne fail
	mov eax, [STAGE2_BASE + 8]	; stage2 length in bytes
	mov ebx, [loaded_sectors]
	shl ebx, 9
	cmp eax, ebx
	mov al, '3'
	ja fail
	mov dl, [drive]
	jmp 0:STAGE2_BASE

%include "bootfail.inc"

msg:	db "elfboot: stage1 E"
.code:	db "0", " halted", 13, 10, 0
drive:	db 0

align 4
dap:
	db 16, 0
.count:	dw 0
.off:	dw 0
.seg:	dw STAGE2_BASE >> 4
.lba:	dq 0

	times STAGE1_PATCH_OFF - ($ - $$) db 0
; Patched by `elfboot image` (it checks the marker first):
patch:
	dd STAGE1_PATCH_MARK
stage2_lba:	dq 0			; first sector of stage2
count:		dw 0			; sectors still to read
loaded_sectors:	dd 0			; total sectors of stage2
patch_end:

%if ($ - $$) > 440
%error "stage1 code overlaps the disk signature / partition table"
%endif
	times 510 - ($ - $$) db 0
	dw 0xaa55
