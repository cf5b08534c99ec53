# elfboot - top-level build.  Per-target flags live here, in one place.
#   make            build everything (loader, host tool, test kernels)
#   make run        boot the example kernel under QEMU + OVMF
#   make check      host unit tests (plain + ASan/UBSan) and QEMU boot tests
#   make bench      boot-time benchmark (not part of check)
#   make install    tool, loaders, header, elfboot.pc, man pages, completion (mk/install.mk)
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
# Optional requests (.elfboot-requests): the dispatch, then one file per request.
COMMON_SRC += common/requests.c common/req_timestamps.c
# The FIRMWARE request and its SMBIOS entry-point check (issue 10).
COMMON_SRC += common/req_firmware.c
COMMON_SRC += common/req_modules.c
# SMP request: the handler (COMMON_SRC); the AP start-up (LAPIC, ring 0) and
# its asm go into the firmware builds only.
COMMON_SRC += common/req_smp.c
# File pins (issue 11): SHA-256 and the pin block, also the tool's.
COMMON_SRC += common/sha256.c common/pins.c
COMMON_FW  := $(COMMON_SRC) common/loader.c common/string.c common/serial.c common/fault.c
COMMON_FW  += common/smp_start.c

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes

# Size (issue 9: BOOTX64.EFI <= 48 KiB, stage1 + stage2 <= 32 KiB): loader
# code is built -Oz (GCC 12: -Os and more, e.g. push/pop for small
# constants; ~0.5 KB of BOOTX64.EFI's .text and ~1.2 KB of stage2 fewer than
# -Os) with one section per function and object, so the link drops what
# nothing calls (--gc-sections).  The boot's hot loops are string
# instructions in asm (common/string.c) and firmware calls, which -Oz does
# not slow down.  -MMD -MP: each object's header dependencies come from
# the compiler (the .d files included below).
EFI_LIMIT  := 49152
BIOS_LIMIT := 32768
SIZE_CFLAGS := -Oz -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -MMD -MP

# Freestanding code for the UEFI application (gnu-efi: PIC, ms_abi calls).
# Hidden visibility: nothing is exported, so PIC code addresses its data
# directly (no GOT) and the unused sections can be collected.
EFI_CFLAGS := -std=c11 -g -ffreestanding -fno-stack-protector -fno-stack-check \
              -fpic -fvisibility=hidden -fshort-wchar -mno-red-zone -mgeneral-regs-only \
              -fno-tree-loop-distribute-patterns -DGNU_EFI_USE_MS_ABI \
              -maccumulate-outgoing-args $(SIZE_CFLAGS) -fno-inline-functions-called-once \
              -flto $(WARN) -Icommon/include \
              -I$(GNUEFI_INC) -I$(GNUEFI_INC)/x86_64
# uefi/efi.lds, not gnu-efi's script: that one puts .bss inside .data, which
# stored ~100 KB of zeros in the file.
# Linked through the compiler with -flto: the core and the front end are
# optimised as one program (-Oz again at link time), which takes ~0.9 KB
# of .text off what per-file compilation leaves (the last PE sector).
# One LTO partition (strings merge across all of it) and -fipa-pta: ~100 B.
# -fno-inline-functions-called-once (EFI_CFLAGS): LTO inlined each
# single-caller function into loader_main and efi_main, ~290 B more .text
# than calls (measured; it makes stage2 bigger, so only here).
EFI_LDFLAGS := -flto -Oz -flto-partition=none -fipa-pta -fpic -nostdlib -shared -Wl,-znocombreloc,-Bsymbolic,--no-undefined \
               -Wl,--gc-sections,-T,uefi/efi.lds,--build-id=none
# The PE sections objcopy keeps: gnu-efi's _relocate needs only .dynamic
# and .rela (no symbols: --strip-all).  BOOTX64.EFI has no .rela today: its
# code keeps no pointers in initialised data, each would cost a relocation.
# .bss has no file bytes: the PE loader zero-fills it (PE/COFF).
EFI_SECTIONS := --strip-all -j .text -j .rodata -j .data -j .dynamic -j .rela -j .reloc -j .bss -j .packed

HOST_CFLAGS := -std=c11 -O1 -g $(WARN) -Wno-missing-prototypes -Icommon/include -D_GNU_SOURCE
SAN_FLAGS   := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

