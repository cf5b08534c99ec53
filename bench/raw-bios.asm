; raw-bios.asm - a boot sector that reads RAW_SECTORS sectors from LBA 2048
; with INT 13h AH=42h, 128 sectors (64 KiB) per call into one 64 KiB-aligned
; buffer, then exits QEMU: the fastest the BIOS can read the disk.
bits 16
org 0x7c00
	xor ax, ax
	mov ds, ax
	mov ss, ax
	mov sp, 0x7c00
	mov [drive], dl
.loop:
	cmp dword [left], 0
	je .done
	mov si, dap
	mov ah, 0x42
	mov dl, [drive]
	int 0x13
	jc .fail
	add dword [dap + 8], 128
	sub dword [left], 128
	jmp .loop
.done:
	mov al, 0x10
	out 0xf4, al
.fail:
	mov al, 0x11
	out 0xf4, al
	hlt
drive:	db 0
align 4
left:	dd RAW_SECTORS
dap:	db 16, 0
	dw 128, 0, 0x1000
	dq 2048
	times 510 - ($ - $$) db 0
	dw 0xaa55
