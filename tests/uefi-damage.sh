#!/bin/sh
# uefi-damage.sh IMAGE WHAT - changes the ESP of an elfboot image (at 1 MiB)
# with mtools for the UEFI error-path tests:
#   kernel-dir     kernel-x86_64 becomes an (empty) directory
#   kernel-not-elf kernel-x86_64 becomes a short text file
set -eu
img=$1 what=$2
export MTOOLS_SKIP_CHECK=1
esp="$img@@1M"
case "$what" in
kernel-dir)
	mdel -i "$esp" ::/kernel-x86_64
	mmd -i "$esp" ::/kernel-x86_64 ;;
kernel-not-elf)
	tmp=$(mktemp)
	printf 'hello, this is not a kernel\n' > "$tmp"
	mcopy -o -i "$esp" "$tmp" ::/kernel-x86_64
	rm -f "$tmp" ;;
*)
	echo "uefi-damage.sh: unknown damage '$what'" >&2
	exit 2 ;;
esac
