#!/bin/sh
# net.sh BUILD - network boot tests on QEMU's user-mode network (its DHCP and
# TFTP server) with the TFTP roots `elfboot netboot` writes: SeaBIOS through
# the NIC's iPXE option ROM (e1000, virtio-net); OVMF through its own
# network stack (virtio-net without option ROM: VirtioNetDxe + PxeBcDxe)
# and through the iPXE EFI driver of e1000's ROM (OVMF has no e1000 driver;
# iPXE's PXE base code cannot size files: uefi/source_pxe.c's whole-file
# mode).
# Boots k_default and k_ramdisk with a 96 MiB ramdisk (70,000+ TFTP blocks:
# the block number wraps), then the error cases: a missing kernel, a ramdisk
# larger than memory.  Prints "PASS x" / "FAIL x"; logs in BUILD/logs/.
set -u
B=${1:-build}
T=$(cd "$(dirname "$0")/.." && pwd)
TMO=${BOOT_TIMEOUT:-240}
mkdir -p "$B/logs" "$B/net"

# root NAME KERNEL [netboot options]: a TFTP root in BUILD/net/NAME.
root() {
	n=$1 k=$2
	shift 2
	rm -rf "$B/net/$n"
	"$B/elfboot" netboot -o "$B/net/$n" "$@" "$k" > "$B/logs/net-$n.build" 2>&1
}

# boot MODE NIC MEM ROOT NAME EXPECT REGEX: one boot; EXPECT pass (the
# kernel passes; REGEX, unless -, is on serial) or error (elfboot halts
# with a line matching REGEX).
boot() {
	m=$1 nic=$2 mem=$3 r=$4 name=$5 want=$6 re=$7
	file=elfboot.pxe
	[ "$m" = uefi ] && file=BOOTX64.EFI
	log="$B/logs/net-$m-$name.log"
	s=$(date +%s.%N)
	QEMU_NET="$B/net/$r,$file" QEMU_NIC=$nic QEMU_MEM=$mem sh "$T/qemu.sh" "$m" - "$TMO" --log "$log"
	rc=$?
	secs=$(awk -v a="$s" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	case "$want:$rc" in
	pass:0)
		if [ "$re" = - ] || grep -qaE -- "$re" "$log"; then
			echo "PASS net/$m-$name ($nic, ${secs}s)"
			return
		fi ;;
	error:2)
		if grep -qaE -- "$re" "$log"; then
			echo "PASS net/$m-$name ($nic, ${secs}s)"
			return
		fi ;;
	esac
	echo "FAIL net/$m-$name ($nic: qemu.sh status $rc, expected $want /$re/; got: $(grep -aE 'elfboot: error|ktest: check failed|ktest: FAIL' "$log" | head -1); log $log)"
}

if ! root default "$B/kernels/k_default" || ! root ramdisk "$B/kernels/k_ramdisk" --ramdisk "$B/ramdisk96.bin" \
	--config-file "$B/boot-net-debug.json" || ! root blocks "$B/kernels/k_ramdisk" \
	--ramdisk "$B/ramdisk96.bin" --config-file "$B/boot-net-blocks.json"; then
	echo "FAIL net/netboot (elfboot netboot: $(tail -1 "$B"/logs/net-*.build | grep error))"
	exit 0
fi
boot bios e1000 256M default default pass 'network boot: TFTP server 10\.0\.2\.2'
boot bios virtio 256M default virtio pass -
# (stage2's debug line says how the file came; the kernel checks the bytes):
# one TFTP_READ_FILE, and the fallback block by block (70,493 blocks of 1428)
boot bios e1000 512M ramdisk ramdisk96 pass "'ramdisk': 100663296 bytes in one TFTP_READ_FILE"
boot bios e1000 512M blocks ramdisk96-blocks pass "'ramdisk': 100663296 bytes in [0-9]{5,} blocks"
boot uefi virtio-fw 256M default default pass 'network boot: TFTP server 10\.0\.2\.2'
boot uefi virtio-fw 512M ramdisk ramdisk96 pass 'ramdisk of 100663296 bytes verified'
boot uefi e1000 512M ramdisk ramdisk96-ipxe pass 'ramdisk of 100663296 bytes verified'