.PHONY: all deps run check unit boot-tests bench clean
all: $(B)/uefi/BOOTX64.EFI $(B)/uefi/BOOTX64-net.EFI $(B)/uefi/stage1.bin $(B)/uefi/stage2.bin $(B)/uefi/stage2-pxe.bin $(B)/uefi/cdboot.bin \
     $(B)/uefi/pxe.bin $(B)/elfboot kernels

deps:
	@sh mk/deps.sh

# ---------------------------------------------------------------- UEFI
# The core (common/) is compiled once per target into a static library that
# the front end links; ld takes only the members it needs.
EFI_CORE := $(patsubst %.c,$(B)/efi/%.o,$(COMMON_FW)) $(B)/efi/common/handoff.o $(B)/efi/common/isr.o \
            $(B)/efi/common/smp.o
EFI_OBJS := $(patsubst %.c,$(B)/efi/%.o,uefi/main.c uefi/source_fs.c uefi/source_iso.c uefi/tcg2.c)
# Two EFI links, like the two stage2s (issue 11: BOOTX64.EFI over
# EFI_LIMIT): BOOTX64.EFI (disk, CD) links the stub source_pxe_none.c,
# BOOTX64-net.EFI (the TFTP root's, `elfboot netboot`) source_pxe.c and
# with it common/dhcp.c's users.  EFI_NET_x: variant x's network object.
EFI_VARIANTS := BOOTX64 BOOTX64-net
EFI_NET_BOOTX64     := $(B)/efi/uefi/source_pxe_none.o
EFI_NET_BOOTX64-net := $(B)/efi/uefi/source_pxe.o
# SHA-256 with SHA-NI (sha256.c's weak reference: linked as an object, an
# archive member would not be pulled in).
EFI_OBJS += $(B)/efi/common/sha256_ni.o

# Each target's objects depend on a stamp holding its compile flags, so a
# changed flag (a merge, CC=clang) rebuilds them instead of mixing old ones in.
$(B)/efi/cflags.stamp $(B)/bios/cflags.stamp: $(B)/%/cflags.stamp: FORCE
	@mkdir -p $(dir $@)
	@echo '$(CC) $(if $(filter efi,$*),$(EFI_CFLAGS),$(S2_CFLAGS))' | cmp -s - $@ || \
	  echo '$(CC) $(if $(filter efi,$*),$(EFI_CFLAGS),$(S2_CFLAGS))' > $@
FORCE:

$(B)/efi/%.o: %.c $(B)/efi/cflags.stamp
	@mkdir -p $(dir $@)
	$(CC) $(EFI_CFLAGS) $(BUILDID_INC) -c $< -o $@

$(B)/efi/common/handoff.o $(B)/efi/common/isr.o $(B)/efi/common/smp.o: $(B)/efi/common/%.o: common/%.asm
	@mkdir -p $(dir $@)
	$(NASM) -f elf64 $< -o $@

$(B)/efi/libcore.a: $(EFI_CORE)
	rm -f $@
	ar rcs $@ $^

# BOOTX64.EFI's constants are stored packed (issue 10): a first link with
# an empty pack gives .rodata's bytes (mk/efipack.py packs them into
# uefi/rodata_pack.asm, last in .data); the second link is the same but for
# the pack, with .rodata NOLOAD (no file bytes; efi_main unpacks it).  Its
# .text and .rodata bounds must equal the first link's, or the pack would
# not be the constants this code reads: checked, the build stops.  One
# pattern for both variants (EFI_VARIANTS); each has its own intermediate
# files, build/efi/V/ (V = BOOTX64 or BOOTX64-net).
$(B)/efi/rodata.empty:
	@mkdir -p $(dir $@)
	: > $@
$(B)/efi/rodata_pack0.o: uefi/rodata_pack.asm $(B)/efi/rodata.empty
	$(NASM) -f elf64 -DRODATA_PACK='"$(B)/efi/rodata.empty"' $< -o $@
$(EFI_VARIANTS:%=$(B)/efi/%/rodata_pack.o): $(B)/efi/%/rodata_pack.o: uefi/rodata_pack.asm $(B)/efi/%/rodata.pack
	$(NASM) -f elf64 -DRODATA_PACK='"$(B)/efi/$*/rodata.pack"' $< -o $@
