; SPDX-License-Identifier: MIT
; entry.asm - stage2's first code and its BIOS-call thunk.  stage1 jumps here
; (0x0000:0x8000, real mode, dl = boot drive).  It enables A20 (BIOS, fast
; A20, keyboard controller, each verified), identity-maps the first 4 GiB
; with 2 MiB pages, enters long mode straight from real mode, clears .bss and
; calls stage2_main(drive).  bios_call() drops from long mode to real mode
; for one software interrupt, or one far call (the PXE API), and comes back.
; The network boot program (stage1/pxe.asm) jumps here too, with eax =
; PXE_HANDOFF_MAGIC, ebx = PXENV+ and ecx = !PXE (segment:offset each);
; those three are kept in boot_medium/boot_pxenv/boot_pxe.  Memory map:
; layout.h.
%include "layout.inc"

extern __stage2_size, __stage2_payload, __stage2_packed, __bss_start, __bss_end, stage2_main
global _start16, bios_call, bios_farcall, bios_regs, bios_scratch, boot_drive, bios_selftest_isr
global boot_medium, boot_pxenv, boot_pxe, far_args, far_nargs, bios_selftest_far

SEG_CODE64 equ 0x08
SEG_DATA   equ 0x10
SEG_CODE32 equ 0x18
SEG_DATA32 equ 0x20
SEG_CODE16 equ 0x28
SEG_DATA16 equ 0x30

section .entry progbits alloc exec write align=16
bits 16
_start16:
	jmp short real_start
	align 4, db 0
	dd STAGE2_MAGIC			; +4: checked by stage1
	dd __stage2_size		; +8: bytes of the stage2 file (s2pack sets it)
	dd 0				; +12: unpacked bytes after .entry (s2pack)

real_start:
	cli
	mov [cs:boot_medium], eax	; cs = 0: stage1 and pxe.asm jump to 0:8000
	mov [cs:boot_pxenv], ebx
	mov [cs:boot_pxe], ecx
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov sp, RM_STACK_TOP
	mov [boot_drive], dl
	sti
	call a20_enable
	jnc .a20_ok
	mov si, msg_a20
	jmp rm_fail
.a20_ok:
	; Identity page tables for 0-4 GiB: PML4 -> PDPT -> 4 PDs of 2 MiB pages.
	cld
	mov di, PT_BASE
	mov cx, 6 * 4096 / 4
	xor eax, eax
	rep stosd
	mov dword [PT_BASE], PT_BASE + 0x1000 + 3
	mov di, PT_BASE + 0x1000
	mov eax, PT_BASE + 0x2000 + 3
	mov cx, 4
.pdpt:
	mov [di], eax
	add eax, 0x1000
	add di, 8
	loop .pdpt
	mov di, PT_BASE + 0x2000
	mov eax, 0x83			; present, writable, 2 MiB
	xor edx, edx
	mov cx, 2048
.pd:
	mov [di], eax
	mov [di + 4], edx
	add eax, 0x200000
	adc edx, 0
	add di, 8
	loop .pd

	cli
	lgdt [gdtr]
	mov eax, cr4
	; PAE; OSFXSR and OSXMMEXCPT: SSE usable from the first file read on
	; (SHA-256 of pinned files with SHA-NI, common/sha256_ni.asm)
	or eax, (1 << 5) | (1 << 9) | (1 << 10)
	mov cr4, eax
	mov eax, PT_BASE
	mov cr3, eax
	mov ecx, 0xc0000080
	rdmsr
	or eax, 1 << 8			; LME
	wrmsr
	mov eax, cr0
	and al, ~(1 << 2)		; EM off (SSE), MP on, TS is clear at reset
	or eax, 0x80000003		; PG | PE: real mode straight to long mode
	mov cr0, eax
	jmp dword SEG_CODE64:lm_entry

; Prints the string at si with the BIOS and halts (real mode only).
rm_fail:
	lodsb
	test al, al
	jz .halt
	mov ah, 0x0e
	mov bx, 7
	int 0x10
	jmp rm_fail
.halt:
	cli
	hlt
	jmp .halt

