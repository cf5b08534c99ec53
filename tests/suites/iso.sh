#!/bin/sh
# iso.sh BUILD - `elfboot image --iso` on the host: the image holds what
# docs/boot-media.md says (ISO 9660 names as given, El Torito BIOS + EFI
# entries, stage1 in the MBR pointing at stage2 inside the ISO, a GPT whose
# ESP holds BOOTX64.EFI), and every refusal is one error line with no file
# left behind.  Boot tests: tests/boot/iso.list.  Prints PASS/FAIL lines.
set -u
B=${1:-build}
E="$B/elfboot"
K="$B/kernels"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export MTOOLS_SKIP_CHECK=1

pass() { echo "PASS iso-tool: $1"; }
fail() { echo "FAIL iso-tool: $1"; }
t_err() { # name text cmd... : non-zero exit, one stderr line with text, nothing left in $tmp/o
	n=$1 text=$2; shift 2
	rm -rf "$tmp/o"
	mkdir "$tmp/o"
	if "$@" > "$tmp/out" 2> "$tmp/err"; then
		fail "$n (exit 0)"
	elif [ "$(wc -l < "$tmp/err")" -ne 1 ] || ! grep -q -- "$text" "$tmp/err"; then
		fail "$n (stderr: $(head -3 "$tmp/err" | tr '\n' '|'), wanted '$text')"
	elif [ -n "$(ls -A "$tmp/o")" ]; then
		fail "$n (left behind: $(ls -A "$tmp/o" | tr '\n' ' '))"
	else
		pass "$n"
	fi
}

printf '{ "log_level": "Debug" }' > "$tmp/boot.json"
if "$E" image --iso --ramdisk "$B/ramdisk.bin" --config-file "$tmp/boot.json" -o "$tmp/a.iso" \
	"$K/k_default" > "$tmp/out" 2> "$tmp/err"; then
	pass "image --iso builds"
else
	fail "image --iso builds ($(head -1 "$tmp/err"))"
fi

# The layout, read back field by field.
if python3 - "$tmp/a.iso" "$K/k_default" "$B/ramdisk.bin" "$tmp/boot.json" > "$tmp/py" 2>&1 <<'EOF'
import struct, sys
iso, kernel, ramdisk, cfg = sys.argv[1:]
d = open(iso, "rb").read()
u32 = lambda o: struct.unpack_from("<I", d, o)[0]
pvd = 16 * 2048
assert d[pvd:pvd + 7] == b"\x01CD001\x01", "no primary volume descriptor"
root, rsize = u32(pvd + 156 + 2), u32(pvd + 156 + 10)
files, o = {}, root * 2048
while o < root * 2048 + rsize and d[o]:
    n = d[o + 32]
    files[d[o + 33:o + 33 + n]] = (u32(o + 2), u32(o + 10))
    o += d[o]
for name, path in ((b"kernel-x86_64", kernel), (b"ramdisk", ramdisk), (b"boot.json", cfg)):
    assert name in files, f"{name} not in the root by its own name: {sorted(files)}"
    lba, size = files[name]
    assert d[lba * 2048:lba * 2048 + size] == open(path, "rb").read(), f"{name} content differs"
# El Torito: the boot record points at the catalog; BIOS no-emulation
# entry (cdboot + stage2), then an EFI section with a no-emulation entry.
br = 17 * 2048
assert d[br:br + 7] == b"\x00CD001\x01" and d[br + 7:br + 30].rstrip(b"\0") == b"EL TORITO SPECIFICATION"
cat = u32(br + 71) * 2048
assert d[cat] == 1 and d[cat + 1] == 0, "validation entry: platform must be x86 BIOS"
assert d[cat + 32] == 0x88 and d[cat + 33] == 0, "initial entry: bootable, no emulation"
boot_lba = u32(cat + 32 + 8)
assert struct.unpack_from("<H", d, cat + 32 + 6)[0] == 4, "BIOS entry must load 2048 bytes"
assert b"elfboot: cdboot E" in d[boot_lba * 2048:boot_lba * 2048 + 2048], "BIOS entry is not cdboot"
assert u32(boot_lba * 2048 + 12) == boot_lba, "boot info table: the file's own block"
assert d[cat + 64] in (0x90, 0x91) and d[cat + 65] == 0xEF, "no EFI section header"
assert d[cat + 96] == 0x88 and d[cat + 97] == 0, "EFI entry: bootable, no emulation"
efi_lba = u32(cat + 96 + 8)
# The disk view: stage1 patched to stage2 right after cdboot, boot flag
# on the protective entry, and a GPT ESP that is the El Torito EFI image.
s2_lba = struct.unpack_from("<Q", d, 0x1a0 + 4)[0]
assert s2_lba == boot_lba * 4 + 4, (s2_lba, boot_lba)
assert u32(s2_lba * 512 + 4) == 0x32534245, "no stage2 magic where stage1 looks"
assert d[510:512] == b"\x55\xaa" and d[446] == 0x80 and d[450] == 0xEE, "protective MBR"
assert d[512:520] == b"EFI PART", "no GPT"
ents = struct.unpack_from("<Q", d, 512 + 72)[0] * 512
esp = [struct.unpack_from("<Q", d, ents + i * 128 + 32)[0] for i in range(8)
       if d[ents + i * 128:ents + i * 128 + 16] == bytes.fromhex("28732ac11ff8d211ba4b00a0c93ec93b")]
assert esp == [efi_lba * 4], f"ESP at {esp}, El Torito EFI image at block {efi_lba}"
print(esp[0] * 512)
EOF
then
	pass "ISO names, El Torito BIOS + EFI entries, stage1 -> stage2, GPT ESP = EFI image"
	off=$(tail -1 "$tmp/py")
	if mdir -i "$tmp/a.iso@@$off" ::/EFI/BOOT/BOOTX64.EFI > /dev/null 2>&1; then
		pass "the ESP holds EFI/BOOT/BOOTX64.EFI"
	else
		fail "the ESP holds EFI/BOOT/BOOTX64.EFI"
	fi
else
	fail "layout ($(tail -1 "$tmp/py"))"
fi

t_err "--iso with --bios refused" "takes no --bios" \
	"$E" image --iso --bios -o "$tmp/o/x.iso" "$K/k_default"
t_err "--iso: bad kernel refused, nothing written" "bad magic\|not an ELF\|ELF" \
	"$E" image --iso -o "$tmp/o/x.iso" "$B/ramdisk.bin"
t_err "--iso: output is the kernel" "refusing to overwrite an input" \
	"$E" image --iso -o "$K/k_default" "$K/k_default"
# Without xorriso on PATH (mtools kept): one line naming the package, and
# the temporary files are gone.
mkdir -p "$tmp/bin"
for t in mformat mmd mcopy; do ln -sf "$(command -v $t)" "$tmp/bin/$t"; done
t_err "--iso without xorriso" "cannot run xorriso.*install xorriso" \
	env PATH="$tmp/bin" "$E" image --iso -o "$tmp/o/x.iso" "$K/k_default"
