#!/bin/sh
# tool-info.sh BUILD - the self-contained tool: --version and the build id
# (in the tool, in stage2 and BOOTX64.EFI, on the loader's serial line), a
# --loader-dir of another build warned about, `image-info` on every image
# kind and on damaged images, and the tool copied alone to an empty
# directory building an image that boots (BIOS).  Prints PASS/FAIL lines.
set -u
B=${1:-build}
T=$(cd "$(dirname "$0")/.." && pwd)
E=$(cd "$B" && pwd)/elfboot
K=$(cd "$B/kernels" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The tool's own temporary directories go here: left over is a failure.
mkdir "$tmp/tmpdir"
export TMPDIR="$tmp/tmpdir" MTOOLS_SKIP_CHECK=1
unset SOURCE_DATE_EPOCH ELFBOOT_LOADER_DIR

SUITE=tool-info
. "$(dirname "$0")/../suite-lib.sh" # ok, bad, t_err

# --version: the id, and the embedded loaders' sizes as the files have them.
"$E" --version > "$tmp/v" 2>&1
id=$(sed -n '1s/^\(elfboot [0-9][0-9.]* (build [0-9a-f]\{8\})\)$/\1/p' "$tmp/v")
ver=$(tr -d ' \n' < "$T/../VERSION")
case "$id" in "elfboot $ver (build "*) ok "--version: $id" ;; *) bad "--version first line" "$(head -1 "$tmp/v")" ;; esac
sizes_ok=1
for f in stage1.bin stage2.bin cdboot.bin pxe.bin BOOTX64.EFI stage2-pxe.bin BOOTX64-net.EFI; do
	grep -q " $f $(stat -c %s "$B/uefi/$f") bytes" "$tmp/v" || sizes_ok=0
done
[ $sizes_ok = 1 ] && ok "--version: embedded loader sizes match $B/uefi" || bad "--version sizes" "$(tail -1 "$tmp/v")"
for f in stage2.bin stage2-pxe.bin BOOTX64.EFI BOOTX64-net.EFI; do
	if [ -n "$id" ] && grep -aqF "$id" "$B/uefi/$f"; then ok "$f carries $id"; else bad "$f lacks the build id"; fi
done
# The id is a hash of the loader inputs: the tool's copy and the header agree.
grep -qF "\"$id\"" "$B/buildid.h" && ok "build/buildid.h holds the same id" || bad "buildid.h" "$(cat "$B/buildid.h")"

# A loader directory of another build: one warning line naming both ids.
mkdir "$tmp/ld"
cp "$B/uefi/"*.bin "$B/uefi/BOOTX64.EFI" "$tmp/ld/"
sed -i 's/(build [0-9a-f]\{8\})/(build 0badc0de)/' "$tmp/ld/stage2.bin" "$tmp/ld/BOOTX64.EFI"
if "$E" image --loader-dir "$tmp/ld" -o "$tmp/ld.img" "$K/k_default" > /dev/null 2> "$tmp/err" &&
   [ "$(wc -l < "$tmp/err")" = 1 ] && grep -qF "build 0badc0de" "$tmp/err" && grep -qF "this tool is $id" "$tmp/err"; then
	ok "--loader-dir of another build (stage2, BOOTX64.EFI): one warning line naming both ids"
else
	bad "--loader-dir warning" "$(cat "$tmp/err")"
fi
if ELFBOOT_LOADER_DIR="$B/uefi" "$E" image -o "$tmp/same.img" "$K/k_default" > /dev/null 2> "$tmp/err" &&
   [ ! -s "$tmp/err" ]; then
	ok "\$ELFBOOT_LOADER_DIR of the same build: no warning"
else
	bad "same-build loader dir" "$(cat "$tmp/err")"
fi

