; SPDX-License-Identifier: MIT
; sha256_ni.asm - SHA-256 blocks with the CPU's SHA extensions (sha256rnds2,
; sha256msg1/2; SSSE3 pshufb, SSE4.1 pblendw), ~10x the C code.  SysV calls;
; common/sha256.c uses it only after sha256_ni_cpu() and the caller's XMM check.
;
; Position-independent (BOOTX64.EFI is PIC): the round constants are
; sha256.c's table and the byte-swap mask here, both reached RIP-relative.
; Registers: xmm0 (message + constants, then schedule scratch), xmm1 ABEF,
; xmm2 CDGH, xmm3-6 the 16-word message window.  The C callers are built
; -mgeneral-regs-only (they keep nothing in XMM), but the firmware called
; efi_main in the Microsoft convention, where xmm6 belongs to the caller:
; it is saved here, so no code of the loader changes a firmware XMM6-15.

bits 64
default rel
section .text

global sha256_ni_blocks:function hidden
global sha256_ni_cpu:function hidden
extern sha256_k

; int sha256_ni_cpu(void): 1 if CPUID reports SHA (leaf 7 EBX 29), SSSE3
; (leaf 1 ECX 9) and SSE4.1 (leaf 1 ECX 19).
sha256_ni_cpu:
	push rbx
	xor eax, eax
	cpuid
	mov r8d, eax			; the highest basic leaf
	xor r9d, r9d			; the answer so far: no
	cmp r8d, 7
	jb .done
	mov eax, 1
	cpuid
	and ecx, (1 << 9) | (1 << 19)
	cmp ecx, (1 << 9) | (1 << 19)
	jne .done
	mov eax, 7
	xor ecx, ecx
	cpuid
	bt ebx, 29
	setc r9b
.done:
	mov eax, r9d
	pop rbx
	ret

; rounds J: two sha256rnds2 over message register xmm(3+J), constants at
; [rax + 16*J]; then the next-but-three group of four words replaces it:
; W[i] = W[i-16] + s0(W[i-15]) + W[i-7] + s1(W[i-2]).  The last pass
; computes words nobody reads (cheaper in bytes than a separate tail).
%macro rounds 5				; this group, next, +2, +3 (registers), J
	movdqu xmm0, [rax + 16 * %5]
	paddd xmm0, %1
	sha256rnds2 xmm2, xmm1		; xmm0 implicit; CDGH becomes ABEF
	pshufd xmm0, xmm0, 0x0e
	sha256rnds2 xmm1, xmm2
	sha256msg1 %1, %2		; W[i-16] + s0(W[i-15])
	movdqa xmm0, %4
	palignr xmm0, %3, 4		; W[i-7]
	paddd %1, xmm0
	sha256msg2 %1, %4		; + s1(W[i-2])
%endmacro

; void sha256_ni_blocks(uint32_t h[8], const void *p, size_t n)
sha256_ni_blocks:
	test rdx, rdx
	jz .ret
	sub rsp, 48
	movdqu [rsp], xmm6
	; h[] is a..h in order; the instructions want ABEF and CDGH (A in the
	; top dword).
	movdqu xmm1, [rdi]		; a b c d (dword 0 first)
	movdqu xmm2, [rdi + 16]		; e f g h
	pshufd xmm1, xmm1, 0xb1		; b a d c
	pshufd xmm2, xmm2, 0x1b		; h g f e
	movdqa xmm0, xmm1
	palignr xmm1, xmm2, 8		; f e b a = ABEF
	pblendw xmm2, xmm0, 0xf0	; h g d c = CDGH
.block:
	movdqu [rsp + 16], xmm1
	movdqu [rsp + 32], xmm2
	movdqu xmm3, [rsi]		; the block's words, big-endian in memory
	movdqu xmm4, [rsi + 16]
	movdqu xmm5, [rsi + 32]
	movdqu xmm6, [rsi + 48]
	movdqu xmm0, [bswap32]
	pshufb xmm3, xmm0
	pshufb xmm4, xmm0
	pshufb xmm5, xmm0
	pshufb xmm6, xmm0
	lea rax, [sha256_k]
	lea rcx, [rax + 256]
.quad:					; 16 rounds a pass
	rounds xmm3, xmm4, xmm5, xmm6, 0
	rounds xmm4, xmm5, xmm6, xmm3, 1
	rounds xmm5, xmm6, xmm3, xmm4, 2
	rounds xmm6, xmm3, xmm4, xmm5, 3
	add rax, 64
	cmp rax, rcx
	jne .quad
	movdqu xmm0, [rsp + 16]
	paddd xmm1, xmm0
	movdqu xmm0, [rsp + 32]
	paddd xmm2, xmm0
	add rsi, 64
	dec rdx
	jnz .block
	; back to a..h
	pshufd xmm1, xmm1, 0x1b		; a b e f
	pshufd xmm2, xmm2, 0xb1		; g h c d
	movdqa xmm0, xmm1
	pblendw xmm1, xmm2, 0xf0	; a b c d
	palignr xmm2, xmm0, 8		; e f g h
	movdqu [rdi], xmm1
	movdqu [rdi + 16], xmm2
	movdqu xmm6, [rsp]
	add rsp, 48
.ret:
	ret

bswap32:				; pshufb: each dword's bytes reversed
	db 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12

section .note.GNU-stack noalloc noexec nowrite progbits
