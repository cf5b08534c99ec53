#!/bin/sh
# deps.sh - installs the Debian packages elfboot needs, only when missing.
# Debian 12; `make run` and `make check` call it.  As root it runs apt-get;
# otherwise through sudo when sudo can ask (no password needed, or a
# terminal to ask on); otherwise it prints the one apt-get line to run and
# fails, so the build stops before a confusing compiler error.
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
# Measured boot (tests/suites/tpm.sh): swtpm is the TPM 2.0 QEMU talks to.
pkgs="$pkgs swtpm"
# Packaging (`make install`, the .deb in tests/suites/pkg.sh): debhelper and
# dpkg-dev build it, pkg-config, groff and man-db check what it installs.
pkgs="$pkgs debhelper dpkg-dev fakeroot pkgconf groff-base man-db"
# Secure Boot: sbsign signs BOOTX64.EFI (--sign-key/--sign-cert); the ovmf
# package above has the snakeoil Secure Boot firmware and test keys, which
# the tests decrypt (and make a second key pair) with openssl.
pkgs="$pkgs sbsigntool openssl"
# `make bench` also compares against GRUB 2.
[ "${1:-}" = bench ] && pkgs="$pkgs grub-pc-bin grub-efi-amd64-bin grub-common"
for p in $pkgs; do
	have_pkg "$p" || need="$need $p"
done
[ -z "$need" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	as_root=""
elif command -v sudo > /dev/null 2>&1 && { sudo -n true 2> /dev/null || [ -t 0 ]; }; then
	as_root="sudo"
else
	echo "deps: missing Debian packages; install them as root with:" >&2
	echo "    apt-get install$need" >&2
	exit 1
fi
echo "deps: installing$need${as_root:+ (with sudo)}"
$as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
