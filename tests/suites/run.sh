#!/bin/sh
# run.sh BUILD - `elfboot run`: boots on BIOS and UEFI (disk, ISO, network)
# with the serial output on stdout; --test's exit statuses (0x10 -> 0, a
# failing kernel -> 1, a hang -> 124 with --timeout, QEMU refusing to start
# -> 3); the temporary directory gone after every run, SIGINT and SIGTERM
# included; the one-line messages for a missing QEMU or OVMF; --gdb attached
# for real (a hardware breakpoint on _start of a static and a PIE kernel);
# the examples/template kernel built out of tree with make and with cmake,
# its `make test` passing.  Every QEMU run is bounded.  Prints PASS/FAIL.
set -u
B=${1:-build}
R=$(cd "$(dirname "$0")/../.." && pwd)
E=$(cd "$B" && pwd)/elfboot
K=$(cd "$B" && pwd)/kernels
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/t"
# Every run makes its directory here: empty afterwards means cleaned up.
export TMPDIR="$tmp/t"

pass() { echo "PASS run: $1"; }
fail() { echo "FAIL run: $1"; }

# t NAME WANT_STATUS STDOUT_REGEX STDERR_REGEX -- elfboot run args...
t() {
	n=$1 want=$2 out_re=$3 err_re=$4
	shift 5
	timeout -k 5 120 "$E" run "$@" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	if [ "$rc" != "$want" ]; then
		fail "$n (status $rc, want $want; stderr: $(tail -2 "$tmp/err" | tr '\n' '|'))"
	elif [ -n "$out_re" ] && ! grep -qaE -- "$out_re" "$tmp/out"; then
		fail "$n (stdout lacks /$out_re/: $(tail -2 "$tmp/out" | tr '\n' '|'))"
	elif [ -n "$err_re" ] && ! grep -qaE -- "$err_re" "$tmp/err"; then
		fail "$n (stderr lacks /$err_re/: $(head -3 "$tmp/err" | tr '\n' '|'))"
	elif [ -n "$(ls -A "$tmp/t")" ]; then
		fail "$n (left behind in TMPDIR: $(ls -A "$tmp/t" | tr '\n' ' '))"
	else
		pass "$n"
	fi
	rm -rf "$tmp/t"/*
}

H="$B/examples/hello"
hello='hello from a kernel booted by elfboot'
t bios-hello 0 "$hello" 'with BIOS \(SeaBIOS\)' -- --bios --test --timeout 30 "$H"
t uefi-hello 0 "$hello" 'with UEFI \(OVMF ' -- --uefi --test --timeout 90 "$H"
t default-firmware-uefi 0 'ktest: PASS' 'with UEFI' -- --test --timeout 90 "$K/k_default"
t iso-bios 0 'ktest: PASS' 'from an ISO' -- --iso --bios --test --timeout 30 "$K/k_default"
t net-bios 0 'network boot: TFTP server' 'from the network' -- --net --bios --test --timeout 30 \
	"$K/k_default"
t ramdisk 0 'ktest: PASS' '' -- --bios --test --timeout 30 --ramdisk "$B/ramdisk.bin" \
	"$K/k_ramdisk"
# Arguments after -- reach QEMU and override the defaults (256 MiB).
t qemu-args 0 'ktest: 5[0-9]{5} KiB usable' '' -- --bios --test --timeout 30 "$K/k_default" -- -m 512M
t net-uefi 0 'ktest: PASS' 'from the network.*UEFI' -- --net --uefi --test --timeout 90 "$K/k_default"
# The kernel's exit code as the status.
t test-fail 1 'ktest: FAIL' 'wrote 0x11 to isa-debug-exit' -- --bios --test --timeout 30 \
	"$K/k_panic"
s=$(date +%s)
t test-timeout 124 'k_hang: running forever' 'timeout: QEMU stopped after 2 s' -- --bios --test \
	--timeout 2 "$K/k_hang"
[ $(($(date +%s) - s)) -le 10 ] || fail "test-timeout took $(($(date +%s) - s)) s for --timeout 2"
t qemu-refuses 3 '' 'invalid option' -- --bios --test --timeout 30 "$K/k_default" -- \
	-no-such-option
t kernel-refused 4 '' "elfboot: error: .*k_badconfig" -- --bios --test --timeout 30 \
	"$K/k_badconfig"
# QEMU splits option values at commas: a temporary directory with one
# (from TMPDIR) must still reach it whole.
mkdir "$tmp/c,d"
if TMPDIR="$tmp/c,d" timeout 60 "$E" run --bios --test --timeout 30 "$K/k_default" \
	> "$tmp/out" 2> "$tmp/err" && [ -z "$(ls -A "$tmp/c,d")" ]; then
	pass "comma in TMPDIR"
else
	fail "comma in TMPDIR ($(tail -2 "$tmp/err" | tr '\n' '|'))"
fi
t bad-timeout 4 '' "elfboot: error: run: --timeout: 'soon'" -- --timeout soon "$K/k_default"

# Missing software: one error line naming the Debian package; status 2.
# one NAME PACKAGE env... : the run fails with exactly one stderr line.
one() {
	n=$1 pkg=$2
	shift 2
	env "$@" "$E" run --test --timeout 30 "$K/k_default" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	if [ "$rc" = 2 ] && [ "$(wc -l < "$tmp/err")" = 1 ] &&
		grep -q "^elfboot: error: .*apt-get install $pkg\$" "$tmp/err"; then
		pass "$n"
	else
		fail "$n (status $rc; stderr: $(head -3 "$tmp/err" | tr '\n' '|'))"
	fi
}
one missing-qemu qemu-system-x86 PATH=/nonexistent
one missing-ovmf ovmf ELFBOOT_OVMF_CODE=/nonexistent
one missing-ovmf-vars ovmf ELFBOOT_OVMF_VARS=/nonexistent

# qemus: the processes whose command line names this suite's TMPDIR (only
# the QEMUs of its runs do).
qemus() {
	for c in /proc/[0-9]*/cmdline; do
		tr '\0' ' ' 2> /dev/null < "$c" | grep -q "$tmp/t/" && basename "${c%/cmdline}"
	done
}