; a20_check: ZF clear if A20 is on (0x000500 and 0x100500 differ).
a20_check:
	push ds
	push es
	xor ax, ax
	mov ds, ax
	not ax
	mov es, ax
	mov al, [ds:0x500]
	mov ah, [es:0x510]
	push ax
	mov byte [ds:0x500], 0x00
	mov byte [es:0x510], 0xff
	cmp byte [ds:0x500], 0xff
	pop ax
	mov [es:0x510], ah
	mov [ds:0x500], al
	pop es
	pop ds
	ret

a20_kbc_wait:
	in al, 0x64
	test al, 2
	jnz a20_kbc_wait
	ret

; a20_enable: CF clear on success.  Tries each method, verifying each.
a20_enable:
	call a20_check
	jnz .ok
	mov ax, 0x2401			; BIOS
	int 0x15
	call a20_check
	jnz .ok
	in al, 0x92			; "fast A20" (system control port A)
	test al, 2
	jnz .kbc
	or al, 2
	and al, 0xfe			; never touch the reset bit
	out 0x92, al
	call a20_check
	jnz .ok
.kbc:					; the keyboard controller's output port
	cli
	call a20_kbc_wait
	mov al, 0xd1
	out 0x64, al
	call a20_kbc_wait
	mov al, 0xdf
	out 0x60, al
	call a20_kbc_wait
	sti
	mov cx, 0x8000			; some controllers take a while
.wait:
	call a20_check
	jnz .ok
	loop .wait
	stc
	ret
.ok:
	clc
	ret

msg_a20: db "elfboot: stage2: A20 gate cannot be enabled", 13, 10, 0

bits 64
lm_entry:
	mov ax, SEG_DATA
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov fs, ax
	mov gs, ax
	mov rsp, LM_STACK_TOP
	call unpack
	mov rdi, __bss_start
	mov rcx, __bss_end
	sub rcx, rdi
	xor eax, eax
	rep stosb
	movzx edi, byte [boot_drive]
	call stage2_main
.halt:
	cli
	hlt
	jmp .halt

;; unpack: everything after .entry is stored packed (mk/s2pack.py; the
; coded stream is defined in mk/rcpack.py's header, whose table numbers are
; repeated below).  The stream is first moved to the bounce buffer, since
; the unpacked bytes overwrite where it was loaded, then unpacked to where it
; was linked.  The header's lengths are checked against the link, no byte
; is read past the stream's end and no match copies from before the output's
; start or writes past its end: a damaged stage2 stops with one line on
; screen and COM1 instead of overwriting the stack.  The model (16-bit
; probabilities) lives at the bounce buffer's top, above the stream.
; rsi: stream, r11: its end, rdi: output, r8: output end, r9d: range,
; r10d: code, r12d: state, r13: the last offset.
RC_ISMATCH equ 0			; rcpack.py's tables, in probabilities
RC_ISREP   equ 4
RC_LEN     equ 8
RC_REPLEN  equ RC_LEN + 32
RC_OFFHI   equ RC_REPLEN + 32
RC_OFFLO   equ RC_OFFHI + 4 * 32
RC_LIT     equ RC_OFFLO + 2 * 256
RC_NPROBS  equ RC_LIT + 8 * 256
RC_PROBS   equ BOUNCE_BASE + BOUNCE_SIZE - 2 * RC_NPROBS
; The helpers first, the failure line in the middle, so that the checks
; reach it with short jumps (the unpacker stays stored unpacked).
; rc_tree: ebp = 0x100 | the next 8 bits, a bit tree at r15.
rc_tree:
	push 1
	pop rbp
.bit:
	lea rbx, [r15 + rbp * 2]
	call rc_bit
	adc ebp, ebp
	bt ebp, 8
	jnc .bit
	ret

; rc_gamma: ebp = the next number coded as G(table at rbx); more than 16
; bits is a damaged stream.
rc_gamma:
	push 1
	pop rbp
.more:
	call rc_bit
	jnc .done
	add rbx, 2
	call rc_bit
	adc ebp, ebp
	add rbx, 2
	bt ebp, 16
	jnc .more
	jmp unpack_fail
.done:
	ret

