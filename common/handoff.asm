; SPDX-License-Identifier: MIT
; handoff.asm - the last code elfboot runs.  It is copied into a page that
; is identity-mapped both in the firmware's tables and in the kernel's, so it
; survives the CR3 switch.  Position-independent.
;
; In (SysV): rdi = BootInfo (kernel virtual), rsi = entry, rdx = stack top,
;            rcx = kernel CR3, r8 = GDTR (in this page: code 0x08, data 0x10,
;            accessed bits preset so the CPU never writes the read-only page).
; Out: the protocol's entry state (docs/PROTOCOL.md): interrupts off,
;      EFER.NXE, CR0.WP, SSE on, rsp = stack top - 8 holding a zero return
;      address, rbp = 0, rdi = BootInfo.
bits 64
section .text
global eb_trampoline_start
global eb_trampoline_end

eb_trampoline_start:
	cli
	cld
	mov r9, rcx
	mov r10, rdx
	mov ecx, 0xC0000080		; EFER: NXE before any NX bit is live
	rdmsr
	or eax, 1 << 11
	wrmsr
	mov rax, cr0
	or rax, (1 << 16) | (1 << 1)	; WP, MP
	and rax, ~(1 << 2)		; EM off: SSE usable
	mov cr0, rax
	mov rax, cr4
	or rax, (1 << 9) | (1 << 10)	; OSFXSR, OSXMMEXCPT
	mov r11, rax
	and rax, ~(1 << 7)		; PGE off: flush global TLB entries too
	mov cr4, rax
	lgdt [r8]
	mov cr3, r9
	mov cr4, r11
	mov rsp, r10			; the old stack is not mapped any more
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
	push 0				; zero return address
	xor ebp, ebp
	xor eax, eax
	xor ebx, ebx
	xor ecx, ecx
	xor edx, edx
	jmp rsi
eb_trampoline_end:

section .note.GNU-stack noalloc noexec nowrite progbits
