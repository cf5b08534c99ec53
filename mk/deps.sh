#!/bin/sh
# deps.sh - installs the Debian packages elfboot needs, only when missing.
# Run as root on Debian 12 (`make run` and `make check` call it).
set -e
need=""
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
pkgs="build-essential nasm gnu-efi libelf-dev qemu-system-x86 ovmf mtools xorriso clang lld python3"
# xorriso builds ISO images (`elfboot image --iso`).
# Network boot tests: the NIC option ROMs (iPXE), a DHCP + TFTP server, ip netns.
pkgs="$pkgs ipxe-qemu dnsmasq-base iproute2"
# `elfboot run` tests: gdb attaches to QEMU; the kernel template's CMake variant.
pkgs="$pkgs gdb cmake"
# The fuzz targets: libFuzzer + sanitizer runtimes, and llvm-cov for `make fuzz-cov`.
pkgs="$pkgs libclang-rt-14-dev llvm-14"
# `make bench` also compares against GRUB 2.
[ "${1:-}" = bench ] && pkgs="$pkgs grub-pc-bin grub-efi-amd64-bin grub-common"
for p in $pkgs; do
	have_pkg "$p" || need="$need $p"
done
[ -z "$need" ] && exit 0
echo "deps: installing$need"
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$need; run as root or install them" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $need >/dev/null
