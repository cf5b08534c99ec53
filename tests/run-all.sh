#!/bin/sh
# run-all.sh BUILD - every test of `make check`: host unit tests (plain and
# ASan/UBSan), the header and seam builds, the host tool's CLI, and the QEMU
# boot tests (two at a time: QEMU's TCG uses one core each).  Ends with
# "N passed, N failed"; exits non-zero if anything failed.
set -u
B=${1:-build}
T=$(dirname "$0")
pass=0
fail=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

count() { # reads PASS/FAIL lines on stdin, echoes them, updates counters via file
	while IFS= read -r line; do
		echo "$line"
		case "$line" in
		PASS*) echo p >> "$out" ;;
		FAIL*) echo f >> "$out" ;;
		esac
	done
}
ok() { echo "PASS $1" | count; }
ko() { echo "FAIL $1" | count; }
check() { # check NAME CMD... : passes if CMD exits 0
	name=$1
	shift
	if "$@" > /dev/null 2>&1; then ok "$name"; else ko "$name"; fi
}

echo "== host unit tests"
for t in "$B"/unit/* "$B"/unit-san/*; do
	kind=$(basename "$(dirname "$t")")
	res=$("$t" 2>&1)
	rc=$?
	echo "$res" | grep -E '^(PASS|FAIL) ' | sed -E "s#^(PASS|FAIL) #\1 $kind/$(basename "$t"): #" | count
	if [ $rc -ne 0 ]; then
		echo "$res" | grep -vE '^(PASS|FAIL) ' | head -20
		echo "$res" | grep -qE '^FAIL ' || ko "$kind/$(basename "$t") (exit $rc)"
	fi
done

echo "== builds"
check "seam: common/ + stub platform links with -z defs" test -s "$B/seam/libcore.so"
check "header: elfboot.h as C99 -pedantic" test -s "$B/header/c99.o"
check "header: elfboot.h as C++" test -s "$B/header/cxx.o"
check "seam: common/ has no firmware header, call or #ifdef" sh -c "! grep -rnE '#include <efi|uefi_call_wrapper|EFI_[A-Z_]+|int +0x1[0-9a-f]|#if.*(UEFI|BIOS|EFI)' common/"

echo "== host tool"
sh "$T/tool-tests.sh" "$B" | count

echo "== QEMU boot tests (OVMF)"
# name mode kernel expect text [image options]
# name modes memory kernel expect text [image options]; "both" = one hybrid
# image booted under SeaBIOS and under OVMF.
both=bios,uefi
cat > "$B/boot-tests.txt" <<LIST
default $both 256M $B/kernels/k_default pass -
default-fat12 $both 256M $B/kernels/k_default pass - --fat-auto
physmem-recursive $both 256M $B/kernels/k_physmem pass -
pie $both 256M $B/kernels/k_pie pass -
pie-clang-lld $both 256M $B/kernels/k_pie_clang pass -
physmem-clang-lld $both 256M $B/kernels/k_physmem_clang pass -
kernel-base $both 256M $B/kernels/k_base pass -
ramdisk $both 256M $B/kernels/k_ramdisk pass - --ramdisk $B/ramdisk.bin
ramdisk-16m $both 256M $B/kernels/k_ramdisk pass - --ramdisk $B/ramdisk16.bin
fixed-mappings $both 256M $B/kernels/k_fixedmaps pass - --ramdisk $B/ramdisk.bin
default-gcc-O0 $both 256M $B/kernels/k_default_O0 pass -
default-clang-lld $both 256M $B/kernels/k_default_clang pass -
default-clang-O0 $both 256M $B/kernels/k_default_clang_O0 pass -
physmem-clang-O0 $both 256M $B/kernels/k_physmem_clang_O0 pass -
pie-gcc-O0 $both 256M $B/kernels/k_pie_O0 pass -
higher-half-clang-lld $both 256M $B/kernels/k_higher_clang pass -
ramdisk-256m $both 512M $B/kernels/k_ramdisk pass - --ramdisk $B/ramdisk256.bin
ramdisk-256m-fat16 bios 512M $B/kernels/k_ramdisk pass - --fat-auto --ramdisk $B/ramdisk256.bin
fb-1024x768 $both 256M $B/kernels/k_fbmin pass -
fb-1280x1024 $both 256M $B/kernels/k_fbbig pass -
mem-5g $both 5G $B/kernels/k_bigmem pass -
mem-64m $both 64M $B/kernels/k_default pass -
data-64m $both 256M $B/kernels/k_bigdata pass -
example $both 256M $B/examples/hello pass -
higher-half $both 256M $B/kernels/k_higher pass -
stack-4000-bytes $both 256M $B/kernels/k_stack pass -
stack-64m $both 256M $B/kernels/k_stack_big pass -
stack-fixed $both 256M $B/kernels/k_stack_fixed pass -
write-every-usable-byte $both 256M $B/kernels/k_wrusable pass -
config-124-bytes $both 256M $B/kernels/k_old124 pass -
config-115-bytes $both 256M $B/kernels/k_old115 pass -
lto-gc-sections $both 256M $B/kernels/k_default_lto pass -
physmem-gcc-O0 $both 256M $B/kernels/k_physmem_O0 pass -
pie-clang-O0 $both 256M $B/kernels/k_pie_clang_O0 pass -
aslr-two-boots-differ $both 256M $B/kernels/k_aslr aslr -
should-panic $both 256M $B/kernels/k_panic fail -
boot-json-sentinel $both 256M $B/kernels/k_sentinel pass elfboot:.boot.json.read,.log.level.4 --config-file $B/boot-good.json
boot-json-absent $both 256M $B/kernels/k_default pass elfboot:.jumping.to
boot-json-malformed $both 256M $B/kernels/k_default pass warning:.boot.json:.*at.byte.*using.the.defaults --config-file $B/boot-bad.json
boot-json-quiet $both 256M $B/kernels/k_default pass !elfboot:.(kernel|jumping) --config-file $B/boot-quiet.json
no-config $both 256M $B/kernels/k_noconfig error kernel.has.no..bootloader-config.section
bad-reloc $both 256M $B/kernels/k_badreloc error has.type.1;.only.R_X86_64_RELATIVE
bad-config $both 256M $B/kernels/k_badconfig error kernel_stack.at..bootloader-config.31:.byte.0x02
truncated $both 256M $B/kernels/k_truncated error lies.outside.the.4000-byte.file
static-kernel-base $both 256M $B/kernels/k_staticbase error kernel_base.is.fixed.*not.position-independent
stack-clash $both 256M $B/kernels/k_stackclash error guard.page.at.0xffffffff80000000.is.already.mapped
img-missing-kernel $both 256M $B/kernels/k_default error kernel.file..kernel-x86_64..not.found
img-fat-loop bios 256M $B/kernels/k_bigdata error fat:..kernel-x86_64.:.cluster.chain.continues.past
img-stage2-damaged bios 256M $B/kernels/k_default error stage1.E3.halted
LIST
# shellcheck disable=SC2016
xargs -P "${BOOT_JOBS:-2}" -L 1 sh -c 'exec sh "$0" "$@"' "$T/boot-test.sh" "$B" \
	< "$B/boot-tests.txt" | count

pass=$(grep -c p "$out")
fail=$(grep -c f "$out")
echo
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
