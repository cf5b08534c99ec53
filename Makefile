# elfboot - top-level build.  Per-target flags live here, in one place.
#   make            build everything (loader, host tool, test kernels)
#   make run        boot the example kernel under QEMU + OVMF
#   make check      host unit tests (plain + ASan/UBSan) and QEMU boot tests
#   make bench      boot-time benchmark (not part of check)
# `run` and `check` first install missing Debian packages (mk/deps.sh).

B        := build
CC       ?= cc
HOSTCC   ?= cc
NASM     ?= nasm
GNUEFI_LIB ?= /usr/lib
GNUEFI_INC ?= /usr/include/efi

COMMON_SRC := common/config.c common/elf.c common/memmap.c common/alloc.c \
              common/vmm.c common/vaspace.c common/load.c common/fmt.c common/bootcfg.c \
              common/crc32.c common/source.c common/console.c common/acpi.c \
              common/video.c common/dhcp.c
# The ISO 9660 reader (CD/ISO boot, and the tool's check of the images it writes).
COMMON_SRC += common/iso9660.c
COMMON_FW  := $(COMMON_SRC) common/loader.c common/string.c common/serial.c common/fault.c

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes

# Freestanding code for the UEFI application (gnu-efi: PIC, ms_abi calls).
EFI_CFLAGS := -std=c11 -O2 -g -ffreestanding -fno-stack-protector -fno-stack-check \
              -fpic -fshort-wchar -mno-red-zone -mgeneral-regs-only \
              -fno-tree-loop-distribute-patterns -DGNU_EFI_USE_MS_ABI \
              -maccumulate-outgoing-args $(WARN) -Icommon/include \
              -I$(GNUEFI_INC) -I$(GNUEFI_INC)/x86_64
EFI_LDFLAGS := -nostdlib -znocombreloc -shared -Bsymbolic --no-undefined \
               -T $(GNUEFI_LIB)/elf_x86_64_efi.lds

HOST_CFLAGS := -std=c11 -O1 -g $(WARN) -Wno-missing-prototypes -Icommon/include -D_GNU_SOURCE
SAN_FLAGS   := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

.PHONY: all deps run check unit boot-tests bench clean install
all: $(B)/uefi/BOOTX64.EFI $(B)/uefi/stage1.bin $(B)/uefi/stage2.bin $(B)/uefi/cdboot.bin $(B)/uefi/pxe.bin $(B)/elfboot kernels

deps:
	@sh mk/deps.sh

# ---------------------------------------------------------------- UEFI
EFI_OBJS := $(patsubst %.c,$(B)/efi/%.o,$(COMMON_FW) uefi/main.c uefi/source_fs.c uefi/source_iso.c \
              uefi/source_pxe.c) $(B)/efi/common/handoff.o \
            $(B)/efi/common/isr.o

