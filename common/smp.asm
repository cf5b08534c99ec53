; SPDX-License-Identifier: MIT
; smp.asm - what an application processor runs for the SMP request.
; eb_smp_ap_start..end is copied to the SIPI page below 1 MiB (offset 0);
; the AP arrives there in real mode, reads the data block at SMP_DATA_OFF
; (smp.h: struct smp_ap_data, filled by req_smp.c per AP), goes straight to
; long mode on a copy of the kernel's PML4 below 4 GiB, switches to the
; kernel's CR3 (the page is identity-mapped there too), takes its stack,
; marks its record parked and jumps to the parking code.  eb_smp_park_start..end is
; copied to a page the kernel keeps (Bootloader memory, identity-mapped):
; it loads its own GDT, then spins on the CPU's record until the kernel
; writes goto_address.
%define D 0xf00				; SMP_DATA_OFF

section .text
global eb_smp_ap_start
global eb_smp_ap_long
global eb_smp_ap_end
global eb_smp_park_start
global eb_smp_park_end

bits 16
eb_smp_ap_start:
	cli
	cld
	mov ax, cs
	mov ds, ax
	o32 lgdt [D + 0x20]
	mov eax, 1 << 5			; PAE (and nothing the reset left)
	mov cr4, eax
	mov eax, [D + 0x30]		; the PML4 copy below 4 GiB
	mov cr3, eax
	mov ecx, 0xC0000080		; EFER: LME, and NXE before any NX bit is live
	rdmsr
	or eax, (1 << 8) | (1 << 11)
	wrmsr
	; PG, WP, NE, ET, MP, PE; CD and NW (set at reset) off: caches on.
	; Paging and protection together: straight into long mode.
	mov eax, 0x80010033
	mov cr0, eax
	o32 jmp far [D + 0x28]		; to eb_smp_ap_long, 64-bit code 0x08

bits 64
eb_smp_ap_long:
	; The data segments keep their real-mode values (base 0, which is all
	; long mode uses) until the parking code reloads them with its GDT.
	lea rbx, [rel eb_smp_ap_start]
	add rbx, D
	mov rax, [rbx + 0x38]		; the kernel's tables map this page too
	mov cr3, rax
	cmp dword [rbx + 0x34], 0
	je .xapic
	mov ecx, 0x1B			; IA32_APIC_BASE: x2APIC mode, like the BSP
	rdmsr
	or eax, (1 << 10) | (1 << 11)
	wrmsr
.xapic:
	mov rax, cr4
	or eax, (1 << 7) | (1 << 9) | (1 << 10) ; PGE, OSFXSR, OSXMMEXCPT
	mov cr4, rax
	mov rax, cr0
	and eax, ~(1 << 2)		; EM off: SSE usable
	mov cr0, rax
	mov rdi, [rbx + 0x48]
	mov rsp, [rbx + 0x50]
	mov rax, [rbx + 0x40]
	; Last read of the block done: the BSP may fill it for the next AP.
	; "Started" goes into the record's state (0, parked): this page is
	; read-only in the kernel's tables.
	mov dword [rdi + 8], 0
	jmp rax
eb_smp_ap_end:

; In: rdi = the CPU's record (VA), rsp = its stack.  Never returns.
eb_smp_park_start:
	lea rax, [rel eb_smp_park_start]
	lgdt [rax + 0x7f0]		; SMP_PARK_GDTR_OFF: the start-up page's
	push 0x08			; GDT lies in memory the kernel may reuse
	lea rax, [rel .reload]
	push rax
	o64 retf
.reload:
	mov eax, 0x10
	mov ds, eax
	mov es, eax
	mov ss, eax
	mov fs, eax
	mov gs, eax
.spin:
	pause
	mov rax, [rdi + 16]		; goto_address
	test rax, rax
	jz .spin
	mov rsp, [rdi + 32]		; stack_top
	push 0				; zero return address, as for the BSP
	xor ebp, ebp
	xor ebx, ebx
	xor ecx, ecx
	xor edx, edx
	xor esi, esi
	jmp rax
eb_smp_park_end:

section .note.GNU-stack noalloc noexec nowrite progbits