; rc_bit: CF = the next bit, coded with the probability at rbx (updated).
; Clobbers eax and ecx only.
rc_bit:
	movzx eax, word [rbx]
	mov ecx, r9d
	shr ecx, 12
	imul ecx, eax			; bound
	cmp r10d, ecx
	jae .one
	mov r9d, ecx
	neg eax				; p += (4096 - p) / 32
	add eax, 4096
	shr eax, 5
	add [rbx], ax
	xor ecx, ecx
	jmp .norm
.one:
	sub r10d, ecx
	sub r9d, ecx
	shr eax, 5			; p -= p / 32
	sub [rbx], ax
	xor ecx, ecx
	inc ecx
.norm:
	cmp r9d, 1 << 24
	jae .done
	cmp rsi, r11
	jae unpack_fail
	shl r9d, 8
	shl r10d, 8
	mov r10b, [rsi]
	inc rsi
	jmp .norm
.done:
	shr ecx, 1
	ret

unpack:
	mov r8d, [STAGE2_BASE + 12]
	cmp r8d, __stage2_packed
	jne unpack_fail
	mov ecx, [STAGE2_BASE + 8]
	sub ecx, __stage2_payload - STAGE2_BASE
	lea eax, [rcx - 4]		; 4 bytes up to the model's start
	cmp eax, RC_PROBS - BOUNCE_BASE - 4
	ja unpack_fail
	mov esi, __stage2_payload
	mov edi, BOUNCE_BASE
	rep movsb
	mov r11, rdi
	mov ecx, RC_NPROBS		; every probability starts at 1/2
	mov edi, RC_PROBS
	mov ax, 2048
	rep stosw
	mov esi, BOUNCE_BASE
	mov edi, __stage2_payload
	add r8, rdi
	lodsd
	bswap eax
	mov r10d, eax
	or r9d, -1
	xor r12d, r12d
	push 1
	pop r13
	jmp .next

; No BIOS and no C yet: the line goes straight to the text screen and COM1
; (as the firmware left it set up).
unpack_fail:
	mov esi, msg_unpack
	mov edi, 0xb8000
.char:
	lodsb
	test al, al
	jz .halt
	mov ah, 0x07
	stosw
	mov bl, al
	mov dx, 0x3fd			; line status: wait for an empty holding register
.wait:
	in al, dx
	test al, 0x20
	jz .wait
	mov al, bl
	mov dx, 0x3f8
	out dx, al
	jmp .char
.halt:
	cli
	hlt
	jmp .halt

unpack.copy:				; rbp bytes from r13 back
	mov rax, rdi
	sub rax, __stage2_payload
	cmp r13, rax
	ja unpack_fail
	lea rax, [rdi + rbp]
	cmp rax, r8
	ja unpack_fail
	mov ecx, ebp
	push rsi
	mov rsi, rdi
	sub rsi, r13
	rep movsb			; byte by byte: overlapping copies repeat
	pop rsi
unpack.next:
	cmp rdi, r8
	jae unpack.unfilter
	lea rbx, [RC_PROBS + 2 * RC_ISMATCH + r12 * 2]
	call rc_bit
	jc unpack.match
	movzx eax, byte [rdi - 1]	; a literal, in the table of the last
	shr eax, 5			; byte's top 3 bits (stage2.ld puts a 0
	shl eax, 9			; before the first)
	lea r15, [rax + RC_PROBS + 2 * RC_LIT]
	shr r12d, 1			; state: 1 after a match, else 0
	call rc_tree
	mov [rdi], bpl
	inc rdi
	jmp unpack.next
unpack.match:
	lea rbx, [RC_PROBS + 2 * RC_ISREP + r12 * 2]
	mov r12b, 3
	call rc_bit
	jnc .new
	mov ebx, RC_PROBS + 2 * RC_REPLEN	; the last offset again
	call rc_gamma
	jmp unpack.copy
.new:
	dec r12d
	mov ebx, RC_PROBS + 2 * RC_LEN
	call rc_gamma
	inc ebp				; length
	push rbp
	cmp ebp, 5
	jb .short
	push 5
	pop rbp
.short:
	shl ebp, 6			; OFFHI[min(length, 5) - 2]
	lea rbx, [rbp + RC_PROBS + 2 * RC_OFFHI - 2 * 64]
	call rc_gamma
	lea r13d, [rbp - 1]
	mov r15d, RC_PROBS + 2 * RC_OFFLO
	test r13d, r13d
	jz .near
	add r15d, 2 * 256