# image-info on each kind: partitions, files, ids, the kernel's config.
"$E" image --ramdisk "$B/ramdisk.bin" -o "$tmp/h.img" "$K/k_physmem" > /dev/null
"$E" image --uefi -o "$tmp/u.img" "$K/k_pie" > /dev/null
"$E" image --iso -o "$tmp/i.iso" "$K/k_base" > /dev/null
"$E" netboot -o "$tmp/nb" "$K/k_default" > /dev/null
"$E" config show "$K/k_physmem" | tail -n +3 > "$tmp/cfg-physmem"
info() { # NAME IMG PATTERN...: image-info succeeds, prints each pattern
	n=$1 img=$2
	shift 2
	if ! "$E" image-info "$img" > "$tmp/info" 2> "$tmp/err"; then
		bad "image-info $n" "$(cat "$tmp/err")"
		return
	fi
	for p in "$@"; do
		grep -qE -- "$p" "$tmp/info" || { bad "image-info $n: /$p/ missing" "$(head -3 "$tmp/info" | tr '\n' '|')"; return; }
	done
	ok "image-info $n"
}
rsz=$(stat -c %s "$B/ramdisk.bin")
idre=$(printf '%s' "$id" | sed 's/[().]/\\&/g') # the id as an ERE
info "hybrid disk" "$tmp/h.img" "EFI System +LBA 2048-" "BIOS boot +LBA 34-2047" \
	"stage2 \(BIOS boot partition\): +$idre" "BOOTX64.EFI \(ESP\): +$idre" \
	"EFI/BOOT/BOOTX64.EFI +$(stat -c %s "$B/uefi/BOOTX64.EFI") bytes" \
	"kernel-x86_64 +$(stat -c %s "$K/k_physmem") bytes" "ramdisk +$rsz bytes" \
	"mappings.physical_memory +dynamic"
# The config part is exactly what `config show` prints for the same kernel.
sed -n '/^kernel config:/,$p' "$tmp/info" | tail -n +4 > "$tmp/cfg-info"
cmp -s "$tmp/cfg-info" "$tmp/cfg-physmem" && ok "image-info: the kernel config as config show prints it" ||
	bad "image-info config differs from config show" "$(diff "$tmp/cfg-info" "$tmp/cfg-physmem" | head -3 | tr '\n' '|')"
info "UEFI-only disk" "$tmp/u.img" "EFI System" "BOOTX64.EFI \(ESP\): +$idre" "PIE, ET_DYN"
if grep -q "EFI System" "$tmp/info" && ! grep -q "BIOS boot" "$tmp/info"; then
	ok "UEFI-only disk: an ESP and no BIOS boot partition"
else
	bad "UEFI-only disk: partitions" "$(grep -E 'EFI System|BIOS boot' "$tmp/info" | tr '\n' '|')"
fi
info "ISO" "$tmp/i.iso" "ISO 9660" "stage2 \(elfboot-cd.bin\): +$idre" "BOOTX64.EFI \(ESP\): +$idre" \
	"kernel-x86_64 +$(stat -c %s "$K/k_base") bytes" "mappings.kernel_base +0x200000000000"
info "netboot directory" "$tmp/nb" "netboot directory" "stage2 \(elfboot.pxe\): +$idre" "BOOTX64.EFI: +$idre" \
	"elfboot.pxe +[0-9]+ bytes"
info "loaders of another build" "$tmp/ld.img" "stage2 \(BIOS boot partition\): +elfboot .*0badc0de" \
	"BOOTX64.EFI \(ESP\): +elfboot .*0badc0de"
# Mixed: stage2 of another build, BOOTX64.EFI of ours.
cp "$B/uefi/BOOTX64.EFI" "$tmp/ld/"
"$E" image --loader-dir "$tmp/ld" -o "$tmp/mixed.img" "$K/k_default" > /dev/null 2>&1
info "mixed builds flagged" "$tmp/mixed.img" "stage2 \(BIOS boot partition\): +elfboot .*0badc0de" "different builds"

# An image of a kernel the loader would refuse (--unchecked): the error
# names the file in the image, not the tool's temporary copy.
"$E" image --uefi --unchecked -o "$tmp/nc.img" "$K/k_noconfig" > /dev/null
t_err "image-info: the kernel's own error, named as in the image" \
	"error: kernel-x86_64 (ESP): .*no .bootloader-config section" "$E" image-info "$tmp/nc.img"
