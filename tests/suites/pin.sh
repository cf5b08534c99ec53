#!/bin/sh
# pin.sh BUILD - file pins (issue 11, docs/trusted-boot.md): `image --pin`
# records the SHA-256 of kernel, ramdisk, boot.json and modules in both
# loaders (image-info shows them; an unpinned image says "not pinned");
# the pinned hybrid image boots on BIOS and UEFI; after the medium is
# changed with mtools each file is refused with the expected line (both
# digests, as sha256sum gives them): kernel and ramdisk on both firmwares,
# boot.json, a module, a missing ramdisk and an extra boot.json on BIOS;
# the CD path (an ISO's ramdisk patched in place, BIOS) and the network (a
# netboot root's ramdisk replaced, both firmwares); `run --pin` boots and
# pins.  Tool errors: too many files, a loader without a pin block, one
# with two.  Prints PASS/FAIL lines.
set -u
B=${1:-build}
T=$(cd "$(dirname "$0")/.." && pwd)
E=$(cd "$B" && pwd)/elfboot
KD=$(cd "$B" && pwd)/kernels
R=$(cd "$B" && pwd)/ramdisk.bin
# 16 MiB for the pinned boots: many INT 13h transfers and 2 MiB UEFI reads
R16=$(cd "$B" && pwd)/ramdisk16.bin
LD=$(cd "$B" && pwd)/uefi
SUITE=pin
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$T/suite-lib.sh"
export TMPDIR="$tmp/t"
mkdir "$TMPDIR"
cd "$tmp" || exit 1
ESP=$((2048 * 512))
TMO=${BOOT_TIMEOUT:-240}
export MTOOLS_SKIP_CHECK=1
sum() { sha256sum "$1" | cut -d' ' -f1; }
# Debug: the pinned boots say which SHA-256 code hashed the files
printf '{ "log_level": "Debug" }\n' > c.json
printf '{ "log_level": "Info" }\n' > c2.json
head -c 4097 /dev/urandom > m0
head -c 70000 /dev/urandom > m1

# boot NAME MODE IMAGE WANT TEXT: qemu.sh's status WANT (0 pass, 2 halted
# by elfboot) and, for 2, TEXT on serial (fixed string).
boot() {
	n=$1 m=$2 img=$3 want=$4 text=$5
	QEMU_MEM=256M sh "$T/qemu.sh" "$m" "$img" "$TMO" --log "$n.$m.log" > /dev/null 2>&1
	rc=$?
	if [ "$rc" != "$want" ]; then
		bad "$m/$n" "qemu.sh status $rc, want $want: $(grep -a 'elfboot: error\|ktest: check' "$n.$m.log" | head -1)"
	elif [ "$want" = 2 ] && ! grep -qaF -- "$text" "$n.$m.log"; then
		bad "$m/$n" "halted with: $(grep -a 'elfboot: error' "$n.$m.log" | head -1), want '$text'"
	else
		ok "$m/$n"
	fi
}
# mismatch FILE-ON-MEDIUM PINNED-SOURCE NEW-SOURCE [MEDIUM]: the loader's line.
mismatch() {
	echo "elfboot: error: ${4:-disk}: '$1' does not match its pin: expected sha256 $(sum "$2"), got $(sum "$3")"
}

# ---- the tool
if "$E" image --pin --ramdisk "$R16" --config-file c.json -o p.img "$KD/k_ramdisk" > out 2> err &&
   "$E" image-info p.img > info 2> err; then
	want="    boot.json        sha256 $(sum c.json)
    kernel-x86_64    sha256 $(sum "$KD/k_ramdisk")
    ramdisk          sha256 $(sum "$R16")"
	got=$(sed -n '/^pins:/,/^kernel config/p' info)
	if [ "$(grep -c '3 files pinned' info)" = 2 ] &&
	   [ "$(printf '%s\n' "$got" | grep -c '^    ')" = 6 ] &&
	   [ "$(printf '%s\n' "$got" | grep -cxF -e "$(printf '%s\n' "$want" | sed -n 1p)" \
		-e "$(printf '%s\n' "$want" | sed -n 2p)" -e "$(printf '%s\n' "$want" | sed -n 3p)")" = 6 ]; then
		ok "image-info shows the pins of both loaders"
	else
		bad "image-info shows the pins of both loaders" "$(tr '\n' '|' < info)"
	fi
else
	bad "pinned image" "$(tr '\n' '|' < err)"
fi
"$E" image --ramdisk "$R" -o u.img "$KD/k_ramdisk" > out 2>&1 && "$E" image-info u.img > uinfo 2>&1
if [ "$(grep -c 'not pinned$' uinfo)" = 2 ]; then
	ok "image-info: an unpinned image says not pinned"
else
	bad "image-info: an unpinned image says not pinned" "$(sed -n '/^pins:/,$p' uinfo | tr '\n' '|')"
fi
set --
for i in 0 1 2 3 4 5; do printf '%s' "$i" > "x$i" && set -- "$@" --module "x$i"; done
t_err too-many-files "--pin: the medium holds 9 files; a loader's pin block holds 8" \
	"$E" image --pin --ramdisk "$R" --config-file c.json "$@" -o x.img "$KD/k_ramdisk"
