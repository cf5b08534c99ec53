; mb2.asm - the Multiboot2 kernel GRUB boots in `make bench`: it exits QEMU
; through isa-debug-exit (0x10) at once, like elfboot's bench kernel.
bits 32
section .multiboot align=8
mb_start:
	dd 0xe85250d6			; magic
	dd 0				; i386
	dd mb_end - mb_start
	dd -(0xe85250d6 + 0 + (mb_end - mb_start))
	dw 0, 0				; end tag
	dd 8
mb_end:
section .text
global _start
_start:
	mov al, 0x10
	out 0xf4, al
.halt:
	hlt
	jmp .halt