# Signals: the run stops QEMU, removes its directory, and dies by the
# signal (the shell sees 128 + N).
# SIG:N:WHEN - WHEN: "serial" (QEMU is running the kernel) or "build" (the
# directory exists and the image with a 96 MiB ramdisk is being written).
for sn in INT:2:serial TERM:15:serial TERM:15:build; do
	sig=${sn%%:*} when=${sn##*:}
	rm -f "$tmp/sig.out"
	if [ "$when" = serial ]; then
		"$E" run --bios --timeout 60 "$K/k_hang" > "$tmp/sig.out" 2> "$tmp/sig.err" &
	else
		"$E" run --bios --timeout 60 --ramdisk "$B/ramdisk96.bin" "$K/k_ramdisk" \
			> "$tmp/sig.out" 2> "$tmp/sig.err" &
	fi
	p=$!
	i=0
	while [ $i -lt 300 ]; do
		case $when in
		serial) grep -qs 'running forever' "$tmp/sig.out" && break ;;
		build) [ -n "$(ls -A "$tmp/t")" ] && break ;;
		esac
		sleep 0.05
		i=$((i + 1))
	done
	kill -s $sig $p
	wait $p 2> /dev/null # (not the shell's "Terminated")
	rc=$?
	n=${sn#*:}
	want=$((128 + ${n%:*}))
	left=$(ls -A "$tmp/t")
	if [ "$rc" = "$want" ] && [ -z "$left" ] && [ -z "$(qemus)" ]; then
		pass "sig$sig ($when) removes the directory and QEMU"
	else
		fail "sig$sig ($when: status $rc, want $want; left: $left; QEMU still running: $(qemus))"
		for q in $(qemus); do kill "$q"; done
	fi
	rm -rf "$tmp/t"/*
done

# gdbstart KERNEL [run options]: `run --gdb` in the background ($p); $cmd
# is the gdb command line it printed.
gdbstart() {
	rm -f "$tmp/gdb.out" "$tmp/gdb.err" # (not the last run's command line)
	"$E" run --bios --gdb --timeout 60 "$@" > "$tmp/gdb.out" 2> "$tmp/gdb.err" &
	p=$!
	i=0
	while ! grep -qs '^gdb ' "$tmp/gdb.err" && kill -0 $p 2> /dev/null && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	cmd=$(grep '^gdb ' "$tmp/gdb.err")
}

# --gdb: run the printed command, plus a hardware breakpoint on the entry
# symbol, in gdb's batch mode: it must stop there, symbols at the address
# the loader used (its serial line says where it jumped).
gdbtest() {
	n=$1 k=$2
	gdbstart "$k"
	case "$cmd" in
	"gdb -ex 'symbol-file "*"' -ex 'target remote 127.0.0.1:"*"'") ;;
	*)
		fail "gdb-$n (no gdb command line: $(head -3 "$tmp/gdb.err" | tr '\n' '|'))"
		kill $p 2> /dev/null
		wait $p 2> /dev/null
		return ;;
	esac
	eval "timeout 60 gdb -batch -nx ${cmd#gdb } -ex 'hbreak _start' -ex continue \
		-ex 'info symbol \$pc' -ex kill" > "$tmp/gdb.log" 2>&1
	kill $p 2> /dev/null
	wait $p 2> /dev/null
	entry=$(readelf -h "$k" | awk '/Entry point/ { print $4 }')
	off=$(echo "$cmd" | sed -n 's/.* -o \(0x[0-9a-f]*\) .*/\1/p')
	want=$entry # (a static kernel's high address overflows sh arithmetic)
	[ -n "$off" ] && want=$(printf '0x%x' $((entry + off)))
	if grep -q "^_start in section .text" "$tmp/gdb.log" &&
		grep -qE "Breakpoint 1, 0x0*${want#0x} in _start" "$tmp/gdb.log" &&
		grep -qaE "elfboot: jumping to $want " "$tmp/gdb.out" && [ -z "$(ls -A "$tmp/t")" ]; then
		pass "gdb-$n (stopped at _start, $want)"
	else
		fail "gdb-$n (want a stop at _start = $want: $(grep -E 'Breakpoint|_start|rror' "$tmp/gdb.log" | head -3 | tr '\n' '|'))"
	fi
	rm -rf "$tmp/t"/*
}
gdbtest static "$K/k_default"
gdbtest pie "$K/k_pie"
# With aslr the offset is known only at boot: the run passes the serial
# output through, and prints the symbol-file command for the offset the
# loader's "jumping to" line gives (that address = offset + ELF entry).
gdbstart --test "$K/k_aslr"
eval "timeout 60 gdb -batch -nx ${cmd#gdb } -ex continue" > "$tmp/gdb.log" 2>&1
wait $p
rc=$?
if [ "$rc" = 0 ] && python3 - "$K/k_aslr" "$tmp/gdb.out" "$tmp/gdb.err" <<'EOF'
import re, struct, sys
entry = struct.unpack_from("<Q", open(sys.argv[1], "rb").read(), 24)[0]
jump = int(re.search(rb"elfboot: jumping to (0x[0-9a-f]+) ", open(sys.argv[2], "rb").read()).group(1), 16)
m = re.search(r"kernel loaded at offset (0x[0-9a-f]+); in gdb: symbol-file -o (0x[0-9a-f]+) /",
              open(sys.argv[3]).read())
assert m and m.group(1) == m.group(2), "no offset line"
assert int(m.group(1), 16) + entry == jump, (m.group(1), hex(entry), hex(jump))
EOF
then
	pass "gdb-aslr (offset from the loader's line; kernel passed through gdb)"
else
	fail "gdb-aslr (status $rc; $(grep -E 'offset|error' "$tmp/gdb.err" | head -2 | tr '\n' '|'))"
fi
rm -rf "$tmp/t"/*

# The template, copied out of the tree, built with make and with cmake;
# its self-tests pass through `elfboot run --test` (make: default firmware,
# cmake: BIOS).
cp -r "$R/examples/template" "$tmp/tpl-make"
if make -C "$tmp/tpl-make" ELFBOOT="$E" ELFBOOT_INCLUDE="$R/common/include" test \
	> "$tmp/tpl.log" 2>&1 && grep -q 'all tests passed' "$tmp/tpl.log" &&
	[ -z "$(ls -A "$tmp/t")" ]; then
	pass "template make test"
else
	fail "template make test ($(grep -E 'rror|FAIL|status' "$tmp/tpl.log" | head -3 | tr '\n' '|'))"
fi
cp -r "$R/examples/template" "$tmp/tpl-cmake"
if command -v cmake > /dev/null &&
	cmake -S "$tmp/tpl-cmake" -B "$tmp/tpl-cmake/build" -DELFBOOT="$E" \
		-DELFBOOT_INCLUDE="$R/common/include" -DELFBOOT_RUNFLAGS=--bios > "$tmp/cm.log" 2>&1 &&
	cmake --build "$tmp/tpl-cmake/build" >> "$tmp/cm.log" 2>&1 &&
	(cd "$tmp/tpl-cmake/build" && ctest -V) >> "$tmp/cm.log" 2>&1 &&
	grep -q 'all tests passed' "$tmp/cm.log"; then
	pass "template cmake + ctest"
else
	fail "template cmake + ctest ($(grep -E 'rror|FAIL|Failed' "$tmp/cm.log" | head -3 | tr '\n' '|'))"
fi
