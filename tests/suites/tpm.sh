#!/bin/sh
# tpm.sh BUILD - measured boot (issue 11, docs/trusted-boot.md).  Boots
# k_tpm on OVMF with swtpm as a TPM 2.0 and compares the PCR 9 it reads
# through the TPM's MMIO with PCR 9 replayed here from the image's own
# files (boot.json, kernel, effective config, ramdisk, module-0); a second
# ramdisk must give another PCR that matches its own replay.  Without a TPM
# the loader boots as before; on BIOS nothing is measured (PCR 9 stays
# zero).  Prints PASS/FAIL lines.
set -u
B=${1:-build}
E=$(cd "$B" && pwd)/elfboot
K=$(cd "$B" && pwd)/kernels/k_tpm
Q=$(cd "$(dirname "$0")/.." && pwd)/qemu.sh
SUITE=tpm
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/../suite-lib.sh" # ok, bad
cd "$tmp" || exit 1
ESP=$((2048 * 512))
TMO=150

for need in swtpm qemu-system-x86_64 mcopy; do
	command -v "$need" > /dev/null || { bad "setup" "$need missing (mk/deps.sh installs it)"; exit 0; }
done

# Inputs: two ramdisks one byte apart, a module, and a boot.json whose
# framebuffer minimum overrides the kernel's (so the effective config is
# not the section's bytes) and whose log level shows the measurements.
python3 -c "
import sys
d = bytearray((i * 13 + 5) % 253 for i in range(70001))
open('rd-a', 'wb').write(d)
d[40000] ^= 1
open('rd-b', 'wb').write(d)
open('mod', 'wb').write(bytes(range(256)) * 9)
"
printf '{"log_level": "Debug", "frame_buffer": {"minimum_framebuffer_width": 640}}\n' > boot.json

# replay IMG: PCR 9 (SHA-256 bank) from zero, extended with the SHA-256 of
# each measured item in the documented order, from the files on IMG's ESP.
replay() {
	rm -rf "x-$1" && mkdir "x-$1" || return 1
	for f in boot.json kernel-x86_64 ramdisk module-0; do
		mcopy -n -i "$1@@$ESP" "::/$f" "x-$1/$f" 2> /dev/null
	done
	python3 - "x-$1" <<'PY'
import hashlib, json, os, struct, sys
d = sys.argv[1]
def read(name):
    p = os.path.join(d, name)
    return open(p, "rb").read() if os.path.exists(p) else None
def section(elf, want):
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 0x3a)
    sh = [struct.unpack_from("<IIQQQQIIQQ", elf, shoff + i * shentsize) for i in range(shnum)]
    names = sh[shstrndx][4]
    for s in sh:
        if elf[names + s[0]:].split(b"\0", 1)[0] == want:
            return bytearray(elf[s[4]:s[4] + s[5]])
    raise SystemExit("no " + want.decode())
bj, kernel = read("boot.json"), read("kernel-x86_64")
# The effective config: the section with boot.json's framebuffer minimum
# written in; both fields close every form (height 18, width 9 bytes from
# the end: a Some tag and a little-endian u64).
cfg = section(kernel, b".bootloader-config")
fb = (json.loads(bj) if bj else {}).get("frame_buffer") or {}
for key, back in (("minimum_framebuffer_height", 18), ("minimum_framebuffer_width", 9)):
    if fb.get(key) is not None:
        cfg[len(cfg) - back:len(cfg) - back + 9] = b"\1" + struct.pack("<Q", fb[key])
items = [bj, kernel, bytes(cfg), read("ramdisk")]
items += [read("module-%d" % i) for i in range(64) if read("module-%d" % i) is not None]
pcr = bytes(32)
for item in items:
    if item is not None:
        pcr = hashlib.sha256(pcr + hashlib.sha256(item).digest()).digest()
print(pcr.hex())
PY
}

# boot FW IMG LOG [tpm]: one boot, with a fresh swtpm if asked.
boot() {
	if [ "${4:-}" = tpm ]; then
		rm -rf "tpm-$3"
		QEMU_TPM="$tmp/tpm-$3" nice sh "$Q" "$1" "$2" "$TMO" --log "$3"
	else
		nice sh "$Q" "$1" "$2" "$TMO" --log "$3"
	fi
}
pcr_of() { sed -n 's/^ktest: pcr9 sha256 \([0-9a-f]\{64\}\).*/\1/p' "$1" | head -1; }

for v in a b; do
	if ! "$E" image --ramdisk "rd-$v" --config-file boot.json --module mod -o "$v.img" "$K" \
		> out 2> err; then
		bad "image $v" "$(tr '\n' '|' < err)"
		exit 0
	fi
done

# UEFI with a TPM: the PCR equals the replay, for both ramdisks.
boot uefi a.img a.log tpm
rc=$?
got_a=$(pcr_of a.log) want_a=$(replay a.img)
if [ "$rc" = 0 ] && [ -n "$got_a" ] && [ "$got_a" = "$want_a" ]; then
	ok "uefi: PCR 9 $got_a equals the replay of boot.json, kernel, config, ramdisk, module-0"
else
	bad "uefi: PCR 9" "status $rc, read '$got_a', replayed '$want_a': $(grep -a 'ktest\|elfboot: \(measured\|warning\|error\)' a.log | tail -8 | tr '\n' '|')"
fi
# The measurements, in the documented order (boot.json's comes before the
# log level is set, so it has no line).
order=$(sed -n 's/^elfboot: measured \([^ ]*\) .*/\1/p' a.log | tr '\n' ' ')
if [ "$order" = "kernel-x86_64 config ramdisk module-0 " ]; then
	ok "uefi: measured in order: $order"
else
	bad "uefi: measurement order" "'$order'"
fi
boot uefi b.img b.log tpm
rc=$?
got_b=$(pcr_of b.log) want_b=$(replay b.img)
if [ "$rc" = 0 ] && [ -n "$got_b" ] && [ "$got_b" = "$want_b" ] && [ "$got_b" != "$got_a" ]; then
	ok "uefi: another ramdisk, another PCR 9 ($got_b), equal to its replay"
else
	bad "uefi: second ramdisk" "status $rc, read '$got_b', replayed '$want_b', first '$got_a'"
fi

# UEFI without a TPM: the loader boots as before, no warning.
boot uefi a.img none.log
rc=$?
if [ "$rc" = 0 ] && grep -q "^ktest: no TPM" none.log && ! grep -q "elfboot: warning" none.log &&
	! grep -q "^elfboot: measured" none.log; then
	ok "uefi: no TPM: boots, nothing measured"
else
	bad "uefi: no TPM" "status $rc: $(grep -a 'ktest\|elfboot' none.log | tail -4 | tr '\n' '|')"
fi

# BIOS with a TPM: boots; nothing measured, PCR 9 is still zero.
boot bios a.img bios.log tpm
rc=$?
got=$(pcr_of bios.log)
if [ "$rc" = 0 ] && [ "$got" = "$(printf '%064d' 0)" ]; then
	ok "bios: boots with a TPM attached; nothing measured (PCR 9 zero)"
else
	bad "bios with a TPM" "status $rc, PCR 9 '$got': $(grep -a 'ktest' bios.log | tail -3 | tr '\n' '|')"
fi
