/* 64 MiB of initialised data for k_bigdata (made by tests/mkpattern.py). */
	.section .data.blob, "aw"
	.globl blob_start, blob_end
blob_start:
	.incbin "blob64.bin"
blob_end:
	.section .note.GNU-stack, "", @progbits