$(B)/uefi/BOOTX64.p1.so: $(EFI_NET_BOOTX64)
$(B)/uefi/BOOTX64-net.p1.so: $(EFI_NET_BOOTX64-net)
$(EFI_VARIANTS:%=$(B)/uefi/%.p1.so): $(B)/uefi/%.p1.so: $(EFI_OBJS) $(B)/efi/libcore.a uefi/efi.lds $(B)/efi/rodata_pack0.o
	@mkdir -p $(dir $@)
	$(CC) $(EFI_LDFLAGS) $(GNUEFI_LIB)/crt0-efi-x86_64.o $(EFI_OBJS) $(EFI_NET_$*) $(B)/efi/libcore.a \
	  $(B)/efi/rodata_pack0.o -L$(GNUEFI_LIB) -lgnuefi -o $@
$(EFI_VARIANTS:%=$(B)/efi/%/rodata.pack): $(B)/efi/%/rodata.pack: $(B)/uefi/%.p1.so mk/efipack.py mk/s2pack.py
	@mkdir -p $(dir $@)
	objcopy -O binary -j .rodata $< $(B)/efi/$*/rodata.raw
	python3 mk/efipack.py $(B)/efi/$*/rodata.raw $@ $*.EFI
$(EFI_VARIANTS:%=$(B)/uefi/%.so): $(B)/uefi/%.so: $(B)/uefi/%.p1.so $(B)/efi/%/rodata_pack.o
	sed 's/^\t\.rodata :/\t.rodata (NOLOAD) :/' uefi/efi.lds > $(B)/efi/$*/efi-packed.lds
	grep -q '^.\.rodata (NOLOAD)' $(B)/efi/$*/efi-packed.lds
	$(CC) $(subst uefi/efi.lds,$(B)/efi/$*/efi-packed.lds,$(EFI_LDFLAGS)) $(GNUEFI_LIB)/crt0-efi-x86_64.o \
	  $(EFI_OBJS) $(EFI_NET_$*) $(B)/efi/libcore.a $(B)/efi/$*/rodata_pack.o -L$(GNUEFI_LIB) -lgnuefi -o $@.tmp
	objcopy -O binary -j .text $< $(B)/efi/$*/text1.bin
	objcopy -O binary -j .text $@.tmp $(B)/efi/$*/text2.bin
	nm $< | awk '$$3 ~ /^__rodata_(start|end)$$/ { print $$1, $$3 }' > $(B)/efi/$*/rodata1.sym
	nm $@.tmp | awk '$$3 ~ /^__rodata_(start|end)$$/ { print $$1, $$3 }' > $(B)/efi/$*/rodata2.sym
	cmp $(B)/efi/$*/text1.bin $(B)/efi/$*/text2.bin && cmp $(B)/efi/$*/rodata1.sym $(B)/efi/$*/rodata2.sym || \
	  { echo "efipack: error: the second link moved code or constants" >&2; rm -f $@.tmp; exit 1; }
	mv $@.tmp $@

# The budgets: BOOTX64.EFI (disk, CD) within EFI_LIMIT (issue 9).  The
# network one is fetched whole over TFTP into memory the firmware
# allocates, so no medium bounds it; EFI_NET_LIMIT (64 KiB, ~10 KB over
# today's size) keeps its growth in view, as PXE_S2_LIMIT does for
# stage2-pxe.bin.
EFI_NET_LIMIT := 65536
EFI_SIZE_BOOTX64     := BOOTX64.EFI $(EFI_LIMIT)
EFI_SIZE_BOOTX64-net := BOOTX64-net.EFI $(EFI_NET_LIMIT)
$(EFI_VARIANTS:%=$(B)/uefi/%.EFI): $(B)/uefi/%.EFI: $(B)/uefi/%.so mk/size-check.sh
	objcopy $(EFI_SECTIONS) --target=efi-app-x86_64 --subsystem=10 $< $@
	@sh mk/size-check.sh $(EFI_SIZE_$*) $@ || { rm -f $@; exit 1; }

# ---------------------------------------------------------------- BIOS
# bios_layout.h (shared with the tool) and layout.h are the one source of the
# low-memory map; NASM gets them as %defines.
$(B)/bios/layout.inc: common/include/bios_layout.h stage2/layout.h
	@mkdir -p $(dir $@)
	sed -n 's/^#define/%define/p' $^ > $@

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

