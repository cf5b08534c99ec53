; uefi/rodata_pack.asm - BOOTX64.EFI's constants, packed (mk/efipack.py
; writes the file RODATA_PACK names), in a section after everything else
; (uefi/efi.lds: .packed, after .bss); efi_main unpacks them into .rodata (uefi/main.c).
; The pack's length is a word here, not an end symbol, so that the code
; does not change with it (the Makefile compares the two links' .text).
	section .packed progbits alloc noexec write align=8
	global __rodata_pack:data hidden
__rodata_pack:
	dd pack_end - pack
	dd 0
pack:
	incbin RODATA_PACK
pack_end:
	section .note.GNU-stack noalloc noexec nowrite progbits
; An empty writable member of .rodata: its flags make the output section
; (and so its PE section) writable, which the unpacking needs.
	section .rodata.unpacked nobits alloc noexec write align=1
