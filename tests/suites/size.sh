#!/bin/sh
# size.sh BUILD - the loaders' size budget (issue 9) and what it rests on:
# both binaries within their limits; BOOTX64.EFI's .bss stored with no file
# bytes (the PE loader zero-fills it); stage2's packed stream (mk/s2pack.py,
# mk/rcpack.py) round-trips, also on edge cases, and a damaged or cut one
# stops at boot with one line instead of unpacking past its end; BOOTX64.EFI's packed constants (issue 10) unpack
# at boot to the linked size, and a damaged pack stops with its line.
# Prints PASS/FAIL lines.
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

# stage2's coder (mk/rcpack.py, with s2pack's call/jmp/jcc filter) on the
# edge cases: nothing, one byte, all zeros, 64 KiB of noise, branch opcodes
# at the very end; each must unpack to itself.  And damage: a stream cut short,
# or one with a byte changed, must not unpack to the input without an
# error (decompress raises Damaged where entry.asm stops).
if out=$(python3 - "$R/mk" 2>&1 <<'PY'
import random, sys
sys.path.insert(0, sys.argv[1])
import rcpack, s2pack
random.seed(10)
cases = {'empty': b'', '1 byte': b'\xe8', 'zeros': bytes(40000),
         'noise': bytes(random.randrange(256) for _ in range(65536)),
         'branches': b'\xe8\x01\x02\x03\x04\x0f\x85\xff\xff\xff\xff\x0f\x84\x00\x00\x00\xe9\x00\x00'}
for name, data in cases.items():
    s = rcpack.compress(s2pack.x86_filter(data, 0x8400, 1), 1)
    if s2pack.unpack(s, len(data), 0x8400) != data:
        sys.exit('%s: does not round-trip' % name)
data = bytes(random.randrange(4) for _ in range(5000))
s = rcpack.compress(data, 1)
for name, bad in (('cut short', s[:len(s) // 2]), ('4 bytes', s[:3])):
    try:
        rcpack.decompress(bad, len(data))
        sys.exit('a stream %s unpacks' % name)
    except rcpack.Damaged:
        pass
print('%d cases round-trip, cut streams refused' % len(cases))
PY
); then pass "stage2 coder: $out"; else fail "stage2 coder: $out"; fi

# Damaged stage2s, each stopped by a bound in entry.asm's unpack with its
# line (qemu.sh status 2): "flipped", a stream byte changed where the
# packer's own decoder (the same algorithm) finds it damaged (a match
# reaching before the start or past the end, or a number too long);
# "short", the file and its header's length cut to one sector after .entry,
# so the decoder runs out of stream (the read bound).
payload=$(nm "$B/bios/stage2.elf" | awk '$3 == "__stage2_payload" { p = $1 } $3 == "__stage2_start" { s = $1 }
	END { print "0x" p, "0x" s }')
for kind in flipped short; do
	mkdir "$tmp/ld-$kind"
	cp "$L"/*.bin "$L/BOOTX64.EFI" "$tmp/ld-$kind/"
	if ! out=$(python3 - "$tmp/ld-$kind/stage2.bin" "$R/mk" $payload $kind 2>&1 <<'PY'
import struct, sys
sys.path.insert(0, sys.argv[2])
import rcpack
p, at, kind = sys.argv[1], int(sys.argv[3], 16) - int(sys.argv[4], 16), sys.argv[5]
d = bytearray(open(p, 'rb').read())
size, n = struct.unpack_from('<II', d, 8)
if kind == 'short':
    cut = (at + 511) // 512 * 512 + 512
    d = d[:cut]
    struct.pack_into('<I', d, 8, cut)
    where = 'cut to %d bytes' % cut
else:
    # From the stream's middle on, the first flip the decoder refuses,
    # given the stream as entry.asm sees it (with the sector padding).
    for k in range(at + (size - at) // 2, size):
        t = bytearray(d)
        t[k] ^= 0x55
        try:
            rcpack.decompress(bytes(t[at:size]), n)
        except rcpack.Damaged as e:
            d, where = t, 'byte %d: %s' % (k, e)
            break
    else:
        sys.exit('no damaging flip found')
open(p, 'wb').write(d)
print(where)
PY
); then
		fail "damaged stage2 ($kind): $out"
		continue
	fi
	if ! "$B/elfboot" image --loader-dir "$tmp/ld-$kind" -o "$tmp/bad.img" "$B/kernels/k_default" > "$tmp/out" 2>&1; then
		fail "damaged stage2 ($kind): image ($(tail -1 "$tmp/out"))"
		continue
	fi
	sh "$T/qemu.sh" bios "$tmp/bad.img" 60 --log "$tmp/bad.log"
	rc=$?
	if [ $rc = 2 ] && grep -q "stage2: its packed code is damaged" "$tmp/bad.log"; then
		pass "damaged stage2 ($kind, $out) stops with its line"
	else
		fail "damaged stage2 ($kind, $out) (qemu.sh status $rc: $(grep -a elfboot "$tmp/bad.log" | head -2 | tr '\n' '|'))"
	fi
done

# BOOTX64.EFI's constants (issue 10): .rodata is a PE section with no file
# bytes, its packed copy is in .packed (mk/efipack.py), and efi_main
# unpacks it first.  A boot at log_level Debug says how much it unpacked:
# the linked .rodata's size (rodata_unpack also compares the unpacked
# bytes' FNV-1a sum with the build's, and stops on a difference).
rodata=$(python3 - "$L/BOOTX64.EFI" 2>&1 <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
pe = struct.unpack_from('<I', d, 0x3c)[0]
nsec, optsz = struct.unpack_from('<H', d, pe + 6)[0], struct.unpack_from('<H', d, pe + 20)[0]
sec = {}
for i in range(nsec):
    name, vsize, va, rawsize, rawptr = struct.unpack_from('<8sIIII', d, pe + 24 + optsz + 40 * i)
    sec[name.rstrip(b'\0').decode()] = (vsize, rawsize, rawptr)
if '.rodata' not in sec or '.packed' not in sec:
    sys.exit('no .rodata or .packed section')
if sec['.rodata'][1] != 0:
    sys.exit('.rodata stores %d bytes in the file' % sec['.rodata'][1])
print(sec['.rodata'][0], sec['.packed'][1], sec['.packed'][2])
PY
)
set -- $rodata
if [ $# = 3 ]; then
	pass "BOOTX64.EFI .rodata: $1 bytes in memory, none in the file (packed in .packed)"
else
	fail "BOOTX64.EFI .rodata: $rodata"
	set -- 0 0 0
fi
ro_size=$1 packed_at=$3
echo '{"log_level": "Debug"}' > "$tmp/debug.json"
if ! "$B/elfboot" image --uefi --config-file "$tmp/debug.json" -o "$tmp/dbg.img" "$B/kernels/k_default" > "$tmp/out" 2>&1; then
	fail "packed constants: image ($(tail -1 "$tmp/out"))"
else
	sh "$T/qemu.sh" uefi "$tmp/dbg.img" 120 --log "$tmp/dbg.log"
	rc=$?
	line=$(grep -a "elfboot: constants unpacked:" "$tmp/dbg.log" | head -1 | tr -d '\r')
	if [ $rc = 0 ] && [ -n "$line" ] && [ "$(echo "$line" | awk '{ print $4 }')" = "$ro_size" ]; then
		pass "packed constants unpack at boot (${line#elfboot: })"
	else
		fail "packed constants (qemu.sh status $rc, line '$line', .rodata $ro_size bytes)"
	fi
fi

# A damaged pack stops with rodata_unpack's line before anything reads a
# constant (the firmware then goes on to its next boot option: --stop-on
# ends QEMU): "stream", a byte in the middle of the stream changed (its
# bounds or its sum); "literal", a literal byte of the stream changed,
# which still unpacks, to other constants (only the sum finds it).
for kind in stream literal; do
	mkdir -p "$tmp/ld-$kind"
	cp "$L"/*.bin "$L/BOOTX64.EFI" "$tmp/ld-$kind/"
	python3 - "$tmp/ld-$kind/BOOTX64.EFI" "$packed_at" "$kind" "$R/mk" <<'PY'
import struct, sys
sys.path.insert(0, sys.argv[4])
import s2pack
p, at, kind = sys.argv[1], int(sys.argv[2]), sys.argv[3]
d = bytearray(open(p, 'rb').read())
size, _, unpacked = struct.unpack_from('<III', d, at)
s = at + 16
if kind == 'stream':
    d[s + (size - 8) // 2] ^= 0x5a
else:
    # The first literal byte past the stream's middle.
    lits = []
    s2pack.decompress(bytes(d[s:at + 8 + size]), unpacked, lits)
    d[s + next(x for x in lits if x > (size - 8) // 2)] ^= 0x20
open(p, 'wb').write(d)
PY
	if ! "$B/elfboot" image --uefi --loader-dir "$tmp/ld-$kind" -o "$tmp/bad-$kind.img" "$B/kernels/k_default" > "$tmp/out" 2>&1; then
		fail "damaged constants ($kind): image ($(tail -1 "$tmp/out"))"
		continue
	fi
	sh "$T/qemu.sh" uefi "$tmp/bad-$kind.img" 120 --log "$tmp/bad-$kind.log" --stop-on "packed constants are damaged"
	rc=$?
	if [ $rc = 4 ]; then
		pass "damaged packed constants ($kind) stop with their line"
	else
		fail "damaged packed constants ($kind) (qemu.sh status $rc: $(grep -a elfboot "$tmp/bad-$kind.log" | head -2 | tr '\n' '|'))"
	fi
done
