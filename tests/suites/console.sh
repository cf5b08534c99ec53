#!/bin/sh
# console.sh BUILD - the console policy at boot, on both firmwares: errors on
# screen and serial; progress (Info lines) on serial always and on screen
# only when boot.json's frame_buffer_logging asks.  What reached the
# loader's screen writer is read from QEMU's debugcon (port 0xe9), where
# boot.json's _test_screen_echo copies it; serial is COM1.  Prints
# "PASS x" / "FAIL x" lines; logs in BUILD/logs/.
set -u
B=${1:-build}
T=$(cd "$(dirname "$0")/.." && pwd)
BOOT_TIMEOUT="${BOOT_TIMEOUT:-90}"
mkdir -p "$B/logs" "$B/images"
. "$T/count-lines.sh"

# boot NAME JSON [DAMAGE]: one hybrid image of k_default with boot.json
# JSON, booted on both firmwares; leaves BUILD/logs/MODE-console-NAME.log
# (serial), .screen (debugcon) and .rc (qemu.sh's status).
boot() {
	img="$B/images/console-$1.img"
	printf '%s\n' "$2" > "$B/images/console-$1.json"
	if ! "$B/elfboot" image --config-file "$B/images/console-$1.json" -o "$img" \
		"$B/kernels/k_default" > "$B/logs/console-$1.build" 2>&1 ||
	   { [ -n "${3:-}" ] && ! python3 "$T/damage.py" "$img" "$3" >> "$B/logs/console-$1.build" 2>&1; }; then
		echo "FAIL console/$1 (image: $(tail -1 "$B/logs/console-$1.build"))"
		return 1
	fi
	for m in bios uefi; do
		l="$B/logs/$m-console-$1"
		rm -f "$l.log" "$l.screen"
		sh "$T/qemu.sh" "$m" "$img" "$BOOT_TIMEOUT" --log "$l.log" -- \
			-debugcon "file:$l.screen" 2> /dev/null
		echo $? > "$l.rc"
	done
}

# expect NAME MODE RC WHERE REGEX COUNT: REGEX matches COUNT lines of the
# serial log or of the screen copy (WHERE), after a boot that ended RC.
expect() {
	l="$B/logs/$2-console-$1"
	rc=$(cat "$l.rc" 2> /dev/null)
	if [ "$rc" != "$3" ]; then
		echo "FAIL $2/console-$1: qemu.sh status $rc, expected $3"
		return
	fi
	f=$l.log
	[ "$4" = screen ] && f=$l.screen
	count_lines "$2/console-$1" "$f" "$4" "$5" "$6"
}

INFO='elfboot: kernel [0-9]+ bytes'
JUMP='elfboot: jumping to 0x'

# Default settings: progress on serial only.  A minimum framebuffer no mode
# meets gives a warning in the same boot, which must reach the screen: the
# copy works, and only the progress lines are held back.
boot default '{ "_test_screen_echo": true, "frame_buffer": { "minimum_framebuffer_width": 60000 } }'
for m in bios uefi; do
	expect default $m 0 serial "$INFO" 1
	expect default $m 0 serial "$JUMP" 1
	expect default $m 0 screen "$INFO" 0
	expect default $m 0 screen "$JUMP" 0
	expect default $m 0 screen 'elfboot: warning: no video mode of at least 60000x' 1
done

# Asked: progress on both.
boot asked '{ "_test_screen_echo": true, "frame_buffer_logging": true }'
for m in bios uefi; do
	for where in serial screen; do
		expect asked $m 0 $where "$INFO" 1
		expect asked $m 0 $where "$JUMP" 1
	done
done

# A kernel that fails a check: the error on both, and no progress on the
# screen before it.  Both switches off must not hide it either.
boot error '{ "_test_screen_echo": true }' kernel-not-elf
boot error-quiet '{ "_test_screen_echo": true, "frame_buffer_logging": false, "serial_logging": false }' kernel-not-elf
for m in bios uefi; do
	for c in error error-quiet; do
		for where in serial screen; do
			expect $c $m 2 $where 'elfboot: error: kernel-x86_64: elf: ' 1
			expect $c $m 2 $where 'elfboot: halted' 1
		done
	done
done
