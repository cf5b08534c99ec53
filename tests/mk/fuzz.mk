# fuzz.mk - libFuzzer targets (fuzz/fuzz_*.c) with ASan and UBSan, built
# with clang from the very sources the loader and the tool use, unchanged.
#   make fuzz [FUZZ_RUNS=N] [FUZZ_TIME=S] [FUZZ_TARGETS="config elf"]
# runs each target from its committed seeds (fuzz/corpus/<t>) into a working
# corpus under build/fuzz/corpus/<t>; crashes go to build/fuzz/crashes/<t>/.
# make check builds them and runs a short smoke (tests/suites/fuzz.sh).
FUZZ_CC      ?= clang
FUZZ_RUNS    ?= 10000000
FUZZ_TIME    ?= 0
FUZZ_TARGETS ?= config bootcfg elf memmap fat load tool iso dhcp
FZ := $(B)/fuzz
FUZZ_BASE := -std=c11 -O1 -g $(WARN) -Wno-missing-prototypes -Icommon/include -D_GNU_SOURCE \
             -fno-omit-frame-pointer
FUZZ_CFLAGS := $(FUZZ_BASE) -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
# Coverage variant (libFuzzer's driver only replays the corpus).
FUZZ_COVFLAGS := $(FUZZ_BASE) -fsanitize=fuzzer -fprofile-instr-generate -fcoverage-mapping
# The core's console is silenced (STUB_FREESTANDING makes plat_putc a no-op).
FUZZ_CORE := $(COMMON_SRC) tests/unit/stub_platform.c -DSTUB_FREESTANDING
FUZZ_DEPS := fuzz/fuzz.h $(COMMON_SRC) $(wildcard common/include/*.h) tests/mk/fuzz.mk

# Sources per target (beyond fuzz/fuzz_<t>.c); fuzz_fat includes stage2/fat.c.
FUZZ_SRC_config  := $(FUZZ_CORE)
FUZZ_SRC_bootcfg := $(FUZZ_CORE)
FUZZ_SRC_elf     := $(FUZZ_CORE)
FUZZ_SRC_memmap  := $(FUZZ_CORE)
FUZZ_SRC_dhcp    := $(FUZZ_CORE)
FUZZ_SRC_fat     := $(FUZZ_CORE) -Istage2
FUZZ_SRC_iso     := $(FUZZ_CORE)
# The tool's simulated machine (the one `elfboot config check` uses).  vmm.c
# maps page by page: built without comparison tracing (edge coverage kept)
# it no longer takes three quarters of the time on large segments.
FUZZ_SRC_load    := $(filter-out common/vmm.c,$(FUZZ_CORE)) config-tool/sim.c -Iconfig-tool \
                    $(FZ)/obj/vmm-nocmp.o
$(FZ)/obj/vmm-nocmp.o: common/vmm.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fno-sanitize-coverage=trace-cmp -c $< -o $@
$(FZ)/bin/fuzz_load: $(FZ)/obj/vmm-nocmp.o
FUZZ_COVSRC_load := $(FUZZ_CORE) config-tool/sim.c -Iconfig-tool
# The tool's own sources, its main() renamed so libFuzzer's driver is main.
FUZZ_SRC_tool    := $(TOOL_SRC) -Iconfig-tool -Dmain=elfboot_tool_main -lelf

define fuzz_target
$(FZ)/bin/fuzz_$(1): fuzz/fuzz_$(1).c $(FUZZ_DEPS) $(wildcard stage2/*.[ch] config-tool/*.[ch])
	@mkdir -p $$(dir $$@)
	$$(FUZZ_CC) $$(FUZZ_CFLAGS) $$< $$(FUZZ_SRC_$(1)) -o $$@
$(FZ)/cov/fuzz_$(1): fuzz/fuzz_$(1).c $(FUZZ_DEPS) $(wildcard stage2/*.[ch] config-tool/*.[ch])
	@mkdir -p $$(dir $$@)
	$$(FUZZ_CC) $$(FUZZ_COVFLAGS) $$< $$(or $$(FUZZ_COVSRC_$(1)),$$(FUZZ_SRC_$(1))) -o $$@
endef
FUZZ_ALL := config bootcfg elf memmap fat load tool iso dhcp
$(foreach t,$(FUZZ_ALL),$(eval $(call fuzz_target,$(t))))

FUZZ_BINS := $(addprefix $(FZ)/bin/fuzz_,$(FUZZ_ALL))
CHECK_DEPS += $(FUZZ_BINS)

.PHONY: fuzz fuzz-bins fuzz-cov
fuzz-bins: $(FUZZ_BINS)
fuzz: $(addprefix $(FZ)/bin/fuzz_,$(FUZZ_TARGETS))
	@sh fuzz/run.sh long $(B) "$(FUZZ_TARGETS)" $(FUZZ_RUNS) $(FUZZ_TIME)
# Line coverage of the working corpus (after `make fuzz`), per source file.
fuzz-cov: $(addprefix $(FZ)/cov/fuzz_,$(FUZZ_TARGETS))
	@sh fuzz/run.sh cov $(B) "$(FUZZ_TARGETS)"
