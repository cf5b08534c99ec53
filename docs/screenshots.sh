#!/bin/sh
# screenshots.sh [BUILD] [OUT] - regenerates the pictures in docs/img/: what
# a user sees on the screen, taken with QEMU's monitor `screendump` (PNG)
# on OVMF (UEFI):
#   boot-log.png   a boot with progress on the screen asked for
#                  (boot.json "frame_buffer_logging": true)
#   error.png      a kernel that fails a check: the loader's error stop
#   hello-fb.png   examples/hello's framebuffer output
# QEMU runs without the isa-debug-exit device, so a kernel's exit write
# does nothing and it halts with its screen intact; the picture is taken
# once a line on serial says the screen is final.  Needs BUILD/elfboot,
# the loaders, build/kernels/k_exit and BUILD/examples/hello (`make all
# BUILD/examples/hello`).
set -eu
B=${1:-build}
OUT=${2:-docs/img}
T=$(cd "$(dirname "$0")/.." && pwd)/tests
mkdir -p "$OUT"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# shot NAME IMAGE MARKER: boots IMAGE on OVMF, waits (60 s at most) for
# MARKER on serial, lets the screen settle, writes OUT/NAME.png.
shot() {
	cp /usr/share/OVMF/OVMF_VARS_4M.fd "$tmp/vars.fd"
	: > "$tmp/serial.log"
	qemu-system-x86_64 -machine q35 -cpu max -m 256M -display none -no-reboot \
		-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
		-drive if=pflash,format=raw,file="$tmp/vars.fd" \
		-drive format=raw,file="$2",snapshot=on \
		-serial "file:$tmp/serial.log" -monitor "unix:$tmp/mon,server,nowait" &
	pid=$!
	i=0
	while ! grep -qa -- "$3" "$tmp/serial.log" 2> /dev/null; do
		i=$((i + 1))
		if [ $i -gt 600 ] || ! kill -0 $pid 2> /dev/null; then
			kill $pid 2> /dev/null || true
			echo "screenshots: $1: no '$3' on serial" >&2
			exit 1
		fi
		sleep 0.1
	done
	sleep 1
	# HMP over the monitor socket: the picture, then quit.
	python3 - "$tmp/mon" "$(pwd)/$OUT/$1.png" <<'EOF'
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b"screendump %s -f png\n" % sys.argv[2].encode())
time.sleep(1)
s.sendall(b"quit\n")
try:
    while s.recv(4096):
        pass
except OSError:
    pass
EOF
	wait $pid 2> /dev/null || true
	[ -s "$OUT/$1.png" ] || { echo "screenshots: $1: no picture" >&2; exit 1; }
	echo "$OUT/$1.png: $(stat -c %s "$OUT/$1.png") bytes"
}

printf '{ "frame_buffer_logging": true }\n' > "$tmp/asked.json"
"$B/elfboot" image --uefi --config-file "$tmp/asked.json" -o "$tmp/log.img" "$B/kernels/k_exit" > /dev/null
shot boot-log "$tmp/log.img" 'elfboot: jumping to'

"$B/elfboot" image --uefi -o "$tmp/error.img" "$B/kernels/k_exit" > /dev/null
python3 "$T/damage.py" "$tmp/error.img" kernel-not-elf > /dev/null
shot error "$tmp/error.img" 'elfboot: halted'

"$B/elfboot" image --uefi -o "$tmp/hello.img" "$B/examples/hello" > /dev/null
shot hello-fb "$tmp/hello.img" 'done; exiting QEMU'
