#!/bin/sh
# net-tool.sh BUILD - `elfboot netboot` on the host: the TFTP root it writes
# (the NBP is the PXE stage + the network stage2, stage2-pxe.bin, at offset
# 1024 so it lands at 0x8000), the DHCP settings it prints, what it refuses (and that a refusal
# leaves the directory as it was), and that a rerun without --ramdisk takes
# the old ramdisk away.  Prints "PASS x" / "FAIL x".
set -u
B=${1:-build}
E="$B/elfboot"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { echo "PASS net-tool/$1"; }
bad() { echo "FAIL net-tool/$1 ($2)"; }

d="$tmp/root"
if "$E" netboot -o "$d" --ramdisk "$B/ramdisk.bin" --config-file "$B/boot-quiet.json" \
	"$B/kernels/k_ramdisk" > "$tmp/out" 2> "$tmp/err"; then
	miss=""
	for f in elfboot.pxe BOOTX64.EFI kernel-x86_64 ramdisk boot.json; do
		[ -f "$d/$f" ] || miss="$miss $f"
	done
	[ -z "$miss" ] && ok files || bad files "missing:$miss"
	cat "$B/uefi/pxe.bin" "$B/uefi/stage2-pxe.bin" | cmp -s - "$d/elfboot.pxe" &&
		[ "$(stat -c %s "$B/uefi/pxe.bin")" = 1024 ] && ok nbp-layout ||
		bad nbp-layout "elfboot.pxe is not the 1 KiB PXE stage followed by stage2-pxe.bin"
	cmp -s "$B/ramdisk.bin" "$d/ramdisk" && cmp -s "$B/kernels/k_ramdisk" "$d/kernel-x86_64" &&
		ok copies || bad copies "kernel or ramdisk differs from its source"
	grep -q "option 93) 0, BIOS x86: *boot file elfboot.pxe" "$tmp/out" &&
		grep -q "option 93) 7, x86-64 UEFI: *boot file BOOTX64.EFI" "$tmp/out" &&
		grep -q "dhcp-match=set:efi64,option:client-arch,7" "$tmp/out" && ok dhcp-settings ||
		bad dhcp-settings "$(head -3 "$tmp/out")"
	[ "$(stat -c %a "$d/kernel-x86_64")" = 644 ] && ok world-readable ||
		bad world-readable "kernel-x86_64 mode $(stat -c %a "$d/kernel-x86_64") (TFTP servers want 644)"
	ls -A "$d" | grep -q '^\.' && bad no-temporaries "$(ls -A "$d" | grep '^\.')" || ok no-temporaries
else
	bad files "netboot failed: $(cat "$tmp/err")"
fi

# A rerun without --ramdisk / --config-file: the old ones must not be served.
"$E" netboot -o "$d" "$B/kernels/k_default" > /dev/null 2>&1
[ ! -e "$d/ramdisk" ] && [ ! -e "$d/boot.json" ] && cmp -s "$B/kernels/k_default" "$d/kernel-x86_64" &&
	ok rerun-replaces || bad rerun-replaces "$(ls "$d")"

# Refusals: one error line, non-zero, the directory unchanged.
before=$(ls -l --time-style=+%s.%N "$d" | md5sum)
refuse() { # NAME REGEX ARGS...
	n=$1 re=$2
	shift 2
	"$E" netboot "$@" > /dev/null 2> "$tmp/err"
	rc=$?
	if [ "$rc" != 0 ] && [ "$(wc -l < "$tmp/err")" = 1 ] && grep -qE -- "$re" "$tmp/err" &&
	   [ "$(ls -l --time-style=+%s.%N "$d" | md5sum)" = "$before" ]; then
		ok "refuses-$n"
	else
		bad "refuses-$n" "rc $rc: $(head -2 "$tmp/err")"
	fi
}
printf 'not an elf' > "$tmp/junk"
refuse not-elf "^elfboot: error: .*junk: elf: " -o "$d" "$tmp/junk"
refuse bad-json "^elfboot: error: .*boot-bad.json" -o "$d" --config-file "$B/boot-bad.json" "$B/kernels/k_default"
refuse no-output "^elfboot: error: netboot: no output directory" "$B/kernels/k_default"
refuse no-ramdisk "^elfboot: error: ramdisk '$tmp/none' is not a regular file" -o "$d" --ramdisk "$tmp/none" "$B/kernels/k_default"
refuse loader-dir "^elfboot: error: .*pxe.bin" -o "$d" --loader-dir "$tmp" "$B/kernels/k_default"
