#!/bin/sh
# boot-test.sh - one QEMU boot test: builds the image, boots it, decides.
#   boot-test.sh BUILD NAME MODE KERNEL EXPECT [TEXT] [IMAGE-OPTIONS...]
# EXPECT: pass (the kernel exits PASS) or error (elfboot halts with an error
# line containing TEXT).  Prints "PASS name" or "FAIL name (why)"; the serial
# log stays in BUILD/logs/NAME.log.
set -u
B=$1 name=$2 mode=$3 kernel=$4 expect=$5 text=$6
shift 6
mkdir -p "$B/logs" "$B/images"
img="$B/images/$name.img"
log="$B/logs/$name.log"
pre=""
case "$name" in
*missing-kernel*) pre=missing ;;
esac
if ! "$B/elfboot" image --$mode --unchecked "$@" -o "$img" "$kernel" > "$log.build" 2>&1; then
	echo "FAIL $name (image build failed: $(tail -1 "$log.build"))"
	exit 1
fi
if [ "$pre" = missing ]; then
	MTOOLS_SKIP_CHECK=1 mdel -i "$img@@1M" ::/kernel-x86_64
fi
start=$(date +%s.%N)
sh "$(dirname "$0")/qemu.sh" "$mode" "$img" "${BOOT_TIMEOUT:-120}" --log "$log"
rc=$?
secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
case "$expect:$rc" in
pass:0) echo "PASS $name (${secs}s)"; exit 0 ;;
error:2)
	if grep -q -- "$text" "$log"; then
		echo "PASS $name (${secs}s)"
		exit 0
	fi
	echo "FAIL $name (halted without '$text': $(grep 'elfboot: error' "$log" | head -1))"
	exit 1 ;;
esac
why=$(grep -E "ktest: check failed|CPU exception|elfboot: error" "$log" | head -1)
echo "FAIL $name (qemu.sh status $rc, expected $expect${why:+: $why}; log $log)"
exit 1