grep -q "elfboot-info" "$tmp/err" && bad "image-info names its temporary copy" "$(cat "$tmp/err")"

# Damaged images: one error line, non-zero exit.
head -c 20000000 "$tmp/h.img" > "$tmp/trunc.img"
t_err "image-info: truncated disk" "outside the 39062-sector image" "$E" image-info "$tmp/trunc.img"
cp "$tmp/h.img" "$tmp/hdr.img"
printf 'X' | dd of="$tmp/hdr.img" bs=1 seek=$((512 + 40)) conv=notrunc 2> /dev/null
t_err "image-info: corrupt GPT header" "GPT header CRC32" "$E" image-info "$tmp/hdr.img"
cp "$tmp/h.img" "$tmp/ent.img"
printf 'X' | dd of="$tmp/ent.img" bs=1 seek=$((1024 + 40)) conv=notrunc 2> /dev/null
t_err "image-info: corrupt GPT entry" "GPT entry array CRC32" "$E" image-info "$tmp/ent.img"
# A consistent GPT whose entry count is absurd (CRCs recomputed): refused
# by its bound, not read.
python3 - "$tmp/h.img" "$tmp/huge.img" <<'EOF'
import sys, zlib, struct
d = bytearray(open(sys.argv[1], 'rb').read())
h = d[512:1024]
struct.pack_into('<I', h, 80, 0x7fffffff)
struct.pack_into('<I', h, 16, 0)
struct.pack_into('<I', h, 16, zlib.crc32(bytes(h[:92])) & 0xffffffff)
d[512:1024] = h
open(sys.argv[2], 'wb').write(d)
EOF
t_err "image-info: huge GPT entry count" "2147483647 entries of 128 bytes is not plausible" "$E" image-info "$tmp/huge.img"
# GPTs with consistent CRCs but random fields (entry array place, count
# and size; partition LBAs, types, names): image-info reads each or refuses
# it with one error line, and never dies of a signal.  ${E_SAN:-$E} lets a
# sanitizer build of the tool run the same images.
"$E" image --uefi --fat-auto -o "$tmp/small.img" "$K/k_pie" > /dev/null
cat > "$tmp/mut.py" <<'EOF'
import random, struct, sys, zlib
d = bytearray(open(sys.argv[1], 'rb').read())
rnd = random.Random(int(sys.argv[3]))
h = d[512:1024]
ent = d[1024:1024 + 128 * 128]
for _ in range(rnd.randint(1, 2)):
    f = rnd.choice(['elba', 'count', 'esize', 'first', 'last', 'type', 'name', 'hsize'])
    if f == 'elba': struct.pack_into('<Q', h, 72, rnd.choice([0, 1, 2, 3, 20479, 20480, 2**63, rnd.getrandbits(64)]))
    if f == 'count': struct.pack_into('<I', h, 80, rnd.choice([0, 1, 4, 129, 1024, 1025, rnd.getrandbits(32)]))
    if f == 'esize': struct.pack_into('<I', h, 84, rnd.choice([0, 8, 127, 128, 136, 4096, 4097, rnd.getrandbits(32)]))
    if f == 'hsize': struct.pack_into('<I', h, 12, rnd.choice([0, 91, 92, 512, 513, rnd.getrandbits(32)]))
    if f == 'first': struct.pack_into('<Q', ent, 32, rnd.choice([0, 2047, 2049, 2**64 - 1, rnd.getrandbits(64)]))
    if f == 'last': struct.pack_into('<Q', ent, 40, rnd.choice([0, 2047, 4000, 20479, 2**64 - 1, rnd.getrandbits(64)]))
    if f == 'type': ent[rnd.randrange(16)] ^= 1 << rnd.randrange(8)
    if f == 'name': ent[56:128] = bytes(rnd.getrandbits(8) for _ in range(72))
