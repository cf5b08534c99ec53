; SPDX-License-Identifier: MIT
; smp.asm - what an application processor runs for the SMP request.  One
; blob, eb_smp_ap_start..end, copied by smp_start.c to two pages: the SIPI
; page below 1 MiB (start-up, used once per AP) and the parking page (kept
; for the kernel, identity-mapped and read-only in its tables).  The AP
; arrives in the SIPI page in real mode, reads the data block at
; SMP_DATA_OFF (smp.h: struct smp_ap_data, filled per AP), goes straight to
; long mode on a copy of the kernel's PML4 below 4 GiB, switches to the
; kernel's CR3 (this page is identity-mapped there too), takes its stack,
; marks its record parked and continues in the parking page, which loads
; the blob's GDT from there and spins until the kernel writes goto_address.
%define D 0xf00				; SMP_DATA_OFF
%define REL(x) ((x) - eb_smp_ap_start)

section .text
global eb_smp_ap_start
global eb_smp_ap_end

bits 16
eb_smp_ap_start:
	cli
	cld
	mov ax, cs
	mov ds, ax
	movzx ebx, ax			; this page's linear address, for the
	shl ebx, 4			; lgdt base and the far jump
	lea eax, [ebx + REL(gdt)]
	mov [REL(gdtr) + 2], eax
	lea eax, [ebx + REL(ap_long)]
	mov [REL(farptr)], eax
	o32 lgdt [REL(gdtr)]
	mov eax, 1 << 5			; PAE (and nothing the reset left)
	mov cr4, eax
	mov eax, [D + 0x00]		; the PML4 copy below 4 GiB
	mov cr3, eax
	mov ecx, 0xC0000080		; EFER: LME, and NXE before any NX bit is live
	rdmsr
	or eax, (1 << 8) | (1 << 11)
	wrmsr
	; PG, WP, NE, ET, MP, PE; CD and NW (set at reset) off: caches on.
	; Paging and protection together: straight into long mode.
	mov eax, 0x80010033
	mov cr0, eax
	o32 jmp far [REL(farptr)]

bits 64
ap_long:
	; The data segments keep their real-mode values (base 0, which is all
	; long mode uses) until the parking code reloads them.
	lea rbx, [rel eb_smp_ap_start]
	add rbx, D
	mov rax, [rbx + 0x08]		; the kernel's tables map this page too
	mov cr3, rax
	cmp dword [rbx + 0x04], 0
	je .xapic
	mov ecx, 0x1B			; IA32_APIC_BASE: x2APIC mode, like the BSP
	rdmsr
	or eax, (1 << 10) | (1 << 11)
	wrmsr
.xapic:
	mov rax, cr4
	or eax, (1 << 7) | (1 << 9) | (1 << 10) ; PGE, OSFXSR, OSXMMEXCPT
	mov cr4, rax
	mov rdi, [rbx + 0x18]		; the record (VA)
	mov rsp, [rbx + 0x20]		; its stack_top
	mov rax, [rbx + 0x10]		; the parking page
	; Last read of the block done: the BSP may fill it for the next AP.
	; "Started" goes into the record's state (0, parked): this page is
	; read-only in the kernel's tables.
	mov dword [rdi + 8], 0
	add rax, REL(park)
	jmp rax

; In the parking page: rdi = the CPU's record, rsp = its stack.
park:
	lea rax, [rel gdt]		; the start-up page's GDT lies in memory
	push rax			; the kernel may reuse: load this one
	o16 push 3 * 8 - 1
	lgdt [rsp]
	add rsp, 10
	push 0x08
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

align 8
gdt:	dq 0
	dq 0x00af9b000000ffff		; 0x08: 64-bit code, accessed
	dq 0x00cf93000000ffff		; 0x10: data, accessed
gdtr:	dw 3 * 8 - 1
	dd 0
farptr:	dd 0
	dw 0x08
eb_smp_ap_end:

section .note.GNU-stack noalloc noexec nowrite progbits
