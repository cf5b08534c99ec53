# modules.mk - issue 10's MODULES and CMDLINE requests: the k_modules kernel
# and the three pattern modules tests/boot/modules.list hands it (sizes as
# k_modules.c expects: a page and a byte, an odd size, 2 MiB + 5).
$(eval $(call kernel,k_modules,static,k_modules))
MODULE_SIZE_0 := 4097
MODULE_SIZE_1 := 123457
MODULE_SIZE_2 := 2097157
$(B)/module%.bin: tests/mkpattern.py
	@mkdir -p $(dir $@)
	python3 tests/mkpattern.py $@ $(MODULE_SIZE_$*) --header
KERNEL_BINS += $(B)/module0.bin $(B)/module1.bin $(B)/module2.bin
# A boot.json listing a module the medium lacks: the loader's error path.
$(B)/boot-modules-missing.json:
	@mkdir -p $(dir $@)
	printf '{"modules": [{"file": "module-0", "name": "gone"}]}\n' > $@
KERNEL_BINS += $(B)/boot-modules-missing.json
