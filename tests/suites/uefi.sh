#!/bin/sh
# uefi.sh BUILD - UEFI front-end boot tests that need more than one
# tests/boot line can say: how often a line reaches the serial port (the two
# logging switches, on both firmwares), an ExitBootServices that never
# succeeds (the error must come out on serial exactly once, with no firmware
# call after the failed attempt), and ESPs damaged with mtools.  Prints
# "PASS x" / "FAIL x" lines; logs in BUILD/logs/.
set -u
B=${1:-build}
T=$(cd "$(dirname "$0")/.." && pwd)
BOOT_TIMEOUT="${BOOT_TIMEOUT:-90}"
export BOOT_TIMEOUT

. "$T/count-lines.sh"
# count MODE NAME REGEX WANT: how many serial lines of the test's log match.
count() {
	count_lines "$1/$2" "$B/logs/$1-$2.log" serial "$3" "$4"
}

# The switches are independent: the kernel's info line reaches the serial
# port exactly when serial_logging is on, and never twice (the UEFI
# firmware's own console mirrors to the same UART).
for s in true false; do
	for c in true false; do
		name=log-screen-$s-serial-$c
		rm -f "$B/logs/bios-$name.log" "$B/logs/uefi-$name.log"
		sh "$T/boot-test.sh" "$B" "$name" bios,uefi 256M "$B/kernels/k_default" pass - \
			--config-file "$B/boot-log-$s-$c.json"
		want=0
		[ "$c" = true ] && want=1
		for m in bios uefi; do
			count "$m" "$name" "elfboot: kernel [0-9]+ bytes" "$want"
		done
	done
done

# ExitBootServices fails every time (a stale key on each attempt): one error
# line on serial, then the halt.  Any ConOut or boot-service use after the
# first attempt faults (the front end poisons those pointers), so the halt
# line is missing or an exception shows if the error path touches them.
rm -f "$B/logs/uefi-exit-fail.log"
sh "$T/boot-test.sh" "$B" exit-fail uefi 256M "$B/kernels/k_default" error \
	'elfboot: error: uefi: ExitBootServices failed 8 times \(status 0x8000000000000002' \
	--config-file "$B/boot-exit-fail.json"
count uefi exit-fail 'ExitBootServices failed' 1
count uefi exit-fail 'elfboot: halted' 1
count uefi exit-fail 'Exception|CPU exception' 0

# damaged NAME KERNEL DAMAGE REGEX: an image whose ESP was changed after the
# build must halt with a line matching REGEX.
damaged() {
	img="$B/images/uefi-$1.img" log="$B/logs/uefi-$1.log"
	mkdir -p "$B/images" "$B/logs"
	if ! "$B/elfboot" image --uefi --unchecked -o "$img" "$2" > "$B/logs/uefi-$1.build" 2>&1 ||
	   ! python3 "$T/damage.py" "$img" "$3" >> "$B/logs/uefi-$1.build" 2>&1; then
		echo "FAIL uefi/$1 (image: $(tail -1 "$B/logs/uefi-$1.build"))"
		return
	fi
	sh "$T/qemu.sh" uefi "$img" "$BOOT_TIMEOUT" --log "$log"
	rc=$?
	if [ "$rc" = 2 ] && grep -qaE -- "$4" "$log"; then
		echo "PASS uefi/$1"
	else
		echo "FAIL uefi/$1 (qemu.sh status $rc, want 2 and /$4/; got: $(grep -a 'elfboot: error' "$log" | head -1))"
	fi
}
# (A directory for a kernel: img-kernel-dir in tests/boot/corpus.list, on
# both firmwares; damage kinds: tests/damage.py --list.)
damaged kernel-not-elf "$B/kernels/k_default" kernel-not-elf \
	'elfboot: error: kernel-x86_64: elf: file is 28 bytes, too small for an ELF header'
