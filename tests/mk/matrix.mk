# matrix.mk - `make matrix`: the machine matrix (tests/matrix.sh; not part of
# make check, which runs a few fast lines of it from tests/boot/matrix.list).
.PHONY: matrix
matrix: $(B)/uefi/BOOTX64.EFI $(B)/uefi/stage1.bin $(B)/uefi/stage2.bin $(B)/elfboot \
	$(B)/kernels/k_default
	sh tests/matrix.sh $(B)