$(B)/efi/%.o: %.c $(wildcard common/include/*.h uefi/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(EFI_CFLAGS) -c $< -o $@

$(B)/efi/common/handoff.o $(B)/efi/common/isr.o: $(B)/efi/common/%.o: common/%.asm
	@mkdir -p $(dir $@)
	$(NASM) -f elf64 $< -o $@

$(B)/uefi/BOOTX64.so: $(EFI_OBJS)
	@mkdir -p $(dir $@)
	ld $(EFI_LDFLAGS) $(GNUEFI_LIB)/crt0-efi-x86_64.o $(EFI_OBJS) -L$(GNUEFI_LIB) -lgnuefi -o $@

$(B)/uefi/BOOTX64.EFI: $(B)/uefi/BOOTX64.so
	objcopy -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela \
	  -j .rela.* -j .reloc --target=efi-app-x86_64 --subsystem=10 $< $@
	@echo "BOOTX64.EFI: $$(stat -c %s $@) bytes"

# ---------------------------------------------------------------- BIOS
# layout.h is the one source of the low-memory map; NASM gets it as %defines.
$(B)/bios/layout.inc: stage2/layout.h
	@mkdir -p $(dir $@)
	sed -n 's/^#define/%define/p' $< > $@

# The loader binaries live together (build/uefi/ is the tool's loader dir).
$(B)/uefi/cdboot.bin: stage1/cdboot.asm stage1/bootfail.inc stage1/rmentry.inc $(B)/bios/layout.inc
	@mkdir -p $(dir $@)
	$(NASM) -f bin -I $(B)/bios/ -I stage1/ $< -o $@
	@echo "cdboot: $$(python3 -c "d=open('$@','rb').read(); print(max(i for i in range(len(d)) if d[i]) + 1)") of 1024 code bytes used"

$(B)/uefi/stage1.bin: stage1/stage1.asm stage1/bootfail.inc stage1/rmentry.inc $(B)/bios/layout.inc
	@mkdir -p $(dir $@)
	$(NASM) -f bin -I $(B)/bios/ -I stage1/ $< -o $@
	@echo "stage1: $$(python3 -c "d=open('$@','rb').read(); print(max(i for i in range(0x1a0) if d[i]) + 1)") of 416 code bytes used"

# The PXE stage: the first 1 KiB of the BIOS network boot program.
$(B)/uefi/pxe.bin: stage1/pxe.asm stage1/bootfail.inc $(B)/bios/layout.inc
	@mkdir -p $(dir $@)
	$(NASM) -f bin -I $(B)/bios/ -I stage1/ $< -o $@

S2_CFLAGS := -std=c11 -O2 -g -ffreestanding -fno-stack-protector -fno-stack-check -fno-pic \
             -fno-pie -mno-red-zone -mgeneral-regs-only -mcmodel=small \
             -fno-tree-loop-distribute-patterns -fno-asynchronous-unwind-tables $(WARN) \
             -Icommon/include -Istage2
S2_OBJS := $(patsubst %.c,$(B)/bios/%.o,$(COMMON_FW) stage2/main.c stage2/fat.c stage2/source_disk.c \
           stage2/source_cd.c stage2/source_pxe.c) \
           $(B)/bios/stage2/entry.o $(B)/bios/common/handoff.o $(B)/bios/common/isr.o

$(B)/bios/%.o: %.c $(wildcard common/include/*.h stage2/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(S2_CFLAGS) -c $< -o $@

$(B)/bios/stage2/entry.o: stage2/entry.asm $(B)/bios/layout.inc
	@mkdir -p $(dir $@)
	$(NASM) -f elf64 -I $(B)/bios/ $< -o $@

$(B)/bios/common/handoff.o $(B)/bios/common/isr.o: $(B)/bios/common/%.o: common/%.asm
	@mkdir -p $(dir $@)
	$(NASM) -f elf64 $< -o $@

$(B)/bios/stage2.elf: $(S2_OBJS) stage2/stage2.ld
	ld -nostdlib -static -no-pie -z max-page-size=0x1000 --no-warn-rwx-segments -T stage2/stage2.ld $(S2_OBJS) -o $@

$(B)/uefi/stage2.bin: $(B)/bios/stage2.elf
	objcopy -O binary $< $@
	@echo "stage2: $$(stat -c %s $@) bytes"

# ---------------------------------------------------------------- host tool
TOOL_SRC := config-tool/main.c config-tool/image.c config-tool/iso.c config-tool/netboot.c \
            config-tool/gpt.c config-tool/setcfg.c config-tool/sim.c config-tool/run.c $(COMMON_SRC)
$(B)/elfboot: $(TOOL_SRC) $(wildcard common/include/*.h config-tool/*.h) stage2/layout.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -Iconfig-tool -Istage2 $(TOOL_SRC) -lelf -o $@

include examples/examples.mk
include tests/tests.mk

# make install [PREFIX=/usr/local] [DESTDIR=...]: the tool in bin/, the loader
# binaries where it looks for them (share/elfboot/), the kernel header in
# include/.
PREFIX ?= /usr/local
install: $(B)/elfboot $(B)/uefi/BOOTX64.EFI $(B)/uefi/stage1.bin $(B)/uefi/stage2.bin $(B)/uefi/cdboot.bin \
	 $(B)/uefi/pxe.bin
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/elfboot $(DESTDIR)$(PREFIX)/include
	install -m 755 $(B)/elfboot $(DESTDIR)$(PREFIX)/bin/elfboot
	install -m 644 $(B)/uefi/BOOTX64.EFI $(B)/uefi/stage1.bin $(B)/uefi/stage2.bin $(B)/uefi/cdboot.bin \
	  $(B)/uefi/pxe.bin \
	  $(DESTDIR)$(PREFIX)/share/elfboot/
	install -m 644 common/include/elfboot.h $(DESTDIR)$(PREFIX)/include/elfboot.h

clean:
	rm -rf $(B)

# ---------------------------------------------------------------- bench
BD := $(B)/bench
$(BD)/mb2.elf: bench/mb2.asm
	@mkdir -p $(dir $@)
	$(NASM) -f elf32 $< -o $(BD)/mb2.o
	ld -m elf_i386 -Ttext=0x100000 -e _start $(BD)/mb2.o -o $@
$(BD)/floor-bios.img: bench/floor-bios.asm
	@mkdir -p $(dir $@)
	$(NASM) -f bin $< -o $@
	truncate -s 1M $@
$(BD)/raw-bios.img: bench/raw-bios.asm $(B)/ramdisk256.bin
	@mkdir -p $(dir $@)
	$(NASM) -f bin -DRAW_SECTORS=$$(( $$(stat -c %s $(B)/ramdisk256.bin) / 512 )) $< -o $@
	truncate -s 1M $@
	cat $(B)/ramdisk256.bin >> $@
$(BD)/%/BOOTX64.EFI: bench/efi-bench.c
	@mkdir -p $(dir $@)
	$(CC) $(EFI_CFLAGS) -Wno-missing-prototypes $(if $(findstring raw,$*),-DRAWREAD) -c $< -o $(dir $@)efi.o
	ld $(EFI_LDFLAGS) $(GNUEFI_LIB)/crt0-efi-x86_64.o $(dir $@)efi.o -L$(GNUEFI_LIB) -lgnuefi -o $(dir $@)efi.so
	objcopy -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela \
	  -j .rela.* -j .reloc --target=efi-app-x86_64 --subsystem=10 $(dir $@)efi.so $@
$(BD)/floor-uefi.img: $(BD)/floor/BOOTX64.EFI $(B)/elfboot $(B)/kernels/k_exit
	$(B)/elfboot image --uefi --unchecked --loader-dir $(BD)/floor -o $@ $(B)/kernels/k_exit
$(BD)/raw-uefi.img: $(BD)/raw/BOOTX64.EFI $(B)/elfboot $(B)/kernels/k_exit $(B)/ramdisk256.bin
	$(B)/elfboot image --uefi --unchecked --loader-dir $(BD)/raw --ramdisk $(B)/ramdisk256.bin -o $@ $(B)/kernels/k_exit
$(BD)/elfboot-tiny.img: all
	$(B)/elfboot image -o $@ $(B)/kernels/k_exit
$(BD)/elfboot-256m.img: all
	$(B)/elfboot image --ramdisk $(B)/ramdisk256.bin -o $@ $(B)/kernels/k_exit

# $(B)/ramdisk64.bin: tests/mk/net.mk.
$(BD)/elfboot-iso-tiny.iso: all
	@mkdir -p $(dir $@)
	$(B)/elfboot image --iso -o $@ $(B)/kernels/k_exit
$(BD)/elfboot-iso-64m.iso: all $(B)/ramdisk64.bin
	@mkdir -p $(dir $@)
	$(B)/elfboot image --iso --ramdisk $(B)/ramdisk64.bin -o $@ $(B)/kernels/k_exit

BENCH_IMAGES := $(addprefix $(BD)/,mb2.elf floor-bios.img raw-bios.img floor-uefi.img \
                raw-uefi.img elfboot-tiny.img elfboot-256m.img elfboot-iso-tiny.iso \
                elfboot-iso-64m.iso)
bench: deps
	@sh mk/deps.sh bench
	@$(MAKE) --no-print-directory all $(BENCH_IMAGES)
	@echo "sizes: stage1 $$(stat -c %s $(B)/uefi/stage1.bin) B (code $$(python3 -c "d=open('$(B)/uefi/stage1.bin','rb').read(); print(max(i for i in range(0x1a0) if d[i]) + 1)") B), stage2 $$(stat -c %s $(B)/uefi/stage2.bin) B, BOOTX64.EFI $$(stat -c %s $(B)/uefi/BOOTX64.EFI) B"
	sh bench/bench.sh $(B) $(or $(RUNS),5)
