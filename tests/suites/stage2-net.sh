#!/bin/sh
# stage2-net.sh BUILD - the two BIOS stage2s (issue 10's size budget):
# stage2.bin (disk, CD) is linked without the PXE code and stage2-pxe.bin
# (the network boot program's) with it; both within their limits; the
# NBP `elfboot netboot` writes is pxe.bin + stage2-pxe.bin (embedded and
# from --loader-dir); a loader dir without stage2-pxe.bin is refused and
# one of another build is warned about; an NBP put together with the disk
# stage2 stops with one line instead of crashing.  Prints PASS/FAIL lines.
set -u
B=${1:-build}
T=$(cd "$(dirname "$0")/.." && pwd)
R=$(cd "$T/.." && pwd)
E=$(cd "$B" && pwd)/elfboot
L="$B/uefi"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/tmpdir"
export TMPDIR="$tmp/tmpdir" MTOOLS_SKIP_CHECK=1
unset SOURCE_DATE_EPOCH ELFBOOT_LOADER_DIR
SUITE=stage2-net
. "$T/suite-lib.sh" # ok, bad, t_err

# The limits as the Makefile sets them (the build itself stops over them).
pxe_limit=$(sed -n 's/^PXE_S2_LIMIT *:= *//p' "$R/Makefile")
bios_limit=$(sed -n 's/^BIOS_LIMIT *:= *//p' "$R/Makefile")
s1=$(stat -c %s "$L/stage1.bin") s2=$(stat -c %s "$L/stage2.bin") s2p=$(stat -c %s "$L/stage2-pxe.bin")
[ $((s1 + s2)) -le "${bios_limit:-0}" ] && ok "stage1+stage2 $((s1 + s2)) <= $bios_limit bytes" ||
	bad "stage1+stage2 is $((s1 + s2)) bytes (limit ${bios_limit:-not found})"
[ "$s2p" -le "${pxe_limit:-0}" ] && ok "stage2-pxe $s2p <= $pxe_limit bytes" ||
	bad "stage2-pxe is $s2p bytes (limit ${pxe_limit:-not found})"
[ "$s2" -lt "$s2p" ] && ok "stage2.bin $s2 bytes, $((s2p - s2)) fewer than stage2-pxe.bin" ||
	bad "stage2.bin ($s2 bytes) is not smaller than stage2-pxe.bin ($s2p)"

# The PXE code in one link only: its functions (nm) and a message only
# source_pxe.c has, in the linked image (the bytes stage2.bin stores
# packed); the stub's message in the other.  Each side is also the
# other's control: a string that is never found proves nothing.
pxe_syms='^(pxe_call|pxe_init|pxe_read|pxe_size|pxe_source)([.].*)?$'
pxe_msg='no valid !PXE or PXENV+ structure'
stub_msg='this stage2 has no network support'
# split DISK NET SYMS MSG STUB WHAT: with $tmp/V.img (the bytes holding the
# constants) and $tmp/V.nm (function names) of both variants, DISK must
# have none of the SYMS (a regex) and no MSG but the STUB line; NET at
# least 4 SYMS and MSG but no STUB.  WHAT names the SYMS in the lines.
split() {
	for v in "$1" "$2"; do
		set -- "$@" "$(grep -cE "$3" "$tmp/$v.nm")" "$(grep -caF "$4" "$tmp/$v.img")" \
			"$(grep -caF "$5" "$tmp/$v.img")"
	done
	# $7-$9: DISK's symbols, messages, stubs; ${10}-${12}: NET's.
	[ "$7" = 0 ] && [ "$8" = 0 ] && [ "$9" != 0 ] &&
		ok "$1 has no PXE code (no $6, no '$4'; the stub's line)" ||
		bad "$1 holds PXE code" "$7 $6, message $8, stub $9"
	[ "${10}" -ge 4 ] && [ "${11}" != 0 ] && [ "${12}" = 0 ] &&
		ok "$2 has the PXE code (${10} $6, '$4') and no stub" ||
		bad "$2 lacks PXE code" "${10} $6, message ${11}, stub ${12}"
}
for v in stage2 stage2-pxe; do
	objcopy -O binary "$B/bios/$v.elf" "$tmp/$v.img"
	nm "$B/bios/$v.elf" | awk '{ print $3 }' > "$tmp/$v.nm"
done
split stage2 stage2-pxe "$pxe_syms" "$pxe_msg" "$stub_msg" "pxe_* functions"

