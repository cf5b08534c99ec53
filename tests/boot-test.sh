#!/bin/sh
# boot-test.sh - one QEMU boot test: builds one image, boots it on each
# firmware named, and decides.
#   boot-test.sh BUILD NAME MODES MEM KERNEL EXPECT TEXT [IMAGE-OPTIONS...]
# MODES: bios, uefi or bios,uefi (one hybrid image booted both ways).
# EXPECT: pass (the kernel exits PASS), fail (the kernel must report FAIL:
# a failing kernel is detected), aslr (boots twice, both pass, and the
# "ktest: aslr layout" lines differ) or error (the loader halts with an
# error line matching TEXT, a regex).  For pass/fail, a TEXT other than "-"
# must appear in the serial log, or with a leading "!" must not.  Prints "PASS mode/name" or
# "FAIL mode/name (why)" per mode; serial logs go to BUILD/logs/.
# Options taken out of IMAGE-OPTIONS by this script (the rest go to
# `elfboot image`):
#   --damage KIND[,KIND]  break the built image with tests/damage.py (kinds:
#                         tests/damage.py --list); may be repeated
#   --expect-bios EXPECT TEXT, --expect-uefi EXPECT TEXT
#                         that firmware's outcome differs: its own EXPECT/TEXT
#   --qemu-machine M, --qemu-cpu C, --qemu-smp N, --qemu-disk D
#                         the machine (tests/qemu.sh's QEMU_* knobs; --qemu-disk
#                         cdrom boots the image as a CD)
# --iso is passed on (an ISO image for both firmwares, also for one MODE).
# A further EXPECT, firmware: the firmware itself gives up before elfboot
# runs (e.g. OVMF finds no bootable ESP); TEXT is the firmware's serial line,
# and QEMU is stopped as soon as it appears (qemu.sh --stop-on).
# Names ending in -missing-kernel, -fat-loop or -stage2-damaged damage the
# image as --damage missing-kernel, fat-loop or stage2 would.
set -u
B=$1 name=$2 modes=$3 mem=$4 kernel=$5 expect=$6 text=$7
shift 7
T=$(dirname "$0")
damage=""
case "$name" in
*-missing-kernel) damage=missing-kernel ;;
*-fat-loop) damage=fat-loop ;;
*-stage2-damaged) damage=stage2 ;;
esac
x_bios=$expect t_bios=$text x_uefi=$expect t_uefi=$text iso=0
n=$#
while [ "$n" -gt 0 ]; do
	a=$1
	shift
	n=$((n - 1))
	case "$a" in
	--damage) damage="${damage:+$damage,}$1"; shift; n=$((n - 1)) ;;
	--expect-bios) x_bios=$1 t_bios=$2; shift 2; n=$((n - 2)) ;;
	--expect-uefi) x_uefi=$1 t_uefi=$2; shift 2; n=$((n - 2)) ;;
	--qemu-machine) export QEMU_MACHINE=$1; shift; n=$((n - 1)) ;;
	--qemu-cpu) export QEMU_CPU=$1; shift; n=$((n - 1)) ;;
	--qemu-smp) export QEMU_SMP=$1; shift; n=$((n - 1)) ;;
	--qemu-disk) export QEMU_DISK=$1; shift; n=$((n - 1)) ;;
	--iso) iso=1; set -- "$@" "$a" ;;
	*) set -- "$@" "$a" ;;
	esac
done
mkdir -p "$B/logs" "$B/images"
img="$B/images/$name.img"
flags=""
case "$modes" in
bios) flags=--bios ;;
uefi) flags=--uefi ;;
esac
# An ISO (--iso) is one image for both firmwares, booted as QEMU_DISK says
# (cdrom: as a CD; otherwise as a disk or USB stick).
[ "$iso" = 1 ] && flags="" && img="$B/images/$name.iso"
if ! "$B/elfboot" image $flags --unchecked "$@" -o "$img" "$kernel" > "$B/logs/$name.build" 2>&1; then
	for m in $(echo "$modes" | tr , ' '); do
		echo "FAIL $m/$name (image build failed: $(tail -1 "$B/logs/$name.build"))"
	done
	exit 1
fi
if [ -n "$damage" ] && ! python3 "$T/damage.py" "$img" "$damage" > "$B/logs/$name.damage" 2>&1; then
	for m in $(echo "$modes" | tr , ' '); do
		echo "FAIL $m/$name (damage $damage failed: $(tail -1 "$B/logs/$name.damage"))"
	done
	exit 1
fi
status=0
for m in $(echo "$modes" | tr , ' '); do
	log="$B/logs/$m-$name.log"
	eval "expect=\$x_$m text=\$t_$m"
	stop=""
	[ "$expect" = firmware ] && stop=$text
	start=$(date +%s.%N)
	QEMU_MEM=$mem sh "$T/qemu.sh" "$m" "$img" "${BOOT_TIMEOUT:-240}" --log "$log" ${stop:+--stop-on "$stop"}
	rc=$?
	if [ "$expect" = aslr ] && [ "$rc" = 0 ]; then
		QEMU_MEM=$mem sh "$T/qemu.sh" "$m" "$img" "${BOOT_TIMEOUT:-240}" --log "$log.2"
		rc=$?
		a=$(grep -a "ktest: aslr layout" "$log")
		b=$(grep -a "ktest: aslr layout" "$log.2")
		if [ "$rc" = 0 ] && [ -n "$a" ] && [ "$a" != "$b" ]; then
			echo "PASS $m/$name (two boots: ${a#ktest: aslr layout } / ${b#ktest: aslr layout })"
			continue
		fi
		echo "FAIL $m/$name (rc $rc; boots gave '$a' and '$b')"
		status=1
		continue
	fi
	secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	case "$expect:$rc" in
	pass:0|fail:1)
		# TEXT must appear in the log; !TEXT must not.
		if [ "$text" = - ] || { [ "${text#!}" = "$text" ] && grep -qaE -- "$text" "$log"; } ||
		   { [ "${text#!}" != "$text" ] && ! grep -qaE -- "${text#!}" "$log"; }; then
			echo "PASS $m/$name (${secs}s)"
			continue
		fi
		echo "FAIL $m/$name (passed, but /$text/ is not in the log)"
		status=1
		continue ;;
	firmware:4)
		echo "PASS $m/$name (${secs}s, firmware stopped at /$text/)"
		continue ;;
	error:2)
		if grep -qE -- "$text" "$log"; then
			echo "PASS $m/$name (${secs}s)"
			continue
		fi
		echo "FAIL $m/$name (halted without /$text/: $(grep -a 'elfboot:.*error\|E[0-9] halted' "$log" | head -1))"
		status=1
		continue ;;
	esac
	why=$(grep -aE "ktest: check failed|CPU exception|elfboot: error|stage1 E" "$log" | head -1)
	echo "FAIL $m/$name (qemu.sh status $rc, expected $expect${why:+: $why}; log $log)"
	status=1
done
exit $status
