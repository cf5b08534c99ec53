# examples.mk - the example kernel `make run` boots.
EXAMPLE_BINS := $(B)/examples/hello

$(B)/examples/hello: examples/hello/hello.c examples/hello/linker.ld common/include/elfboot.h
	@mkdir -p $(dir $@)
	$(KCC) -std=c11 -O2 -ffreestanding -fno-stack-protector -mno-red-zone -fno-pic \
	  -mcmodel=kernel -mgeneral-regs-only $(WARN) -Icommon/include -nostdlib -static \
	  -Wl,-T,examples/hello/linker.ld -Wl,-z,max-page-size=0x1000 examples/hello/hello.c -o $@

run: deps
	@$(MAKE) --no-print-directory $(B)/uefi/BOOTX64.EFI $(B)/elfboot $(B)/examples/hello
	$(B)/elfboot image --uefi -o $(B)/hello.img $(B)/examples/hello
	sh tests/qemu.sh uefi $(B)/hello.img 60 $(if $(GUI),--gui)
