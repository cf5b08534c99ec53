#!/bin/sh
# qemu.sh - boots a disk image under QEMU (TCG) with a hard timeout.
#   qemu.sh uefi|bios IMAGE TIMEOUT_S [--gui] [--log FILE] [--keep-vars FILE]
#           [--stop-on REGEX] [-- extra qemu args]
# UEFI runs use a copy of $OVMF_VARS, or FILE itself with --keep-vars (to
# warm a variable store).
# Serial (COM1) goes to stdout, or to FILE with --log.  Exit status:
#   0  the kernel reported PASS (isa-debug-exit 0x10 -> QEMU status 33)
#   1  the kernel reported FAIL (0x11 -> 35)
#   2  elfboot stopped with an error ("elfboot: halted." on serial)
#   3  timeout, or QEMU ended any other way (triple fault, reset)
#   4  (only with --stop-on) REGEX appeared on serial: QEMU is stopped there,
#      e.g. on the firmware's own "no bootable device" line
# The machine: QEMU_MACHINE (q35), QEMU_CPU (max), QEMU_SMP (1), QEMU_MEM
# (256M) and QEMU_DISK, the controller the image sits on: unset = QEMU's
# default (-drive if=ide: PIIX IDE on pc, the ICH9 AHCI on q35), ide, ahci
# (an added AHCI controller), virtio (virtio-blk), virtio-scsi, nvme,
# usb-xhci, usb-ehci (USB mass storage on that host controller), cdrom (an
# IDE/AHCI CD drive, as -cdrom).
# Network boot instead of a disk (IMAGE is then ignored): QEMU_NET=DIR,FILE
# (QEMU's user-mode network: its DHCP names FILE, its TFTP serves DIR) or
# QEMU_NET=tap:IFNAME (a tap device; the DHCP/TFTP server is outside), on
# the NIC QEMU_NIC names: e1000 (default) or virtio (virtio-net-pci), both
# with QEMU's iPXE option ROM, or virtio-fw (no option ROM: the firmware's
# own driver and network stack, OVMF's VirtioNetDxe + PxeBcDxe).
# A TPM 2.0 (issue 11): QEMU_TPM=DIR starts swtpm with its state in DIR (a
# new directory is a new TPM) on a tpm-tis device; swtpm ends with QEMU.
# QEMU_SECBOOT=1: Secure Boot enforced: Debian's snakeoil OVMF pair (its
# own PK/KEK/db, PkKek-1-snakeoil.pem; OVMF_CODE/OVMF_VARS still override)
# on an SMM machine whose flash only SMM may write.
set -u
mode=$1 img=$2 tmo=$3
shift 3
gui=0 log="" keep="" stop=""
while [ $# -gt 0 ]; do
	case "$1" in
	--gui) gui=1 ;;
	--log) log=$2; shift ;;
	--keep-vars) keep=$2; shift ;;
	--stop-on) stop=$2; shift ;;
	--) shift; break ;;
	*) break ;;
	esac
	shift
done
secboot=""
if [ -n "${QEMU_SECBOOT:-}" ]; then
	OVMF_CODE=${OVMF_CODE:-/usr/share/OVMF/OVMF_CODE_4M.snakeoil.fd}
	OVMF_VARS=${OVMF_VARS:-/usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd}
	QEMU_MACHINE=${QEMU_MACHINE:-q35},smm=on
	secboot="-global driver=cfi.pflash01,property=secure,value=on"
fi
OVMF_CODE=${OVMF_CODE:-/usr/share/OVMF/OVMF_CODE_4M.fd}
OVMF_VARS=${OVMF_VARS:-/usr/share/OVMF/OVMF_VARS_4M.fd}
tmp=$(mktemp -d)
swtpm_pid=""
trap '[ -n "$swtpm_pid" ] && kill "$swtpm_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
fw=""
if [ "$mode" = uefi ]; then
	vars="$tmp/vars.fd"
	if [ -n "$keep" ]; then vars=$keep; else cp "$OVMF_VARS" "$vars"; fi
	fw="-drive if=pflash,format=raw,readonly=on,file=$OVMF_CODE -drive if=pflash,format=raw,file=$vars"
