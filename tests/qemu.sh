#!/bin/sh
# qemu.sh - boots a disk image under QEMU (TCG) with a hard timeout.
#   qemu.sh uefi|bios IMAGE TIMEOUT_S [--gui] [--log FILE] [--keep-vars FILE]
#           [-- extra qemu args]
# UEFI runs use a copy of $OVMF_VARS, or FILE itself with --keep-vars (to
# warm a variable store).
# Serial (COM1) goes to stdout, or to FILE with --log.  Exit status:
#   0  the kernel reported PASS (isa-debug-exit 0x10 -> QEMU status 33)
#   1  the kernel reported FAIL (0x11 -> 35)
#   2  elfboot stopped with an error ("elfboot: halted." on serial)
#   3  timeout, or QEMU ended any other way (triple fault, reset)
set -u
mode=$1 img=$2 tmo=$3
shift 3
gui=0 log="" keep=""
while [ $# -gt 0 ]; do
	case "$1" in
	--gui) gui=1 ;;
	--log) log=$2; shift ;;
	--keep-vars) keep=$2; shift ;;
	--) shift; break ;;
	*) break ;;
	esac
	shift
done
OVMF_CODE=${OVMF_CODE:-/usr/share/OVMF/OVMF_CODE_4M.fd}
OVMF_VARS=${OVMF_VARS:-/usr/share/OVMF/OVMF_VARS_4M.fd}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fw=""
if [ "$mode" = uefi ]; then
	vars="$tmp/vars.fd"
	if [ -n "$keep" ]; then vars=$keep; else cp "$OVMF_VARS" "$vars"; fi
	fw="-drive if=pflash,format=raw,readonly=on,file=$OVMF_CODE -drive if=pflash,format=raw,file=$vars"
fi
display="-display none"
[ "$gui" = 1 ] && display=""
[ -n "$log" ] || log="$tmp/serial.log"
: > "$log"
if [ -n "${QEMU_NOWATCH:-}" ]; then
	# Benchmarks: no polling (it would quantise the timing); QEMU runs in
	# the foreground under timeout(1), and its exit status decides.
	# shellcheck disable=SC2086
	timeout -k 2 "$tmo" qemu-system-x86_64 -machine q35 -cpu max -m "${QEMU_MEM:-256M}" $fw \
		-drive format=raw,file="$img",snapshot=on -serial "file:$log" $display \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 -no-reboot "$@" 2> "$tmp/qemu.err"
	rc=$?
	[ "$rc" = 33 ] && exit 0
	[ "$rc" = 35 ] && exit 1
	exit 3
fi
# shellcheck disable=SC2086
qemu-system-x86_64 -machine q35 -cpu max -m "${QEMU_MEM:-256M}" $fw \
	-drive format=raw,file="$img",snapshot=on -serial "file:$log" $display \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 -no-reboot "$@" 2> "$tmp/qemu.err" &
pid=$!
# Wait for QEMU to end, for the loader to halt, or for the timeout.
ticks=0 halted=0
while kill -0 "$pid" 2>/dev/null; do
	if grep -q "elfboot:.*halted" "$log" 2>/dev/null; then
		halted=1
		sleep 0.2
		kill "$pid" 2>/dev/null
		break
	fi
	if [ "$ticks" -ge $((tmo * 10)) ]; then
		kill "$pid" 2>/dev/null
		sleep 0.5
		kill -9 "$pid" 2>/dev/null
		break
	fi
	sleep 0.1
	ticks=$((ticks + 1))
done
wait "$pid" 2>/dev/null
rc=$?
[ "$log" = "$tmp/serial.log" ] && tr -d '\033' < "$log"
grep -v "terminating on signal" "$tmp/qemu.err" >&2
if [ "$halted" = 1 ]; then exit 2; fi
case "$rc" in
33) exit 0 ;;
35) exit 1 ;;
*) [ "$ticks" -ge $((tmo * 10)) ] && echo "qemu.sh: timeout after ${tmo}s" >&2; exit 3 ;;
esac
