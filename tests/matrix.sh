#!/bin/sh
# matrix.sh BUILD [LIST] - the machine matrix (`make matrix`, not part of
# make check): boots one hybrid image of k_default (it checks its memory map
# and framebuffer, tests/kernels/kcheck.c) on SeaBIOS and on OVMF, one
# machine a line of LIST (default tests/matrix.list), two QEMUs at a time.
# A line: NAME KEY=VALUE...  with keys machine, cpu, smp, mem, disk (qemu.sh's
# QEMU_* knobs) and fat=auto (the image built with --fat-auto: FAT16 here);
# unset keys keep the baseline (q35, max, smp 1, 256M, QEMU's default disk,
# the FAT32 ESP).  An OVMF run stops as soon as the firmware reports it could
# not load the disk's boot option (a firmware outcome, not a timeout).  Prints "PASS|FAIL fw/NAME (seconds ...)" a run, writes a
# Markdown table to BUILD/matrix/table.md and the serial logs to
# BUILD/matrix/.  Exits non-zero if any run failed.
set -u
T=$(dirname "$0")

# One run (xargs calls back): --one BUILD FW NAME KEY=VALUE...
if [ "${1:-}" = --one ]; then
	B=$2 fw=$3 name=$4
	shift 4
	QEMU_MACHINE=q35 QEMU_CPU=max QEMU_SMP=1 QEMU_MEM=256M QEMU_DISK= img=k_default.img
	for kv in "$@"; do
		case "$kv" in
		machine=*) QEMU_MACHINE=${kv#*=} ;;
		cpu=*) QEMU_CPU=${kv#*=} ;;
		smp=*) QEMU_SMP=${kv#*=} ;;
		mem=*) QEMU_MEM=${kv#*=} ;;
		disk=*) QEMU_DISK=${kv#*=} ;;
		fat=auto) img=k_default-fat-auto.img ;;
		*) echo "FAIL $fw/$name (unknown setting $kv)"; exit 1 ;;
		esac
	done
	export QEMU_MACHINE QEMU_CPU QEMU_SMP QEMU_MEM QEMU_DISK
	log="$B/matrix/$fw-$name.log"
	start=$(date +%s.%N)
	# The disk's boot option failing (OVMF names it after the controller;
	# not the DVD's or the network's) ends OVMF's useful part; a timeout is
	# the last resort.
	stop='BdsDxe: failed to load Boot[0-9A-F]+ "UEFI (Misc Device|QEMU (QEMU )?(HARDDISK|NVMe|USB))'
	tmo=${MATRIX_TIMEOUT:-150}
	[ "$fw" = bios ] && stop="" tmo=${MATRIX_TIMEOUT:-60}
	nice -n 5 sh "$T/qemu.sh" "$fw" "$B/matrix/$img" "$tmo" --log "$log" \
		${stop:+--stop-on "$stop"} 2> "$log.err"
	rc=$?
	secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	if [ "$rc" = 0 ]; then
		res="PASS $fw/$name (${secs}s)"
	else
		# The first line that says why: the kernel's check, elfboot's
		# error, or the firmware's own complaint.
		why=$(tr -d '\033\r' < "$log" | sed 's/\[[0-9;=]*[A-Za-z]//g' |
			grep -aE "ktest: check failed|CPU exception|elfboot: error|stage1 E|failed to load|[Nn]o bootable|ASSERT|[Oo]ut of resources" |
			grep -av "DVD-ROM" | sed 's/ from PciRoot[^:]*:/ from ...:/' | head -1)
		[ "$rc" = 4 ] && why="firmware: $why" 
		[ -n "$why" ] || why=$(grep -v '^$' "$log.err" | tail -1)
		res="FAIL $fw/$name (${secs}s, qemu.sh status $rc${why:+: $why})"
	fi
	echo "$res" > "$B/matrix/$fw-$name.res"
	echo "$res"
	exit 0
fi

B=${1:-build}
list=${2:-$T/matrix.list}
out="$B/matrix"
mkdir -p "$out"
rm -f "$out"/*.res
"$B/elfboot" image --unchecked -o "$out/k_default.img" "$B/kernels/k_default" > "$out/image.log" 2>&1 ||
	{ echo "FAIL matrix (image build: $(tail -1 "$out/image.log"))"; exit 1; }
"$B/elfboot" image --unchecked --fat-auto -o "$out/k_default-fat-auto.img" "$B/kernels/k_default" \
	>> "$out/image.log" 2>&1 ||
	{ echo "FAIL matrix (image build: $(tail -1 "$out/image.log"))"; exit 1; }
sed -e '/^#/d' -e '/^[[:space:]]*$/d' "$list" > "$out/cases"
while read -r name rest; do
	# (no trailing blank: xargs -L would join the next line)
	echo "bios $name${rest:+ $rest}"
	echo "uefi $name${rest:+ $rest}"
done < "$out/cases" > "$out/jobs"
xargs -P "${MATRIX_JOBS:-2}" -L 1 sh "$0" --one "$B" < "$out/jobs"

# The table, in list order.
cell() {
	r=$(cat "$out/$1-$2.res" 2>/dev/null) || { echo "no result"; return; }
	secs=${r#*(}
	secs=${secs%%s*}
	why=${r#*status }
	case "$r" in
	PASS*) echo "pass ${secs} s" ;;
	*firmware:*) echo "no boot (firmware) ${secs} s: ${why#*firmware: }" | sed 's/)$//; s/|/\\|/g' ;;
	*) echo "**FAIL** ${secs} s: status ${why%)}" | sed 's/|/\\|/g' ;;
	esac
}
{
	echo "| case | machine | SeaBIOS | OVMF |"
	echo "|---|---|---|---|"
	while read -r name rest; do
		echo "| $name | ${rest:-baseline} | $(cell bios "$name") | $(cell uefi "$name") |"
	done < "$out/cases"
} > "$out/table.md"
! grep -q "^FAIL" "$out"/*.res