S2_CFLAGS := -std=c11 -g -ffreestanding -fno-stack-protector -fno-stack-check -fno-pic \
             -fno-pie -mno-red-zone -mgeneral-regs-only -mcmodel=small \
             -fno-tree-loop-distribute-patterns $(SIZE_CFLAGS) -fno-inline-small-functions $(WARN) \
             -flto -Icommon/include -Istage2
BIOS_CORE := $(patsubst %.c,$(B)/bios/%.o,$(COMMON_FW)) $(B)/bios/common/handoff.o $(B)/bios/common/isr.o \
             $(B)/bios/common/smp.o
S2_OBJS := $(patsubst %.c,$(B)/bios/%.o,stage2/main.c stage2/fat.c stage2/source_disk.c \
           stage2/source_cd.c) $(B)/bios/stage2/entry.o
S2_OBJS += $(B)/bios/common/sha256_ni.o
# Two stage2 links from the same objects but the network source (issue 10:
# the PXE code, 5.8 KB linked and 2.8 KB packed, is dead weight on a disk
# or CD boot): stage2.bin (disk, CD; stage1 + it within BIOS_LIMIT) links
# the stub source_pxe_none.c, stage2-pxe.bin (the network boot program's,
# after pxe.bin) source_pxe.c.  S2_NET_x: stage2 x's network object.
S2_NET_stage2     := $(B)/bios/stage2/source_pxe_none.o
S2_NET_stage2-pxe := $(B)/bios/stage2/source_pxe.o

$(B)/bios/%.o: %.c $(B)/bios/cflags.stamp
	@mkdir -p $(dir $@)
	$(CC) $(S2_CFLAGS) $(BUILDID_INC) -c $< -o $@

$(B)/bios/stage2/entry.o: stage2/entry.asm $(B)/bios/layout.inc
	@mkdir -p $(dir $@)
	$(NASM) -f elf64 -I $(B)/bios/ $< -o $@

$(B)/bios/common/handoff.o $(B)/bios/common/isr.o $(B)/bios/common/smp.o: $(B)/bios/common/%.o: common/%.asm
	@mkdir -p $(dir $@)
	$(NASM) -f elf64 $< -o $@

$(B)/efi/common/sha256_ni.o $(B)/bios/common/sha256_ni.o $(B)/host/sha256_ni.o: common/sha256_ni.asm
	@mkdir -p $(dir $@)
	$(NASM) -f elf64 $< -o $@

$(B)/bios/libcore.a: $(BIOS_CORE)
	rm -f $@
	ar rcs $@ $^

# Linked through the compiler with -flto, like BOOTX64.EFI: the core and the
# front end optimised as one program take ~960 bytes off the packed stage2
# (issue 10's requests).  The link's code generation gets the compile flags
# but not the warnings (as the EFI link): gcc's whole-program view raises
# maybe-uninitialized false positives the per-file builds already judged.
S2_LTO_FLAGS := $(filter-out $(WARN) -MMD -MP -g,$(S2_CFLAGS))
S2_VARIANTS := stage2 stage2-pxe
$(B)/bios/stage2.elf: $(S2_NET_stage2)
$(B)/bios/stage2-pxe.elf: $(S2_NET_stage2-pxe)
$(S2_VARIANTS:%=$(B)/bios/%.elf): $(B)/bios/%.elf: $(S2_OBJS) $(B)/bios/libcore.a stage2/stage2.ld
	$(CC) $(S2_LTO_FLAGS) -nostdlib -static -no-pie -Wl,-z,max-page-size=0x1000 \
	  -Wl,--no-warn-rwx-segments -Wl,--gc-sections -Wl,--build-id=none -Wl,-T,stage2/stage2.ld \
	  $(S2_OBJS) $(S2_NET_$*) $(B)/bios/libcore.a -o $@