# The kernel missing from the server: one line naming it and the server.
root nokernel "$B/kernels/k_default" && rm -f "$B/net/nokernel/kernel-x86_64"
for mn in bios:e1000 uefi:virtio-fw uefi:e1000; do
	boot ${mn%:*} ${mn#*:} 256M nokernel missing-kernel-${mn#*:} error \
		"elfboot: error: kernel file 'kernel-x86_64' not found on TFTP server 10\.0\.2\.2"
done
# An NBP whose stage2 is damaged: the PXE stage stops with its code on the
# screen and on COM1.
root badnbp "$B/kernels/k_default" &&
	printf 'XXXX' | dd of="$B/net/badnbp/elfboot.pxe" bs=1 seek=1028 conv=notrunc 2>/dev/null
boot bios e1000 256M badnbp nbp-damaged error "elfboot: pxe E3 halted"
# A ramdisk larger than the machine's memory: refused before the transfer.
boot bios e1000 96M ramdisk too-big error \
	"elfboot: error: network: TFTP server 10\.0\.2\.2: no memory for 'ramdisk' \(100663296 bytes\)"
boot uefi virtio-fw 96M ramdisk too-big error \
	"elfboot: error: network: TFTP server 10\.0\.2\.2: no memory for 'ramdisk' \(100663296 bytes\)"

# cut MODE NIC DELAY: the ramdisk shrinks to 16 MiB on the server DELAY
# seconds after the kernel line, while it is being sent.  QEMU's TFTP server
# reads the file block by block, so the transfer ends early with a short
# block, as if complete: the bytes that came must be counted against the
# size the server gave.  (On BIOS the one-call TFTP_READ_FILE cannot tell,
# iPXE reporting tsize as the length read: the untouched last byte sends
# stage2 back to read block by block, which counts.)
# The cut must land while the ramdisk is in flight: a cut before its
# transfer starts gives a consistent 16 MiB file, which the loader rightly
# hands over (and k_ramdisk then fails).  On a loaded machine the delay
# after the kernel line can end before the ramdisk is opened, so that case
# is recognised (the loader's "ramdisk 16777216 bytes" line) and the boot
# is tried again with half the delay, at most 3 times.
cut() {
	m=$1 nic=$2 delay=$3
	file=elfboot.pxe
	[ "$m" = uefi ] && file=BOOTX64.EFI
	log="$B/logs/net-$m-cut-short.log"
	try=0
	while :; do
		root cut "$B/kernels/k_ramdisk" --ramdisk "$B/ramdisk96.bin"
		: > "$log"
		QEMU_NET="$B/net/cut,$file" QEMU_NIC=$nic QEMU_MEM=512M sh "$T/qemu.sh" "$m" - "$TMO" --log "$log" &
		q=$!
		i=0
		while kill -0 "$q" 2>/dev/null && ! grep -qaE 'elfboot: (framebuffer|no framebuffer|warning: .*framebuffer)' "$log" &&
			[ $i -lt $((TMO * 10)) ]; do
			sleep 0.1
			i=$((i + 1))
		done
		sleep "$delay"
		truncate -s 16M "$B/net/cut/ramdisk"
		wait "$q"
		rc=$?
		try=$((try + 1))
		grep -qa 'elfboot: ramdisk 16777216 bytes' "$log" && [ $try -lt 3 ] || break
		delay=$(awk -v d="$delay" 'BEGIN { print d / 2 }')
	done
	re="elfboot: error: network: transfer of 'ramdisk' from TFTP server 10\.0\.2\.2 cut short: [0-9]+ of 100663296 bytes"
	# iPXE (BIOS) has been seen to wait for the block after the cut
	# instead: then the read timeout is the line.
	[ "$m" = bios ] && re="$re|elfboot: error: network: transfer of 'ramdisk' \(100663296 bytes\) from TFTP server 10\.0\.2\.2 failed \(PXE status 0x35, read timeout\)"
	if [ "$rc" = 2 ] && grep -qaE -- "$re" "$log"; then
		echo "PASS net/$m-cut-short ($nic)"
	else
		echo "FAIL net/$m-cut-short ($nic: qemu.sh status $rc, want 2 and /$re/; got: $(grep -a 'elfboot: error' "$log" | head -1); log $log)"
	fi
}
cut bios e1000 1
cut uefi virtio-fw 4
