# firmware.mk - the FIRMWARE request's test kernel (issue 10):
# tests/kernels/k_firmware.c, booted by tests/boot/firmware.list.
$(eval $(call kernel,k_firmware,static,k_firmware))
