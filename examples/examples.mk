# examples.mk - the example kernel `make run` boots.
EXAMPLE_BINS := $(B)/examples/hello

$(B)/examples/hello: examples/hello/hello.c examples/hello/linker.ld common/include/elfboot.h
	@mkdir -p $(dir $@)
	$(KCC) -std=c11 -O2 -ffreestanding -fno-stack-protector -mno-red-zone -fno-pic \
	  -mcmodel=kernel -mgeneral-regs-only $(WARN) -Icommon/include -nostdlib -static \
	  -Wl,-T,examples/hello/linker.ld -Wl,-z,max-page-size=0x1000 examples/hello/hello.c -o $@

run: deps
	@$(MAKE) --no-print-directory $(B)/uefi/BOOTX64.EFI $(B)/uefi/stage1.bin $(B)/uefi/stage2.bin \
	  $(B)/elfboot $(B)/examples/hello
	$(B)/elfboot image -o $(B)/hello.img $(B)/examples/hello
	@echo "== booting $(B)/hello.img with SeaBIOS (BIOS)"
	sh tests/qemu.sh bios $(B)/hello.img 60 $(if $(GUI),--gui)
	@echo "== booting $(B)/hello.img with OVMF (UEFI)"
	sh tests/qemu.sh uefi $(B)/hello.img 60 $(if $(GUI),--gui)
