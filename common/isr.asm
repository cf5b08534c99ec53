; SPDX-License-Identifier: MIT
; isr.asm - the 32 CPU-exception entry stubs of the core's long-mode IDT
; (common/fault.c builds the IDT from them).  Each stub is 16 bytes at
; eb_isr_stubs + 16 * vector, so no table of addresses needs relocating.
; Position-independent; runs on whatever stack the fault left (no IST).
bits 64
section .text
global eb_isr_stubs:function hidden
extern eb_fault

; Vectors where the CPU pushes an error code: #DF #TS #NP #SS #GP #PF #AC
; #CP #VC #SX.  The others push a 0 so every frame looks the same.
%define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
			  (v) == 21 || (v) == 29 || (v) == 30)

align 16
eb_isr_stubs:
%assign v 0
%rep 32
%if HAS_ERROR(v) == 0
	push 0
%endif
	push v
	jmp fault_common
	times 16 * (v + 1) - ($ - eb_isr_stubs) db 0xcc	; negative (an error) if a stub outgrows 16 bytes
%assign v v + 1
%endrep

; Stack: vector, error, then the CPU's RIP, CS, RFLAGS, RSP, SS: the
; struct eb_fault_frame eb_fault() reads.  eb_fault never returns.
fault_common:
	cld
	mov rdi, rsp
	and rsp, -16			; the SysV ABI's alignment at the call
	call eb_fault wrt ..plt
.halt:
	cli
	hlt
	jmp .halt

section .note.GNU-stack noalloc noexec nowrite progbits
