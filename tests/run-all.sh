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
t0=$(date +%s)
sh "$T/tool-tests.sh" "$B" | count
echo "== host tool: $(($(date +%s) - t0)) s"

# Further suites: each tests/suites/*.sh BUILD prints PASS/FAIL lines.
# Two at a time (most run one QEMU at a time, TCG uses one core), each into
# its own file, printed in order afterwards; the network suite, the
# longest, first.  SUITE_JOBS=1 runs them one by one.
ls "$T"/suites/net.sh "$T"/suites/*.sh 2>/dev/null | awk '!seen[$0]++' > "$B/suites.txt"
# shellcheck disable=SC2016
xargs -P "${SUITE_JOBS:-2}" -I{} sh -c 'n=$(basename "$1" .sh); t0=$(date +%s)
	sh "$1" "$2" > "$2/suite-$n.out" 2>&1
	echo "== $n: $(($(date +%s) - t0)) s" >> "$2/suite-$n.out"' _ {} "$B" < "$B/suites.txt"
while IFS= read -r s; do
	echo "== $(basename "$s" .sh)"
	count < "$B/suite-$(basename "$s" .sh).out"
done < "$B/suites.txt"

echo "== QEMU boot tests (SeaBIOS and OVMF)"
# Every tests/boot/*.list file, $B and $both substituted.
for l in "$T"/boot/*.list; do
	sed -e '/^#/d' -e '/^[[:space:]]*$/d' -e "s#\$B#$B#g" -e 's#\$both#bios,uefi#g' "$l"
done > "$B/boot-tests.txt"
# shellcheck disable=SC2016
t0=$(date +%s)
xargs -P "${BOOT_JOBS:-2}" -L 1 sh -c 'exec sh "$0" "$@"' "$T/boot-test.sh" "$B" \
	< "$B/boot-tests.txt" | count
echo "== QEMU boot tests: $(($(date +%s) - t0)) s"

pass=$(grep -c p "$out")
fail=$(grep -c f "$out")
echo
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
