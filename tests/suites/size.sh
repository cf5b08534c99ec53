#!/bin/sh
# size.sh BUILD - the loaders' size budget (issue 9) and what it rests on:
# both binaries within their limits; BOOTX64.EFI's .bss stored with no file
# bytes (the PE loader zero-fills it); stage2's packed stream (mk/s2pack.py)
# round-trips, and a damaged one stops at boot with one line instead of
# unpacking past its end.  Prints PASS/FAIL lines.
set -u
B=${1:-build}
T=$(cd "$(dirname "$0")/.." && pwd)
R=$(cd "$T/.." && pwd)
L="$B/uefi"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export MTOOLS_SKIP_CHECK=1

pass() { echo "PASS size: $1"; }
fail() { echo "FAIL size: $1"; }

# The limits as the Makefile sets them (the build itself stops over them).
efi_limit=$(sed -n 's/^EFI_LIMIT *:= *//p' "$R/Makefile")
bios_limit=$(sed -n 's/^BIOS_LIMIT *:= *//p' "$R/Makefile")
efi=$(stat -c %s "$L/BOOTX64.EFI")
bios=$(( $(stat -c %s "$L/stage1.bin") + $(stat -c %s "$L/stage2.bin") ))
if [ "$efi" -le "${efi_limit:-0}" ]; then
	pass "BOOTX64.EFI $efi <= $efi_limit bytes"
else
	fail "BOOTX64.EFI is $efi bytes (limit ${efi_limit:-not found in the Makefile})"
fi
if [ "$bios" -le "${bios_limit:-0}" ]; then
	pass "stage1+stage2 $bios <= $bios_limit bytes"
else
	fail "stage1+stage2 is $bios bytes (limit ${bios_limit:-not found in the Makefile})"
fi

# The PE section table, read back: .bss has a size in memory and none in
# the file, and the image's sections with file bytes hold no long zero run
# (the ~100 KB of buffers that used to be stored).
if out=$(python3 - "$L/BOOTX64.EFI" 2>&1 <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
pe = struct.unpack_from('<I', d, 0x3c)[0]
nsec, optsz = struct.unpack_from('<HH', d, pe + 6)[0], struct.unpack_from('<H', d, pe + 20)[0]
sec = pe + 24 + optsz
bss = None
for i in range(nsec):
    name, vsize, va, rawsize, rawptr = struct.unpack_from('<8sIIII', d, sec + 40 * i)
    name = name.rstrip(b'\0').decode()
    if name == '.bss':
        bss = (vsize, rawsize)
    elif b'\0' * 4096 in d[rawptr:rawptr + rawsize]:
        sys.exit('section %s stores a 4 KiB run of zeros' % name)
if not bss:
    sys.exit('no .bss section')
if bss[1] != 0 or bss[0] < 65536:
    sys.exit('.bss: %d bytes in memory, %d in the file' % bss)
print('.bss: %d bytes in memory, 0 in the file' % bss[0])
PY
); then pass "BOOTX64.EFI $out"; else fail "BOOTX64.EFI: $out"; fi

# s2pack on data with every kind of token (long runs, near and far
# repeats, noise): it checks its own stream by unpacking it.
python3 -c "
import random; random.seed(9); b = bytearray(b'x' * 600)
for i in range(30000): b += bytes([random.randrange(256)]) if i % 3 else b[-random.randrange(1, len(b)):][:7]
open('$tmp/raw', 'wb').write(bytes(1024) + b)"
if python3 "$R/mk/s2pack.py" "$tmp/raw" 0x8400 0x8000 "$tmp/packed" > "$tmp/out" 2>&1 &&
	[ "$(stat -c %s "$tmp/packed")" -lt "$(stat -c %s "$tmp/raw")" ]; then
	pass "s2pack round trip ($(cat "$tmp/out"))"
else
	fail "s2pack round trip ($(cat "$tmp/out"))"
fi

# A stage2 whose stream asks for a match longer than the image: the bound
# in entry.asm's unpack stops it with its line (qemu.sh status 2).
mkdir "$tmp/ld"
cp "$L"/*.bin "$L/BOOTX64.EFI" "$tmp/ld/"
payload=$(nm "$B/bios/stage2.elf" | awk '$3 == "__stage2_payload" { p = $1 } $3 == "__stage2_start" { s = $1 }
	END { print "0x" p, "0x" s }')
python3 - "$tmp/ld/stage2.bin" "$R/mk" $payload <<'PY'
import sys
sys.path.insert(0, sys.argv[2])
import s2pack
p, at = sys.argv[1], int(sys.argv[3], 16) - int(sys.argv[4], 16)
d = bytearray(open(p, 'rb').read())
w = s2pack.Writer()
w.bit(1); w.gamma(1); w.byte(0); w.gamma(1 << 20)
d[at:at + len(w.out)] = w.out
open(p, 'wb').write(d)
PY
if ! "$B/elfboot" image --loader-dir "$tmp/ld" -o "$tmp/bad.img" "$B/kernels/k_default" > "$tmp/out" 2>&1; then
	fail "damaged stage2: image ($(tail -1 "$tmp/out"))"
else
	sh "$T/qemu.sh" bios "$tmp/bad.img" 60 --log "$tmp/bad.log"
	rc=$?
	if [ $rc = 2 ] && grep -q "stage2: its packed code is damaged" "$tmp/bad.log"; then
		pass "damaged stage2 stops with its line"
	else
		fail "damaged stage2 (qemu.sh status $rc: $(grep -a elfboot "$tmp/bad.log" | head -2 | tr '\n' '|'))"
	fi
fi
