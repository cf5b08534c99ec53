; floor-bios.asm - a boot sector that only exits QEMU: firmware time alone.
bits 16
org 0x7c00
	mov al, 0x10
	out 0xf4, al
	cli
	hlt
	times 510 - ($ - $$) db 0
	dw 0xaa55