fi
# The boot disk on the controller QEMU_DISK names; bootindex makes it the
# first boot option on both firmwares whatever the bus.
drive="format=raw,file=$img,snapshot=on"
case "${QEMU_DISK:-}" in
"") disk="-drive $drive" ;;
ide) disk="-drive if=ide,$drive" ;;
ahci) disk="-drive if=none,id=d0,$drive -device ahci,id=ahci0 -device ide-hd,drive=d0,bus=ahci0.0,bootindex=0" ;;
virtio) disk="-drive if=none,id=d0,$drive -device virtio-blk-pci,drive=d0,bootindex=0" ;;
virtio-scsi) disk="-drive if=none,id=d0,$drive -device virtio-scsi-pci,id=scsi0 -device scsi-hd,drive=d0,bus=scsi0.0,bootindex=0" ;;
nvme) disk="-drive if=none,id=d0,$drive -device nvme,drive=d0,serial=elfboot0,bootindex=0" ;;
usb-xhci) disk="-drive if=none,id=d0,$drive -device qemu-xhci,id=xhci -device usb-storage,drive=d0,bus=xhci.0,bootindex=0" ;;
usb-ehci) disk="-drive if=none,id=d0,$drive -device usb-ehci,id=ehci -device usb-storage,drive=d0,bus=ehci.0,bootindex=0" ;;
# The image as a CD (what -cdrom gives): ide.0 is the PIIX IDE bus on pc and
# the ICH9 AHCI's first port on q35.
cdrom) disk="-drive if=none,id=d0,media=cdrom,readonly=on,format=raw,file=$img -device ide-cd,drive=d0,bus=ide.0,bootindex=0" ;;
*) echo "qemu.sh: unknown QEMU_DISK '$QEMU_DISK'" >&2; exit 3 ;;
esac
if [ -n "${QEMU_NET:-}" ]; then
	case "$QEMU_NET" in
	tap:*) netdev="tap,id=n0,ifname=${QEMU_NET#tap:},script=no,downscript=no" ;;
	*,*) netdev="user,id=n0,tftp=${QEMU_NET%%,*},bootfile=${QEMU_NET#*,}" ;;
	*) echo "qemu.sh: QEMU_NET is DIR,FILE or tap:IFNAME, not '$QEMU_NET'" >&2; exit 3 ;;
	esac
	case "${QEMU_NIC:-e1000}" in
	e1000) nic="e1000,netdev=n0,bootindex=0" ;;
	virtio) nic="virtio-net-pci,netdev=n0,bootindex=0" ;;
	virtio-fw) nic="virtio-net-pci,netdev=n0,bootindex=0,romfile=" ;;
	*) echo "qemu.sh: unknown QEMU_NIC '$QEMU_NIC'" >&2; exit 3 ;;
	esac
	disk="-netdev $netdev -device $nic"
fi
tpm=""
if [ -n "${QEMU_TPM:-}" ]; then
	mkdir -p "$QEMU_TPM"
	# --terminate: swtpm ends when QEMU closes the control channel; the
	# timeout and the trap cover a QEMU that never connects.
	timeout -k 2 $((tmo + 10)) swtpm socket --tpm2 --tpmstate dir="$QEMU_TPM" \
		--ctrl type=unixio,path="$tmp/swtpm.sock" --terminate > "$tmp/swtpm.log" 2>&1 &
	swtpm_pid=$!
	n=0
	while [ ! -S "$tmp/swtpm.sock" ] && [ "$n" -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
	if [ ! -S "$tmp/swtpm.sock" ]; then
		echo "qemu.sh: swtpm did not start: $(cat "$tmp/swtpm.log")" >&2
		exit 3
	fi
	tpm="-chardev socket,id=chrtpm,path=$tmp/swtpm.sock -tpmdev emulator,id=tpm0,chardev=chrtpm -device tpm-tis,tpmdev=tpm0"
fi
machine="-machine ${QEMU_MACHINE:-q35} $secboot -cpu ${QEMU_CPU:-max} -smp ${QEMU_SMP:-1} -m ${QEMU_MEM:-256M}"
display="-display none"
[ "$gui" = 1 ] && display=""
[ -n "$log" ] || log="$tmp/serial.log"
: > "$log"
if [ -n "${QEMU_NOWATCH:-}" ]; then
	# Benchmarks: no polling (it would quantise the timing); QEMU runs in
	# the foreground under timeout(1), and its exit status decides.
	# shellcheck disable=SC2086
	timeout -k 2 "$tmo" qemu-system-x86_64 $machine $fw \
		$disk $tpm -serial "file:$log" $display \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 -no-reboot "$@" 2> "$tmp/qemu.err"
	rc=$?
	[ "$rc" = 33 ] && exit 0
	[ "$rc" = 35 ] && exit 1
	exit 3
fi
# shellcheck disable=SC2086
qemu-system-x86_64 $machine $fw \
	$disk $tpm -serial "file:$log" $display \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 -no-reboot "$@" 2> "$tmp/qemu.err" &
pid=$!
# Wait for QEMU to end, for the loader to halt, or for the timeout.
ticks=0 halted=0 stopped=0
while kill -0 "$pid" 2>/dev/null; do
	if [ -n "$stop" ] && tr -d '\033' < "$log" 2>/dev/null | grep -qaE -- "$stop"; then
		stopped=1
		kill "$pid" 2>/dev/null
		break
	fi
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
if [ "$stopped" = 1 ]; then exit 4; fi
if [ "$halted" = 1 ]; then exit 2; fi
case "$rc" in
33) exit 0 ;;
35) exit 1 ;;
*) [ "$ticks" -ge $((tmo * 10)) ] && echo "qemu.sh: timeout after ${tmo}s" >&2; exit 3 ;;
esac