[ ! -e x.img ] && [ -z "$(ls -A "$TMPDIR")" ] || bad "too-many-files: left files behind"
mkdir ld
cp "$LD"/*.bin "$LD"/BOOTX64.EFI ld/
sed -i 's/elfboot pins v1/elfboot pinz v1/' ld/stage2.bin
t_err loader-without-block "'ld/stage2.bin' has no pin block" \
	"$E" image --pin --loader-dir ld -o x.img "$KD/k_ramdisk"
cp "$LD"/stage2.bin ld/
python3 - ld/BOOTX64.EFI <<'PY'
import sys
p = sys.argv[1]
d = bytearray(open(p, 'rb').read())
i = d.find(b'elfboot pins v1\0')
d[-600:-600 + 16] = d[i:i + 16]   # a second magic
open(p, 'wb').write(d)
PY
t_err loader-two-blocks "two pin blocks" "$E" image --pin --uefi --loader-dir ld -o x.img "$KD/k_ramdisk"
[ ! -e x.img ] && [ -z "$(ls -A "$TMPDIR")" ] || bad "loader errors: left files behind"

# ---- boots: the pinned image, then changed copies of it
boot pinned bios p.img 0 -
boot pinned uefi p.img 0 -
# Which SHA-256 code hashed the pins: QEMU's TCG offers no SHA-NI (and its
# CPU model no SHA), so the C code, said on serial on both firmwares.
for m in bios uefi; do
	if grep -qa "elfboot: pins: SHA-256 by C code" "pinned.$m.log"; then
		ok "$m/sha256-path"
	else
		bad "$m/sha256-path" "$(grep -a 'pins: SHA-256' "pinned.$m.log" | head -1)"
	fi
done
cp p.img k.img && mcopy -o -i "k.img@@$ESP" "$KD/k_default" ::/kernel-x86_64
cp p.img r.img && mcopy -o -i "r.img@@$ESP" m1 ::/ramdisk
cp p.img j.img && mcopy -o -i "j.img@@$ESP" c2.json ::/boot.json
for m in bios uefi; do
	boot kernel-changed $m k.img 2 "$(mismatch kernel-x86_64 "$KD/k_ramdisk" "$KD/k_default")"
	boot ramdisk-changed $m r.img 2 "$(mismatch ramdisk "$R16" m1)"
done
boot boot.json-changed bios j.img 2 "$(mismatch boot.json c.json c2.json)"
cp p.img d.img && mdel -i "d.img@@$ESP" ::/ramdisk
boot ramdisk-missing bios d.img 2 "elfboot: error: disk: 'ramdisk' is pinned but missing"
"$E" image --pin --ramdisk "$R" -o x.img "$KD/k_ramdisk" > out 2>&1 &&
	mcopy -i "x.img@@$ESP" c.json ::/boot.json
boot boot.json-extra bios x.img 2 "elfboot: error: disk: 'boot.json' is not pinned (an extra file)"
"$E" image --pin --ramdisk "$R" --module m0 --module m1 -o mod.img "$KD/k_ramdisk" > out 2>&1
boot modules bios mod.img 0 -
mcopy -o -i "mod.img@@$ESP" m0 ::/module-1
boot module-changed bios mod.img 2 "$(mismatch module-1 m1 m0)"

# ---- the CD path: the ISO's ramdisk patched in place (one byte mid-file)
"$E" image --iso --pin --ramdisk "$R" -o p.iso "$KD/k_ramdisk" > out 2>&1
QEMU_DISK=cdrom boot iso bios p.iso 0 -
python3 - p.iso "$R" r.new <<'PY'
import sys
iso, rd, new = sys.argv[1:]
d = bytearray(open(iso, 'rb').read())
r = open(rd, 'rb').read()
at = d.find(r[:4096])
assert at >= 0 and d[at:at + len(r)] == r
d[at + len(r) // 2] ^= 0xff
open(iso, 'wb').write(d)
open(new, 'wb').write(d[at:at + len(r)])
PY
QEMU_DISK=cdrom boot iso-ramdisk-changed bios p.iso 2 "$(mismatch ramdisk "$R" r.new cd)"

# ---- the network: a netboot root's ramdisk replaced
if "$E" netboot --pin --ramdisk "$R" -o net "$KD/k_ramdisk" > out 2> err; then
	cp m1 net/ramdisk
	# UEFI: the firmware's TFTP call fetches the whole file, hashed after
	QEMU_NET="$tmp/net,elfboot.pxe" boot net-ramdisk-changed bios - 2 \
		"$(mismatch ramdisk "$R" m1 "network: TFTP server 10.0.2.2")"
	QEMU_NET="$tmp/net,BOOTX64.EFI" boot net-ramdisk-changed uefi - 2 \
		"$(mismatch ramdisk "$R" m1 "network: TFTP server 10.0.2.2")"
else
	bad "netboot --pin" "$(tr '\n' '|' < err)"
fi

# ---- `run --pin`: the same preparation behind the QEMU runner
if "$E" run --bios --pin --test --timeout 120 --ramdisk "$R" "$KD/k_ramdisk" > run.out 2>&1 &&
   grep -qa "ramdisk of 1048699 bytes verified" run.out; then
	ok "run --bios --pin boots"
else
	bad "run --bios --pin boots" "$(grep -a 'error' run.out | head -2 | tr '\n' '|')"
fi
mkdir ld2
cp "$LD"/*.bin "$LD"/BOOTX64.EFI ld2/
sed -i 's/elfboot pins v1/elfboot pinz v1/' ld2/stage2.bin
# run's own first stderr line says what it boots; then the one error
if "$E" run --bios --pin --test --timeout 60 --loader-dir ld2 "$KD/k_ramdisk" > out 2> err; then
	bad "run --pin pins" "exit 0 with a loader that has no pin block"
elif [ "$(grep -c '^elfboot: error:' err)" != 1 ] ||
     ! grep -q "^elfboot: error: --pin: 'ld2/stage2.bin' has no pin block" err; then
	bad "run --pin pins" "stderr: $(tr '\n' '|' < err)"
else
	ok "run --pin pins"
fi
[ -z "$(ls -A "$TMPDIR")" ] || bad "temporary files left behind" "$(ls -A "$TMPDIR" | tr '\n' ' ')"
