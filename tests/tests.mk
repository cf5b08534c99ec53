# tests.mk - test kernels, host unit tests and QEMU boot tests.

# ---------------------------------------------------------------- test kernels
# Two flavours: a static higher-half kernel (ET_EXEC at 0xffffffff80000000)
# and a PIE linked at 0 (ET_DYN, R_X86_64_RELATIVE), both as a plain
# toolchain would produce them (default linker script).
KCC      ?= gcc
KCFLAGS  := -std=c11 -O2 -g -ffreestanding -fno-stack-protector -mno-red-zone \
            $(WARN) -Wno-missing-prototypes \
            -Icommon/include -Itests/kernels
KFLAV_static := -fno-pic -mcmodel=kernel -fno-tree-loop-distribute-patterns
KFLAV_pie    := -fPIE -fno-tree-loop-distribute-patterns
KLD_static   := -static -nostdlib -z max-page-size=0x1000 -Ttext-segment=0xffffffff80000000 -e _start
KLD_pie      := -pie --no-dynamic-linker -nostdlib -z max-page-size=0x1000 -z text -e _start
# The same kernels from another toolchain: clang + ld.lld.
KCC_static-clang := clang
KCC_pie-clang    := clang
KFLAV_static-clang := -fno-pic -mcmodel=kernel
KFLAV_pie-clang    := -fPIE
KLD_static-clang := -static -nostdlib -z max-page-size=0x1000 --image-base=0xffffffff80000000 -e _start
KLD_pie-clang    := -pie --no-dynamic-linker -nostdlib -z max-page-size=0x1000 -z text -e _start
KLINK_static-clang := ld.lld
KLINK_pie-clang    := ld.lld
# -O0 builds, and an LTO build linked with --gc-sections (the config must
# survive both).
KFLAV_static-O0 := $(KFLAV_static) -O0
KFLAV_pie-clang-O0 := -fPIE -O0
KCC_pie-clang-O0 := clang
KLD_static-O0 := $(KLD_static)
KLD_pie-clang-O0 := $(KLD_pie-clang)
KLINK_pie-clang-O0 := ld.lld
KFLAV_pie-O0 := $(KFLAV_pie) -O0
KLD_pie-O0 := $(KLD_pie)
KCC_static-clang-O0 := clang
KFLAV_static-clang-O0 := -fno-pic -mcmodel=kernel -O0
KLD_static-clang-O0 := $(KLD_static-clang)
KLINK_static-clang-O0 := ld.lld
KFLAV_static-lto := $(KFLAV_static) -flto
KLINK_static-lto := $(KCC) -flto -O2 -fno-pic -mcmodel=kernel -nostdlib -static
KLD_static-lto := -Wl,-z,max-page-size=0x1000 -Wl,-Ttext-segment=0xffffffff80000000 \
                  -Wl,--gc-sections -Wl,-e,_start

KLIB_SRC := tests/kernels/ktest.c tests/kernels/kcheck.c common/fmt.c common/string.c

# name:flavour
TEST_KERNELS := k_default:static k_physmem:static k_pie:pie k_base:pie k_noconfig:static \
                k_ramdisk:static k_fbmin:static k_fbbig:static k_bigmem:static k_exit:static \
                k_higher:static k_stack:static k_stack_big:static k_stack_fixed:static \
                k_wrusable:static k_aslr:pie k_panic:static k_old124:static k_old115:static \
                k_sentinel:static k_fixedmaps:static