# The NBP's stage2 part (from byte 1024) is stage2-pxe.bin: the embedded
# copy, and a --loader-dir's own (marked so it differs from the build's).
"$E" netboot -o "$tmp/nb" "$B/kernels/k_default" > /dev/null 2> "$tmp/err"
if tail -c +1025 "$tmp/nb/elfboot.pxe" | cmp -s - "$L/stage2-pxe.bin" &&
   head -c 1024 "$tmp/nb/elfboot.pxe" | cmp -s - "$L/pxe.bin"; then
	ok "elfboot.pxe (embedded loaders) = pxe.bin + stage2-pxe.bin"
else
	bad "elfboot.pxe (embedded loaders) is not pxe.bin + stage2-pxe.bin" "$(cat "$tmp/err")"
fi
id=$("$E" --version | head -1)
# from_dir FILE SERVED SKIP: a --loader-dir's own FILE (a changed byte past
# the headers: netboot checks the magic and length only; compared, not
# booted) is what netboot serves as SERVED from byte SKIP on; without FILE
# the run is refused in one line naming it and SERVED is not written; a
# FILE of another build (only it) gives one warning line naming it.
from_dir() {
	f=$1 d="$tmp/ld-$1"
	mkdir "$d"
	cp "$L"/*.bin "$L/BOOTX64.EFI" "$L/BOOTX64-net.EFI" "$d/"
	printf 'Z' | dd of="$d/$f" bs=1 seek=300 conv=notrunc 2> /dev/null
	if "$E" netboot --loader-dir "$d" -o "$d.nb" "$B/kernels/k_default" > /dev/null 2> "$tmp/err" &&
	   tail -c +"$3" "$d.nb/$2" | cmp -s - "$d/$f" && ! cmp -s "$d/$f" "$L/$f"; then
		ok "$2 (--loader-dir) is its $f"
	else
		bad "$2 (--loader-dir) is not its $f" "$(cat "$tmp/err")"
	fi
	rm "$d/$f"
	t_err "netboot: a --loader-dir without $f is refused" "$f" \
		"$E" netboot --loader-dir "$d" -o "$d.nb2" "$B/kernels/k_default"
	[ ! -e "$d.nb2/$2" ] && ok "netboot: nothing written without $f" ||
		bad "netboot wrote $2 without $f"
	cp "$L/$f" "$d/"
	sed -i 's/(build [0-9a-f]\{8\})/(build 0badc0de)/' "$d/$f"
	if "$E" netboot --loader-dir "$d" -o "$d.nb3" "$B/kernels/k_default" > /dev/null 2> "$tmp/err" &&
	   [ "$(wc -l < "$tmp/err")" = 1 ] && grep -qF "$f is elfboot" "$tmp/err" &&
	   grep -qF "(build 0badc0de)" "$tmp/err" && grep -qF "this tool is $id" "$tmp/err"; then
		ok "--loader-dir whose $f is of another build: one warning line naming it"
	else
		bad "--loader-dir $f build-id warning" "$(cat "$tmp/err")"
	fi
}
from_dir stage2-pxe.bin elfboot.pxe 1025
# image-info finds the build id in the NBP's stage2 (stage2-pxe.bin's).
"$E" image-info "$tmp/nb" > "$tmp/info" 2>&1
grep -qF "stage2 (elfboot.pxe):" "$tmp/info" && grep "stage2 (elfboot.pxe):" "$tmp/info" | grep -qF "$id" &&
	ok "image-info: the NBP's stage2 carries $id" ||
	bad "image-info netboot directory" "$(grep -A3 'loader build' "$tmp/info" | tr '\n' '|')"

# The disk stage2 behind the PXE stage (a hand-made NBP): stage2_main takes
# the network hand-over to the stub, which stops the boot with its line.
# stub_boot MODE NIC ROOT FILE STUB WHAT: a network boot of ROOT/FILE
# (a disk loader) stops (qemu.sh status 2) with STUB's line, the only one.
stub_boot() {
	QEMU_NET="$3,$4" QEMU_NIC=$2 sh "$T/qemu.sh" "$1" - "${BOOT_TIMEOUT:-120}" --log "$3.log"
	rc=$?
	if [ $rc = 2 ] && grep -qaF "elfboot: error: network: $5" "$3.log" &&
	   [ "$(grep -ac 'elfboot: error' "$3.log")" = 1 ]; then
		ok "$1: $6 stops with one line ('$5')"
	else
		bad "$1: $6" "qemu.sh status $rc: $(grep -a elfboot "$3.log" | tail -2 | tr '\n' '|')"
	fi
}
mkdir "$tmp/nbdisk"
cp "$tmp/nb/kernel-x86_64" "$tmp/nbdisk/"
cat "$L/pxe.bin" "$L/stage2.bin" > "$tmp/nbdisk/elfboot.pxe"
stub_boot bios e1000 "$tmp/nbdisk" elfboot.pxe "$stub_msg" "an NBP with the disk stage2"
# ---- UEFI: the two BOOTX64s (issue 11).  The limits as the Makefile sets
# them; the PXE functions (nm of each link's .so: LTO may suffix a name)
# and a message only source_pxe.c has, in the constants (.rodata of the
# first link: the .EFI stores them packed); the stub's line in the other.
efi_limit=$(sed -n 's/^EFI_LIMIT *:= *//p' "$R/Makefile")
efi_net_limit=$(sed -n 's/^EFI_NET_LIMIT *:= *//p' "$R/Makefile")
ed=$(stat -c %s "$L/BOOTX64.EFI") en=$(stat -c %s "$L/BOOTX64-net.EFI")
[ "$ed" -le "${efi_limit:-0}" ] && [ "$en" -le "${efi_net_limit:-0}" ] && [ "$ed" -lt "$en" ] &&
	ok "BOOTX64.EFI $ed <= $efi_limit bytes, BOOTX64-net.EFI $en <= $efi_net_limit bytes" ||
	bad "UEFI sizes" "BOOTX64.EFI $ed (limit ${efi_limit:-?}), BOOTX64-net.EFI $en (limit ${efi_net_limit:-?})"
efi_syms='^(net_read|net_size|whole_size|fetch|full_path|tftp_not_found|dhcp_boot_parse)([.].*)?$'
efi_msg='holds no DHCP answer naming a TFTP server'
efi_stub='this BOOTX64.EFI has no network support'
for v in BOOTX64 BOOTX64-net; do
	objcopy -O binary -j .rodata "$B/uefi/$v.p1.so" "$tmp/$v.img"
	nm "$B/uefi/$v.so" | awk '{ print $3 }' > "$tmp/$v.nm"
done
split BOOTX64 BOOTX64-net "$efi_syms" "$efi_msg" "$efi_stub" "TFTP functions"
# The TFTP root's BOOTX64.EFI is BOOTX64-net.EFI (not pinned, not signed):
# the embedded copy, and a --loader-dir's own.
cmp -s "$tmp/nb/BOOTX64.EFI" "$L/BOOTX64-net.EFI" && ! cmp -s "$tmp/nb/BOOTX64.EFI" "$L/BOOTX64.EFI" &&
	ok "netboot's BOOTX64.EFI (embedded loaders) = BOOTX64-net.EFI" ||
	bad "netboot's BOOTX64.EFI is not BOOTX64-net.EFI"
from_dir BOOTX64-net.EFI BOOTX64.EFI 1
# The disk/CD writers do without it.
mkdir "$tmp/ld-disk"
cp "$L"/*.bin "$L/BOOTX64.EFI" "$tmp/ld-disk/"
"$E" image --loader-dir "$tmp/ld-disk" -o "$tmp/disk.img" "$B/kernels/k_default" > /dev/null 2> "$tmp/err" &&
	[ ! -s "$tmp/err" ] && ok "image: a --loader-dir without BOOTX64-net.EFI is enough" ||
	bad "image needs BOOTX64-net.EFI" "$(cat "$tmp/err")"
# image-info of the netboot tree reads the network BOOTX64.EFI's build id.
grep -F "BOOTX64.EFI:" "$tmp/info" | grep -qF "$id" && ok "image-info: the TFTP root's BOOTX64.EFI carries $id" ||
	bad "image-info netboot BOOTX64.EFI" "$(grep -F BOOTX64 "$tmp/info" | tr '\n' '|')"
# The disk BOOTX64.EFI fetched over the network (a hand-made root): the
# stub finds the PXE base code on its device and stops with its line.
mkdir "$tmp/nbefi"
cp "$tmp/nb/kernel-x86_64" "$tmp/nbefi/"
cp "$L/BOOTX64.EFI" "$tmp/nbefi/"
stub_boot uefi virtio-fw "$tmp/nbefi" BOOTX64.EFI "$efi_stub" "the disk BOOTX64.EFI over the network"

# The build's own NBP boots the kernel (the whole set: tests/suites/net.sh).
QEMU_NET="$tmp/nb,elfboot.pxe" QEMU_NIC=e1000 sh "$T/qemu.sh" bios - "${BOOT_TIMEOUT:-120}" --log "$tmp/nb.log"
rc=$?
[ $rc = 0 ] && grep -qa "network boot: TFTP server" "$tmp/nb.log" &&
	ok "bios: elfboot.pxe (stage2-pxe.bin) boots k_default over TFTP" ||
	bad "bios: elfboot.pxe boot" "qemu.sh status $rc: $(grep -a elfboot "$tmp/nb.log" | tail -2 | tr '\n' '|')"
[ -z "$(ls -A "$tmp/tmpdir")" ] && ok "no temporary loader directory left behind" ||
	bad "temporaries left" "$(ls -A "$tmp/tmpdir")"