d[1024:1024 + len(ent)] = ent
# The entry CRC over the array the header now describes, when it fits.
elba, cnt, esz = struct.unpack_from('<Q', h, 72)[0], *struct.unpack_from('<II', h, 80)
arr = d[elba * 512:elba * 512 + cnt * esz] if elba * 512 + cnt * esz <= len(d) else ent
struct.pack_into('<I', h, 88, zlib.crc32(bytes(arr)) & 0xffffffff)
hs = struct.unpack_from('<I', h, 12)[0]
struct.pack_into('<I', h, 16, 0)
struct.pack_into('<I', h, 16, zlib.crc32(bytes(h[:min(max(hs, 92), 512)])) & 0xffffffff)
d[512:1024] = h
open(sys.argv[2], 'wb').write(d)
EOF
mut_bad="" mut_ok=0 n=0
while [ $n -lt 40 ]; do
	python3 "$tmp/mut.py" "$tmp/small.img" "$tmp/m.img" $n
	"${E_SAN:-$E}" image-info "$tmp/m.img" > /dev/null 2> "$tmp/err"
	rc=$?
	if [ $rc -gt 1 ] || [ "$(wc -l < "$tmp/err")" -gt 1 ] || { [ $rc = 1 ] && ! grep -q '^elfboot: error: ' "$tmp/err"; }; then
		mut_bad="$mut_bad $n:rc$rc"
	fi
	[ $rc = 0 ] && mut_ok=$((mut_ok + 1))
	n=$((n + 1))
done
[ -z "$mut_bad" ] && ok "image-info: 40 GPTs with random fields: $mut_ok read, the rest refused in one line" ||
	bad "image-info on random GPT fields" "$mut_bad $(head -2 "$tmp/err" | tr '\n' '|')"

cp "$tmp/h.img" "$tmp/fat.img"
dd if=/dev/zero of="$tmp/fat.img" bs=512 seek=2048 count=64 conv=notrunc 2> /dev/null
t_err "image-info: ESP without a file system" "mcopy failed .* while reading the ESP" "$E" image-info "$tmp/fat.img"
head -c 100000 "$tmp/i.iso" > "$tmp/trunc.iso"
t_err "image-info: truncated ISO" "outside the 195-sector image" "$E" image-info "$tmp/trunc.iso"
printf 'not an image' > "$tmp/junk"
t_err "image-info: not an image" "neither a GPT disk image" "$E" image-info "$tmp/junk"
t_err "image-info: no argument" "expected one IMAGE" "$E" image-info
t_err "image-info: missing file" "cannot open" "$E" image-info "$tmp/nope"
mkdir "$tmp/emptydir"
t_err "image-info: a directory without a kernel" "no kernel-x86_64" "$E" image-info "$tmp/emptydir"

# The tool alone: copied to an empty directory, no loader directory
# anywhere near it, builds an image that boots.
mkdir -p "$tmp/alone/bin"
cp "$E" "$tmp/alone/bin/elfboot"
if (cd "$tmp/alone" && env -u ELFBOOT_LOADER_DIR ./bin/elfboot image --bios -o alone.img "$K/k_default") > /dev/null 2> "$tmp/err" &&
   [ ! -s "$tmp/err" ]; then
	ok "the tool alone in an empty directory builds an image"
	if timeout 120 sh "$T/qemu.sh" bios "$tmp/alone/alone.img" 60 --log "$tmp/alone.log"; then
		ok "bios: the self-contained tool's image boots"
	else
		bad "bios: the self-contained tool's image did not boot" "$(tail -2 "$tmp/alone.log" | tr '\n' '|')"
	fi
	grep -aqF "$id" "$tmp/alone.log" && ok "bios: the loader prints its build id on serial" ||
		bad "bios: no build id on serial" "$(grep -a 'elfboot: kernel' "$tmp/alone.log")"
else
	bad "the tool alone" "$(cat "$tmp/err")"
fi
[ -z "$(ls -A "$TMPDIR")" ] && ok "no temporary loader or info directory left behind" ||
	bad "temporary files left behind" "$(ls -A "$TMPDIR" | head -3 | tr '\n' ' ')"
