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
for v in stage2 stage2-pxe; do
	objcopy -O binary "$B/bios/$v.elf" "$tmp/$v.img"
	nm "$B/bios/$v.elf" | awk '{ print $3 }' | grep -cE "$pxe_syms" > "$tmp/$v.syms"
	grep -caF "$pxe_msg" "$tmp/$v.img" > "$tmp/$v.msg"
	grep -caF "$stub_msg" "$tmp/$v.img" > "$tmp/$v.stub"
done
if [ "$(cat "$tmp/stage2.syms")" = 0 ] && [ "$(cat "$tmp/stage2.msg")" = 0 ] &&
   [ "$(cat "$tmp/stage2.stub")" != 0 ]; then
	ok "stage2.bin has no PXE code (no pxe_* functions, no '$pxe_msg'; the stub's line)"
else
	bad "stage2.bin holds PXE code" "$(cat "$tmp/stage2.syms") pxe_* symbols, message $(cat "$tmp/stage2.msg"), stub $(cat "$tmp/stage2.stub")"
fi
if [ "$(cat "$tmp/stage2-pxe.syms")" -ge 4 ] && [ "$(cat "$tmp/stage2-pxe.msg")" != 0 ] &&
   [ "$(cat "$tmp/stage2-pxe.stub")" = 0 ]; then
	ok "stage2-pxe.bin has the PXE code ($(cat "$tmp/stage2-pxe.syms") pxe_* functions, '$pxe_msg') and no stub"
else
	bad "stage2-pxe.bin lacks PXE code" "$(cat "$tmp/stage2-pxe.syms") pxe_* symbols, message $(cat "$tmp/stage2-pxe.msg"), stub $(cat "$tmp/stage2-pxe.stub")"
fi

# The NBP's stage2 part (from byte 1024) is stage2-pxe.bin: the embedded
# copy, and a --loader-dir's own (marked so it differs from the build's).
"$E" netboot -o "$tmp/nb" "$B/kernels/k_default" > /dev/null 2> "$tmp/err"
if tail -c +1025 "$tmp/nb/elfboot.pxe" | cmp -s - "$L/stage2-pxe.bin" &&
   head -c 1024 "$tmp/nb/elfboot.pxe" | cmp -s - "$L/pxe.bin"; then
	ok "elfboot.pxe (embedded loaders) = pxe.bin + stage2-pxe.bin"
else
	bad "elfboot.pxe (embedded loaders) is not pxe.bin + stage2-pxe.bin" "$(cat "$tmp/err")"
fi
mkdir "$tmp/ld"
cp "$L"/*.bin "$L/BOOTX64.EFI" "$tmp/ld/"
# A changed byte past the header (netboot checks the magic and length
# only; this NBP is compared, not booted).
printf 'Z' | dd of="$tmp/ld/stage2-pxe.bin" bs=1 seek=100 conv=notrunc 2> /dev/null
if "$E" netboot --loader-dir "$tmp/ld" -o "$tmp/nb2" "$B/kernels/k_default" > /dev/null 2> "$tmp/err" &&
   tail -c +1025 "$tmp/nb2/elfboot.pxe" | cmp -s - "$tmp/ld/stage2-pxe.bin" &&
   ! cmp -s "$tmp/ld/stage2-pxe.bin" "$L/stage2-pxe.bin"; then
	ok "elfboot.pxe (--loader-dir) = its pxe.bin + stage2-pxe.bin"
else
	bad "elfboot.pxe (--loader-dir) is not its stage2-pxe.bin" "$(cat "$tmp/err")"
fi
# Without stage2-pxe.bin: refused in one line naming it, nothing written.
rm "$tmp/ld/stage2-pxe.bin"
t_err "netboot: a --loader-dir without stage2-pxe.bin is refused" "stage2-pxe.bin" \
	"$E" netboot --loader-dir "$tmp/ld" -o "$tmp/nb3" "$B/kernels/k_default"
[ ! -e "$tmp/nb3/elfboot.pxe" ] && ok "netboot: nothing written without stage2-pxe.bin" ||
	bad "netboot wrote elfboot.pxe without stage2-pxe.bin"
# The loader-dir build-id check covers stage2-pxe.bin: only it of another
# build gives one warning line naming it.
id=$("$E" --version | head -1)
cp "$L/stage2-pxe.bin" "$tmp/ld/"
sed -i 's/(build [0-9a-f]\{8\})/(build 0badc0de)/' "$tmp/ld/stage2-pxe.bin"
if "$E" netboot --loader-dir "$tmp/ld" -o "$tmp/nb4" "$B/kernels/k_default" > /dev/null 2> "$tmp/err" &&
   [ "$(wc -l < "$tmp/err")" = 1 ] && grep -qF "stage2-pxe.bin is elfboot" "$tmp/err" &&
   grep -qF "(build 0badc0de)" "$tmp/err" && grep -qF "this tool is $id" "$tmp/err"; then
	ok "--loader-dir whose stage2-pxe.bin is of another build: one warning line naming it"
else
	bad "--loader-dir stage2-pxe.bin build-id warning" "$(cat "$tmp/err")"
fi
# image-info finds the build id in the NBP's stage2 (stage2-pxe.bin's).
"$E" image-info "$tmp/nb" > "$tmp/info" 2>&1
grep -qF "stage2 (elfboot.pxe):" "$tmp/info" && grep "stage2 (elfboot.pxe):" "$tmp/info" | grep -qF "$id" &&
	ok "image-info: the NBP's stage2 carries $id" ||
	bad "image-info netboot directory" "$(grep -A3 'loader build' "$tmp/info" | tr '\n' '|')"

# The disk stage2 behind the PXE stage (a hand-made NBP): stage2_main takes
# the network hand-over to the stub, which stops the boot with its line.
mkdir "$tmp/nbdisk"
cp "$tmp/nb/kernel-x86_64" "$tmp/nbdisk/"
cat "$L/pxe.bin" "$L/stage2.bin" > "$tmp/nbdisk/elfboot.pxe"
QEMU_NET="$tmp/nbdisk,elfboot.pxe" QEMU_NIC=e1000 sh "$T/qemu.sh" bios - "${BOOT_TIMEOUT:-120}" --log "$tmp/nbdisk.log"
rc=$?
if [ $rc = 2 ] && grep -qaF "elfboot: error: network: $stub_msg" "$tmp/nbdisk.log" &&
   [ "$(grep -ac 'elfboot: error' "$tmp/nbdisk.log")" = 1 ]; then
	ok "bios: an NBP with the disk stage2 stops with one line ('$stub_msg')"
else
	bad "bios: NBP with the disk stage2" "qemu.sh status $rc: $(grep -a elfboot "$tmp/nbdisk.log" | tail -2 | tr '\n' '|')"
fi
# The build's own NBP boots the kernel (the whole set: tests/suites/net.sh).
QEMU_NET="$tmp/nb,elfboot.pxe" QEMU_NIC=e1000 sh "$T/qemu.sh" bios - "${BOOT_TIMEOUT:-120}" --log "$tmp/nb.log"
rc=$?
[ $rc = 0 ] && grep -qa "network boot: TFTP server" "$tmp/nb.log" &&
	ok "bios: elfboot.pxe (stage2-pxe.bin) boots k_default over TFTP" ||
	bad "bios: elfboot.pxe boot" "qemu.sh status $rc: $(grep -a elfboot "$tmp/nb.log" | tail -2 | tr '\n' '|')"
[ -z "$(ls -A "$tmp/tmpdir")" ] && ok "no temporary loader directory left behind" ||
	bad "temporaries left" "$(ls -A "$tmp/tmpdir")"
