#!/bin/sh
# net-dnsmasq.sh BUILD - network boot against a real DHCP + TFTP server, set
# up as a lab would run it: dnsmasq in a network namespace this test creates,
# on a tap device QEMU (started inside the namespace) is linked to.  dnsmasq
# picks the boot file by the client architecture (option 93: 0 BIOS ->
# elfboot.pxe, 7/9 UEFI -> BOOTX64.EFI) from a subdirectory of its TFTP root
# (elfboot reads the other files from the same directory).  Then the server
# goes silent in the middle of a ramdisk transfer (dnsmasq stopped with
# SIGSTOP), and the ramdisk is truncated on the server while it is sent:
# one error line naming the file and the server each time.  Addresses exist
# only inside the namespace; everything is torn down on exit.  Needs root
# (ip netns, tap); prints "PASS x" / "FAIL x"; logs in BUILD/logs/.
set -u
B=${1:-build}
T=$(cd "$(dirname "$0")/.." && pwd)
TMO=${BOOT_TIMEOUT:-240}
B=$(cd "$B" && pwd)
mkdir -p "$B/logs"
ns=elfboot-net-$$
tmp=$(mktemp -d)
dpid=""
cleanup() {
	if [ -n "$dpid" ]; then
		kill -CONT "$dpid" 2>/dev/null
		kill "$dpid" 2>/dev/null
	fi
	ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

if ! command -v dnsmasq > /dev/null; then
	echo "FAIL net-dnsmasq/setup (no dnsmasq: install dnsmasq-base, mk/deps.sh)"
	exit 0
fi
if ! ip netns add "$ns" 2> "$tmp/err" ||
   ! ip -n "$ns" link set lo up ||
   ! ip -n "$ns" tuntap add dev tap0 mode tap 2>> "$tmp/err" ||
   ! ip -n "$ns" addr add 10.0.9.1/24 dev tap0 ||
   ! ip -n "$ns" link set tap0 up; then
	echo "FAIL net-dnsmasq/setup (network namespace or tap device: $(head -1 "$tmp/err"); needs root)"
	exit 0
fi

# The TFTP root: elfboot's files in elfboot/ below it (world-readable: dnsmasq
# serves nothing else).
mkdir -p "$tmp/tftp"
chmod 755 "$tmp" "$tmp/tftp"
if ! "$B/elfboot" netboot -o "$tmp/tftp/elfboot" --ramdisk "$B/ramdisk64.bin" \
	"$B/kernels/k_ramdisk" > "$B/logs/net-dnsmasq.build" 2>&1; then
	echo "FAIL net-dnsmasq/netboot ($(tail -1 "$B/logs/net-dnsmasq.build"))"
	exit 0
fi
cat > "$tmp/dnsmasq.conf" <<EOF
port=0
interface=tap0
bind-interfaces
user=root
dhcp-range=10.0.9.50,10.0.9.99,255.255.255.0,1h
dhcp-leasefile=$tmp/leases
enable-tftp
tftp-root=$tmp/tftp
dhcp-match=set:bios,option:client-arch,0
dhcp-match=set:efi64,option:client-arch,7
dhcp-match=set:efi64,option:client-arch,9
dhcp-boot=tag:bios,elfboot/elfboot.pxe
dhcp-boot=tag:efi64,elfboot/BOOTX64.EFI
log-dhcp
EOF
ip netns exec "$ns" dnsmasq --keep-in-foreground --conf-file="$tmp/dnsmasq.conf" \
	--log-facility="$B/logs/net-dnsmasq.server.log" &
dpid=$!
sleep 0.5
if ! kill -0 "$dpid" 2>/dev/null; then
	echo "FAIL net-dnsmasq/setup (dnsmasq did not start: $(tail -1 "$B/logs/net-dnsmasq.server.log"))"
	dpid=""
	exit 0
fi

# run MODE NIC MEM NAME [REGEX DELAY ACTION]: boots from the namespace's
# server in the background; DELAY seconds after REGEX appears on serial,
# ACTION: stop (dnsmasq gets SIGSTOP: the server falls silent) or cut (the
# ramdisk on the server is truncated to 16 MiB while it is being sent).
# Sets rc and log.
run() {
	m=$1 nic=$2 mem=$3 name=$4 re=${5:-} delay=${6:-0} action=${7:-}
	log="$B/logs/net-dnsmasq-$m-$name.log"
	: > "$log"
	ip netns exec "$ns" env QEMU_NET=tap:tap0 QEMU_NIC="$nic" QEMU_MEM="$mem" \
		sh "$T/qemu.sh" "$m" - "$TMO" --log "$log" &
	q=$!
	if [ -n "$re" ]; then
		i=0
		while kill -0 "$q" 2>/dev/null && ! grep -qaE -- "$re" "$log" && [ $i -lt $((TMO * 10)) ]; do
			sleep 0.1
			i=$((i + 1))
		done
		sleep "$delay"
		case "$action" in
		stop) kill -STOP "$dpid" ;;
		cut) truncate -s 16M "$tmp/tftp/elfboot/ramdisk" ;;
		esac
	fi
	wait "$q"
	rc=$?
	case "$action" in
	stop) kill -CONT "$dpid" ;;
	cut) cp "$B/ramdisk64.bin" "$tmp/tftp/elfboot/ramdisk" ;;
	esac
}
verdict() { # NAME WANT-RC REGEX
	if [ "$rc" = "$2" ] && grep -qaE -- "$3" "$log"; then
		echo "PASS net-dnsmasq/$1"
	else
		echo "FAIL net-dnsmasq/$1 (qemu.sh status $rc, want $2 and /$3/; got: $(grep -aE 'elfboot: error|ktest: check failed' "$log" | head -1); log $log)"
	fi
}