# Packed after .entry (mk/s2pack.py; stage2/entry.asm unpacks it at boot).
# The budgets: stage1 + stage2.bin within BIOS_LIMIT (issue 9).  The PXE
# ROM loads the whole NBP (pxe.bin, then stage2-pxe.bin) at 0x7c00 into
# base memory, and stage2 unpacks below STAGE2_LIMIT (bios_layout.h; the
# link checks image + .bss), so the hard bound is far off; PXE_S2_LIMIT
# (64 KiB, twice today's size) keeps the network stage2's growth in view.
PXE_S2_LIMIT := 65536
S2_SIZE_stage2     := stage1+stage2 $(BIOS_LIMIT) $(B)/uefi/stage1.bin
S2_SIZE_stage2-pxe := stage2-pxe $(PXE_S2_LIMIT)
$(S2_VARIANTS:%=$(B)/uefi/%.bin): $(B)/uefi/%.bin: $(B)/bios/%.elf $(B)/uefi/stage1.bin mk/s2pack.py mk/rcpack.py mk/size-check.sh
	objcopy -O binary $< $(B)/bios/$*.raw
	python3 mk/s2pack.py $(B)/bios/$*.raw $$(nm $< | awk '$$3 == "__stage2_payload" { p = $$1 } \
	  $$3 == "__stage2_start" { s = $$1 } END { print "0x" p, "0x" s }') $@
	@sh mk/size-check.sh $(S2_SIZE_$*) $@ || { rm -f $@; exit 1; }

# Compiler-made header dependencies of the loader objects.
-include $(patsubst %.o,%.d,$(filter %.o,$(EFI_CORE) $(EFI_OBJS) $(EFI_NET_BOOTX64) $(EFI_NET_BOOTX64-net) $(BIOS_CORE) $(S2_OBJS) $(S2_NET_stage2) $(S2_NET_stage2-pxe)))

# ---------------------------------------------------------------- host tool
TOOL_SRC := config-tool/main.c config-tool/image.c config-tool/iso.c config-tool/netboot.c \
            config-tool/gpt.c config-tool/setcfg.c config-tool/sim.c config-tool/embed.c \
            config-tool/info.c config-tool/repro.c config-tool/run.c $(COMMON_SRC)