.near:
	shl r13d, 8
	call rc_tree
	movzx ebp, bpl
	lea r13d, [r13 + rbp + 1]
	pop rbp
	jmp unpack.copy
	; The packer stored each call/jmp/jcc rel32 (e8/e9, 0f 8x) as its
	; absolute target (rel32 + the next instruction's address, mod 2^32):
	; calls to one function then repeat.  Undone in the same scan order.
unpack.unfilter:
	mov edi, __stage2_payload
.scan:
	lea rax, [rdi + 5]
	cmp rax, r8
	ja .done
	movzx ecx, word [rdi]
	inc rdi
	lea edx, [rcx + 0x18]		; e8/e9 -> 0/1
	cmp dl, 1
	jbe .fix
	cmp cl, 0x0f
	jne .scan
	inc eax
	cmp rax, r8
	ja .scan
	and ch, 0xf0
	cmp ch, 0x80
	jne .scan
	inc rdi
.fix:
	sub [rdi], eax
	add rdi, 4
	jmp .scan
.done:
	ret

msg_unpack: db "elfboot: stage2: its packed code is damaged; halted.", 13, 10, 0

; From here to the GDT: the BIOS thunk and its buffers, only used once
; stage2_main runs, so they are stored packed (stage2.ld puts .lowtext first
; in the packed part, still below 64 KiB for the real-mode code).
section .lowtext progbits alloc exec write align=16
bits 16
; Real-mode handler behind stage2_main's self-test of this thunk (main.c):
; with ah = 0 it hands back the flags the `int` pushed (iret), so CF comes
; back exactly as the thunk gave it to the CPU; with ah = 1 it clears CF
; like a BIOS reporting success (retf 2 keeps the handler's own flags).
bios_selftest_isr:
	test ah, ah
	jnz .success
	iret
.success:
	clc
	retf 2

; Far-call counterpart (the PXE API's convention): returns the sum of its
; two stack arguments in ax, so a test sees both arrived in order, and
; returns with retf, leaving them for the caller.
bios_selftest_far:
	push bp
	mov bp, sp
	mov ax, [bp + 6]		; first argument, above the return cs:ip
	shl ax, 1
	add ax, [bp + 8]		; second: ax = 2 * first + second
	pop bp
	retf

bits 64
; void bios_call(uint32_t intno): runs `int intno` in real mode with the
; registers and arithmetic flags in bios_regs, and stores them (and eflags)
; back there.  The long-mode IDT (common/fault.c) is set aside for the
; real-mode IVT and put back on the way up.
; void bios_farcall(uint32_t segoff): the same, but a far call to
; segment:offset, with the far_nargs words of far_args pushed first
; (far_args[0] last, so it is nearest the return address: the !PXE API's
; stack convention).  The callee leaves them on the stack; the stack is reset
; on the way up anyway.
bios_farcall:
	mov [far_ptr], edi
	mov word [rm_dispatch], rm_do_far
	jmp bios_enter
bios_call:
	mov [int_no], dil
	mov word [far_nargs], 0
	mov word [rm_dispatch], rm_do_int
bios_enter:
	push rbx
	push rbp
	push r12
	push r13
	push r14
	push r15
	mov [saved_rsp], rsp
	sidt [saved_idtr]
	push SEG_CODE32
	lea rax, [rel .pm32_down]
	push rax
	o64 retf
bits 32
.pm32_down:
	mov ax, SEG_DATA32
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov eax, cr0
	and eax, 0x7fffffff		; paging off: leaves long mode
	mov cr0, eax
	mov ecx, 0xc0000080
	rdmsr
	and eax, ~(1 << 8)
	wrmsr
	jmp SEG_CODE16:.pm16_down
bits 16
.pm16_down:
	mov ax, SEG_DATA16
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov eax, cr0
	and al, 0xfe
	mov cr0, eax
	jmp 0:.rm
.rm:
	xor ax, ax
	mov ds, ax
	mov ss, ax
	mov sp, RM_STACK_TOP
	lidt [rm_idtr]
	mov cx, [far_nargs]		; stack arguments of a far call
	mov si, cx
	shl si, 1
.push_arg:
	jcxz .args_done
	sub si, 2
	push word [far_args + si]
	dec cx
	jmp .push_arg
.args_done:
	; The caller's flags reach the CPU by a popfd just before `int` (the
	; mode switch above leaves CF clear): CF is preset so a BIOS that
	; ignores a call reads as a failure.  Only the arithmetic flags are
	; taken; IF is set so the BIOS can take its interrupts during the call.
	mov eax, [bios_regs.eflags]
	and eax, 0x8d5			; CF PF AF ZF SF OF
	or eax, 0x200			; IF
	push eax
	mov es, [bios_regs.es]
	mov eax, [bios_regs.eax]
	mov ebx, [bios_regs.ebx]
	mov ecx, [bios_regs.ecx]
	mov edx, [bios_regs.edx]
	mov esi, [bios_regs.esi]
	mov edi, [bios_regs.edi]
	mov ebp, [bios_regs.ebp]
	mov ds, [bios_regs.ds]
	popfd
	; Flags are live from here: the choice between `int` and a far call
	; is an indirect jump, which leaves them alone (a cmp would not).
	jmp word [cs:rm_dispatch]
rm_do_int:
	db 0xcd				; int imm8, patched above
int_no:	db 0
	jmp rm_back
rm_do_far:
	call far [cs:far_ptr]
rm_back:
	cli
	pushfd
	push eax
	push ds
	xor ax, ax
	mov ds, ax
	pop word [bios_regs.ds]
	pop dword [bios_regs.eax]
	pop dword [bios_regs.eflags]
	mov [bios_regs.es], es
	mov [bios_regs.ebx], ebx
	mov [bios_regs.ecx], ecx
	mov [bios_regs.edx], edx
	mov [bios_regs.esi], esi
	mov [bios_regs.edi], edi
	mov [bios_regs.ebp], ebp
	lgdt [gdtr]
	mov eax, cr0
	or al, 1
	mov cr0, eax
	jmp dword SEG_CODE32:.pm32_up
bits 32
.pm32_up:
	mov ax, SEG_DATA32
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov eax, PT_BASE
	mov cr3, eax
	mov ecx, 0xc0000080
	rdmsr
	or eax, 1 << 8
	wrmsr
	mov eax, cr0
	or eax, 0x80000000
	mov cr0, eax
	jmp SEG_CODE64:.lm_up
bits 64
.lm_up:
	mov ax, SEG_DATA
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov rsp, [saved_rsp]
	lidt [saved_idtr]
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbp
	pop rbx
	ret

rm_idtr:
	dw 0x3ff
	dd 0
align 8
saved_rsp: dq 0
saved_idtr: times 10 db 0		; the long-mode IDTR while in real mode
rm_dispatch: dw 0			; bios_enter's real-mode target
align 4
far_ptr: dd 0				; offset, segment of the far call
far_nargs: dw 0
far_args: times 8 dw 0
align 4
bios_regs:				; struct bios_regs in stage2.h
.eax:	dd 0
.ebx:	dd 0
.ecx:	dd 0
.edx:	dd 0
.esi:	dd 0
.edi:	dd 0
.ebp:	dd 0
.eflags: dd 0
.ds:	dw 0
.es:	dw 0
align 16
bios_scratch:	times 1024 db 0		; low buffer for DAPs, E820, VBE info

; Used before the unpacking (or set by it): stays in .entry.
section .entry
align 8
gdt:
	dq 0
	dq 0x00af9a000000ffff		; 0x08 64-bit code
	dq 0x00cf92000000ffff		; 0x10 data
	dq 0x00cf9a000000ffff		; 0x18 32-bit code
	dq 0x00cf92000000ffff		; 0x20 32-bit data
	dq 0x00009a000000ffff		; 0x28 16-bit code
	dq 0x000092000000ffff		; 0x30 16-bit data
gdt_end:
gdtr:
	dw gdt_end - gdt - 1
	dd gdt
boot_drive: db 0
align 4
boot_medium: dd 0			; eax at entry (PXE_HANDOFF_MAGIC: network)
boot_pxenv: dd 0			; ebx at entry: PXENV+ segment:offset
boot_pxe: dd 0				; ecx at entry: !PXE segment:offset

section .note.GNU-stack noalloc noexec nowrite progbits