define kflavour
$(B)/kobj/$(1)/%.o: %.c $(wildcard common/include/*.h tests/kernels/*.h)
	@mkdir -p $$(dir $$@)
	$$(or $$(KCC_$(1)),$$(KCC)) $$(KCFLAGS) $$(KFLAV_$(1)) $$(if $$(findstring ktest,$$<),-mgeneral-regs-only -fno-lto) -c $$< -o $$@
endef
$(foreach f,static pie static-clang pie-clang static-O0 pie-clang-O0 static-lto pie-O0 static-clang-O0,$(eval $(call kflavour,$(f))))

# kernel SOURCE FLAVOUR OUTPUT
define kernel
$(B)/kernels/$(3): $(B)/kobj/$(2)/tests/kernels/$(1).o $(patsubst %.c,$(B)/kobj/$(2)/%.o,$(KLIB_SRC))
	@mkdir -p $$(dir $$@)
	$$(or $$(KLINK_$(2)),ld) $$(KLD_$(2)) $$^ -o $$@
KERNEL_BINS += $(B)/kernels/$(3)
endef
$(foreach k,$(TEST_KERNELS),$(eval $(call kernel,$(word 1,$(subst :, ,$(k))),$(word 2,$(subst :, ,$(k))),$(word 1,$(subst :, ,$(k))))))
$(eval $(call kernel,k_pie,pie-clang,k_pie_clang))
$(eval $(call kernel,k_physmem,static-clang,k_physmem_clang))
$(eval $(call kernel,k_physmem,static-O0,k_physmem_O0))
$(eval $(call kernel,k_pie,pie-clang-O0,k_pie_clang_O0))
$(eval $(call kernel,k_default,static-lto,k_default_lto))
$(eval $(call kernel,k_default,static-O0,k_default_O0))
$(eval $(call kernel,k_default,static-clang,k_default_clang))
$(eval $(call kernel,k_higher,static-clang,k_higher_clang))
$(eval $(call kernel,k_default,static-clang-O0,k_default_clang_O0))
$(eval $(call kernel,k_physmem,static-clang-O0,k_physmem_clang_O0))
$(eval $(call kernel,k_pie,pie-O0,k_pie_O0))

# Malformed kernels for the loader's error paths, patched from good ones.
$(B)/kpatch: tests/tools/kpatch.c $(COMMON_SRC) $(wildcard common/include/*.h)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) $< $(COMMON_SRC) -o $@
$(B)/kernels/k_badreloc: $(B)/kernels/k_pie $(B)/kpatch
	$(B)/kpatch $< $@ reloc-type 0 1
$(B)/kernels/k_badconfig: $(B)/kernels/k_default $(B)/kpatch
	$(B)/kpatch $< $@ config-byte 31 2
$(B)/kernels/k_truncated: $(B)/kernels/k_default $(B)/kpatch
	$(B)/kpatch $< $@ truncate 4000
# A valid config the loader can only refuse while mapping: a fixed stack
# (guard page) right on the kernel's first page.
$(B)/kernels/k_stackclash: $(B)/kernels/k_default $(B)/kpatch
	$(B)/kpatch $< $@.tmp config-byte 31 1
	$(B)/kpatch $@.tmp $@ config-u64 32 0xffffffff80000000
	rm -f $@.tmp
# kernel_base fixed on a static (non-PIE) kernel: a config error.
$(B)/kernels/k_staticbase: $(B)/kernels/k_default $(B)/kpatch
	$(B)/kpatch $< $@.tmp config-byte 40 1
	$(B)/kpatch $@.tmp $@ config-u64 41 0x200000000000
	rm -f $@.tmp
KERNEL_BINS += $(B)/kernels/k_badreloc $(B)/kernels/k_badconfig $(B)/kernels/k_truncated \
               $(B)/kernels/k_stackclash $(B)/kernels/k_staticbase

# Ramdisks k_ramdisk verifies (header + byte i = (i * 7 + 3) % 251):
# $(B)/ramdiskN.bin is RAMDISK_SIZE_N bytes (other fragments add sizes), and
# ramdisk.bin an odd 1 MiB + 123.
RAMDISK_SIZE_16  := 16777216
RAMDISK_SIZE_256 := 268435456
$(B)/ramdisk%.bin: tests/mkpattern.py
	@mkdir -p $(dir $@)
	python3 tests/mkpattern.py $@ $(RAMDISK_SIZE_$*) --header
$(B)/ramdisk.bin: tests/mkpattern.py
	@mkdir -p $(dir $@)
	python3 tests/mkpattern.py $@ 1048699 --header
KERNEL_BINS += $(B)/ramdisk.bin $(B)/ramdisk16.bin $(B)/ramdisk256.bin

# boot.json files: one the sentinel kernel checks, one malformed, one that
# silences the loader's info lines.
$(B)/boot-good.json:
	@mkdir -p $(dir $@)
	printf '{ "frame_buffer": { "minimum_framebuffer_height": 1024, "minimum_framebuffer_width": 1280 },\n  "log_level": "Debug", "_test_sentinel": %s }\n' 18369614221190020847 > $@
$(B)/boot-bad.json:
	printf '{ "log_level": "Info", "_test_sentinel": 5' > $@
$(B)/boot-quiet.json:
	printf '{ "log_level": "Error" }' > $@
KERNEL_BINS += $(B)/boot-good.json $(B)/boot-bad.json $(B)/boot-quiet.json

# A kernel with 64 MiB of initialised data.
$(B)/blob64.bin: tests/mkpattern.py
	@mkdir -p $(dir $@)
	python3 tests/mkpattern.py $@ 67108864
$(B)/kobj/static/k_bigdata_blob.o: tests/kernels/k_bigdata_blob.S $(B)/blob64.bin
	@mkdir -p $(dir $@)
	$(KCC) -c -Wa,-I$(B) $< -o $@
$(B)/kernels/k_bigdata: $(B)/kobj/static/tests/kernels/k_bigdata.o $(B)/kobj/static/k_bigdata_blob.o \
		$(patsubst %.c,$(B)/kobj/static/%.o,$(KLIB_SRC))
	ld $(KLD_static) $^ -o $@
KERNEL_BINS += $(B)/kernels/k_bigdata

# Further fragments (one per area) add kernels to KERNEL_BINS and
# prerequisites to CHECK_DEPS.
include $(sort $(wildcard tests/mk/*.mk))

.PHONY: kernels
kernels: $(KERNEL_BINS) $(EXAMPLE_BINS)

# ---------------------------------------------------------------- unit tests
UNIT_TESTS := $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c))
UNIT_DEPS  := $(COMMON_SRC) tests/unit/t.h tests/unit/elfgen.h tests/unit/arena.h tests/unit/stub_platform.c $(wildcard common/include/*.h)
# test_gpt_backup and test_bios_records include stage2's fat.c and headers.
UNIT_DEPS  += stage2/fat.c $(wildcard stage2/*.h)
# SHA-NI (sha256.c's fast path, test_sha256.c)
UNIT_DEPS  += $(B)/host/sha256_ni.o

$(B)/unit/%: tests/unit/%.c $(UNIT_DEPS)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -Itests/unit $< $(COMMON_SRC) tests/unit/stub_platform.c $(B)/host/sha256_ni.o -o $@

$(B)/unit-san/%: tests/unit/%.c $(UNIT_DEPS)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) $(SAN_FLAGS) -Itests/unit $< $(COMMON_SRC) tests/unit/stub_platform.c $(B)/host/sha256_ni.o -o $@

# The seam, proven by the link: common/ plus a stub platform must link as a
# shared object with -z defs (no undefined symbol), with freestanding flags.
$(B)/seam/libcore.so: $(COMMON_FW) common/handoff.asm common/isr.asm common/smp.asm tests/unit/stub_platform.c $(wildcard common/include/*.h)
	@mkdir -p $(dir $@)
	$(NASM) -f elf64 common/handoff.asm -o $(B)/seam/handoff.o
	$(NASM) -f elf64 common/smp.asm -o $(B)/seam/smp.o
	$(NASM) -f elf64 common/isr.asm -o $(B)/seam/isr.o
	$(CC) -std=c11 -O2 -ffreestanding -fno-stack-protector -fpic -mno-red-zone \
	  -mgeneral-regs-only -fno-tree-loop-distribute-patterns $(WARN) -Wno-missing-prototypes \
	  -Icommon/include -DSTUB_FREESTANDING -nostdlib -shared -Wl,-z,defs \
	  $(COMMON_FW) tests/unit/stub_platform.c $(B)/seam/handoff.o $(B)/seam/isr.o $(B)/seam/smp.o -o $@

# C99 -pedantic and C++ builds of the public header.
$(B)/header/c99.o: common/include/elfboot.h tests/unit/header_c99.c
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=c99 -pedantic -Wall -Wextra -Werror -Icommon/include -c tests/unit/header_c99.c -o $@
$(B)/header/cxx.o: common/include/elfboot.h tests/unit/header_cxx.cc
	@mkdir -p $(dir $@)
	g++ -std=c++11 -pedantic -Wall -Wextra -Werror -Icommon/include -c tests/unit/header_cxx.cc -o $@

UNIT_BINS := $(addprefix $(B)/unit/,$(UNIT_TESTS)) $(addprefix $(B)/unit-san/,$(UNIT_TESTS))

unit: $(UNIT_BINS) $(B)/seam/libcore.so $(B)/header/c99.o $(B)/header/cxx.o

# ---------------------------------------------------------------- check
check: deps
	@$(MAKE) --no-print-directory all unit $(CHECK_DEPS)
	@sh tests/run-all.sh $(B)