# --module and --cmdline (issue 10)
TOOL_SRC += config-tool/modules.c
# Issue 11 (trusted boot): the loaders' preparation (pins, then signing) and
# PE signature reading.
TOOL_SRC += config-tool/trust.c config-tool/pesig.c
# The build id (docs/build-id.md): VERSION + a hash of every loader input.
# The loaders print it (loader.c, given it with -include); the tool embeds
# it with the seven loader binaries (config-tool/loaders.S).
LOADER_INPUTS := Makefile $(sort $(wildcard common/*.c common/*.asm common/include/*.h \
                 stage1/*.asm stage1/*.inc stage2/*.[ch] stage2/*.asm stage2/*.ld uefi/*.[ch]))
# The stamp runs the script when an input changes; the header changes (and
# rebuilds what includes it) only when the id does.
$(B)/buildid.stamp: VERSION $(LOADER_INPUTS) mk/buildid.sh
	@mkdir -p $(dir $@)
	@sh mk/buildid.sh $(B)/buildid.h VERSION $(LOADER_INPUTS)
	@touch $@
$(B)/buildid.h: $(B)/buildid.stamp
	@test -f $@ || sh mk/buildid.sh $@ VERSION $(LOADER_INPUTS)
# In a variable of its own, not added to EFI_CFLAGS/S2_CFLAGS: a
# target-specific value passes to the target's prerequisites, so the flags
# stamp (written from those variables) would differ with whichever object
# asked for it first, and every later make would rebuild the loaders.
$(B)/efi/common/loader.o $(B)/efi/uefi/main.o $(B)/bios/common/loader.o $(B)/bios/stage2/main.o: \
  BUILDID_INC = -include $(B)/buildid.h
$(B)/efi/common/loader.o $(B)/efi/uefi/main.o $(B)/bios/common/loader.o $(B)/bios/stage2/main.o: $(B)/buildid.h
LOADER_BINS := $(addprefix $(B)/uefi/,stage1.bin stage2.bin cdboot.bin pxe.bin BOOTX64.EFI stage2-pxe.bin \
               BOOTX64-net.EFI)
$(B)/tool/loaders.o: config-tool/loaders.S $(B)/buildid.h $(LOADER_BINS)
	@mkdir -p $(dir $@)
	$(HOSTCC) -c -I$(B) -Wa,-I,$(B)/uefi $< -o $@
$(B)/elfboot: $(TOOL_SRC) $(wildcard common/include/*.h config-tool/*.h) $(B)/tool/loaders.o $(B)/host/sha256_ni.o
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -Iconfig-tool $(TOOL_SRC) $(B)/tool/loaders.o $(B)/host/sha256_ni.o -lelf -o $@

include examples/examples.mk
include tests/tests.mk

# make install / uninstall / programs: mk/install.mk.
include mk/install.mk

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
	$(CC) $(EFI_CFLAGS) -Wno-missing-prototypes $(if $(findstring raw,$*),-DRAWREAD) \
	  $(if $(findstring exit,$*),-DEXITBS) -c $< -o $(dir $@)efi.o
	$(CC) $(EFI_LDFLAGS) $(GNUEFI_LIB)/crt0-efi-x86_64.o $(dir $@)efi.o -L$(GNUEFI_LIB) -lgnuefi -o $(dir $@)efi.so
	objcopy $(EFI_SECTIONS) --target=efi-app-x86_64 --subsystem=10 $(dir $@)efi.so $@
$(BD)/floor-uefi.img: $(BD)/floor/BOOTX64.EFI $(B)/elfboot $(B)/kernels/k_exit
	$(B)/elfboot image --uefi --unchecked --loader-dir $(BD)/floor -o $@ $(B)/kernels/k_exit
$(BD)/floorexit-uefi.img: $(BD)/floorexit/BOOTX64.EFI $(B)/elfboot $(B)/kernels/k_exit
	$(B)/elfboot image --uefi --unchecked --loader-dir $(BD)/floorexit -o $@ $(B)/kernels/k_exit
$(BD)/raw-uefi.img: $(BD)/raw/BOOTX64.EFI $(B)/elfboot $(B)/kernels/k_exit $(B)/ramdisk256.bin
	$(B)/elfboot image --uefi --unchecked --loader-dir $(BD)/raw --ramdisk $(B)/ramdisk256.bin -o $@ $(B)/kernels/k_exit
$(BD)/elfboot-tiny.img: all
	$(B)/elfboot image -o $@ $(B)/kernels/k_exit
$(BD)/elfboot-256m.img: all
	$(B)/elfboot image --ramdisk $(B)/ramdisk256.bin -o $@ $(B)/kernels/k_exit
# The same, pinned (issue 11): what hashing the ramdisk as it is read costs.
$(BD)/elfboot-256m-pin.img: all
	$(B)/elfboot image --pin --ramdisk $(B)/ramdisk256.bin -o $@ $(B)/kernels/k_exit

# $(B)/ramdisk64.bin: tests/mk/net.mk.
$(BD)/elfboot-iso-tiny.iso: all
	@mkdir -p $(dir $@)
	$(B)/elfboot image --iso -o $@ $(B)/kernels/k_exit
$(BD)/elfboot-iso-64m.iso: all $(B)/ramdisk64.bin
	@mkdir -p $(dir $@)
	$(B)/elfboot image --iso --ramdisk $(B)/ramdisk64.bin -o $@ $(B)/kernels/k_exit

BENCH_IMAGES := $(addprefix $(BD)/,mb2.elf floor-bios.img raw-bios.img floor-uefi.img floorexit-uefi.img \
                raw-uefi.img elfboot-tiny.img elfboot-256m.img elfboot-256m-pin.img elfboot-iso-tiny.iso \
                elfboot-iso-64m.iso)
bench: deps
	@sh mk/deps.sh bench
	@$(MAKE) --no-print-directory all $(BENCH_IMAGES)
	@echo "sizes: stage1+stage2 $$(( $$(stat -c %s $(B)/uefi/stage1.bin) + $$(stat -c %s $(B)/uefi/stage2.bin) )) of $(BIOS_LIMIT) B (stage1 code $$(python3 -c "d=open('$(B)/uefi/stage1.bin','rb').read(); print(max(i for i in range(0x1a0) if d[i]) + 1)") B, stage2 $$(stat -c %s $(B)/uefi/stage2.bin) B packed), stage2-pxe $$(stat -c %s $(B)/uefi/stage2-pxe.bin) of $(PXE_S2_LIMIT) B, BOOTX64.EFI $$(stat -c %s $(B)/uefi/BOOTX64.EFI) of $(EFI_LIMIT) B, BOOTX64-net.EFI $$(stat -c %s $(B)/uefi/BOOTX64-net.EFI) of $(EFI_NET_LIMIT) B"
	sh bench/bench.sh $(B) $(or $(RUNS),5)
	@# Issue 10: the SMP request's start-up cost at -smp 1 and -smp 8 (also alone: make bench-smp).
	sh bench/smp.sh $(B) $(or $(RUNS),3)
