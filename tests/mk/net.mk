# net.mk - inputs of the network boot tests (tests/suites/net.sh,
# tests/suites/net-dnsmasq.sh) and of `make bench`'s network lines: a 64 MiB
# ramdisk and a 96 MiB one (more than 65,535 TFTP blocks of 1432 bytes, so
# the 16-bit block number wraps), both in k_ramdisk's pattern.
RAMDISK_SIZE_64 := 67108864
RAMDISK_SIZE_96 := 100663296
KERNEL_BINS += $(B)/ramdisk64.bin $(B)/ramdisk96.bin
CHECK_DEPS += $(B)/uefi/pxe.bin
# Debug log level: stage2 then says how many TFTP blocks of which size came.
$(B)/boot-net-debug.json:
	@mkdir -p $(dir $@)
	printf '{ "log_level": "Debug" }\n' > $@
KERNEL_BINS += $(B)/boot-net-debug.json
# The same, with stage2's fallback for PXE ROMs without TFTP_READ_FILE:
# TFTP_OPEN / TFTP_READ block by block.
$(B)/boot-net-blocks.json:
	@mkdir -p $(dir $@)
	printf '{ "log_level": "Debug", "_test_fault": "tftp-blocks" }\n' > $@
KERNEL_BINS += $(B)/boot-net-blocks.json