run bios e1000 256M ramdisk64
verdict bios-ramdisk64 0 'ramdisk of 67108864 bytes verified'
grep -qa "network boot: TFTP server 10.0.9.1, directory 'elfboot/'" "$log" ||
	echo "FAIL net-dnsmasq/bios-directory (no 'TFTP server 10.0.9.1, directory elfboot/' line)"
run uefi virtio-fw 256M ramdisk64
verdict uefi-ramdisk64 0 'ramdisk of 67108864 bytes verified'
# The server falls silent while the ramdisk comes: stopped a second (BIOS)
# or a few (UEFI) after the kernel line (the video mode is set in between,
# then the 64 MiB take ~3 s on BIOS, ~15 s on UEFI).  Should the stop land before the ramdisk's size query, the
# line names the size query instead: either way the file and the server.
run bios e1000 256M silent 'elfboot: kernel [0-9]+ bytes' 1 stop
verdict bios-server-silent 2 \
	"elfboot: error: network: (transfer of 'elfboot/ramdisk' \(67108864 bytes\) from TFTP server 10\.0\.9\.1 failed \(PXE status 0x35, read timeout\)|cannot get the size of 'elfboot/ramdisk' from TFTP server 10\.0\.9\.1)"
grep -qa "read timeout" "$log" || echo "(net-dnsmasq/bios-server-silent: the stop came before the transfer)"
run uefi virtio-fw 256M silent 'elfboot: kernel [0-9]+ bytes' 6 stop
verdict uefi-server-silent 2 \
	"elfboot: error: network: TFTP server 10\.0\.9\.1 did not answer (the size of|the transfer of) 'elfboot/ramdisk'"
# The ramdisk is cut short on the server while it is being sent: dnsmasq
# then fails its read and sends an error packet mid-transfer (a server that
# ends with an early short block instead gets "cut short: N of M bytes").
run bios e1000 256M cut 'elfboot: kernel [0-9]+ bytes' 1 cut
verdict bios-file-cut 2 \
	"elfboot: error: network: transfer of 'elfboot/ramdisk' (\(67108864 bytes\) )?from TFTP server 10\.0\.9\.1 (failed \(PXE status|stopped after [0-9]+ of 67108864 bytes|cut short: [0-9]+ of 67108864 bytes)"
run uefi virtio-fw 256M cut 'elfboot: kernel [0-9]+ bytes' 4 cut
verdict uefi-file-cut 2 \
	"elfboot: error: network: (the transfer of 'elfboot/ramdisk' from TFTP server 10\.0\.9\.1 failed|TFTP server 10\.0\.9\.1 refused the transfer of 'elfboot/ramdisk'|transfer of 'elfboot/ramdisk' from TFTP server 10\.0\.9\.1 cut short)"
