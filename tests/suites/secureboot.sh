#!/bin/sh
# secureboot.sh BUILD - signed loaders (issue 11, --sign-key/--sign-cert):
# the tool's argument and key errors, image-info's "signed:" line for disk
# images, ISOs and netboot directories (checked against sbverify), and
# boots under OVMF with Secure Boot enforced (Debian's snakeoil firmware and
# keys, tests/qemu.sh QEMU_SECBOOT=1): the signed disk image and ISO boot
# k_default; the unsigned loader is refused by the firmware; and the same
# unsigned image boots on that firmware with an empty variable store, which
# shows the refusal is the enrolled keys' doing; a signed, pinned image boots
# and copies with the kernel, ramdisk or boot.json changed are refused by
# elfboot under Secure Boot; `run --sign-key` boots too.
# Prints PASS/FAIL lines.
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
unset SOURCE_DATE_EPOCH ELFBOOT_LOADER_DIR ELFBOOT_OVMF_CODE ELFBOOT_OVMF_VARS
BOOT_TIMEOUT=${BOOT_TIMEOUT:-90}
mkdir -p "$B/logs"

SUITE=secureboot
. "$(dirname "$0")/../suite-lib.sh" # ok, bad, t_err

OVMF=/usr/share/OVMF SNAKE=/usr/share/ovmf
CERT=$SNAKE/PkKek-1-snakeoil.pem
for f in "$OVMF/OVMF_CODE_4M.snakeoil.fd" "$OVMF/OVMF_VARS_4M.snakeoil.fd" "$SNAKE/PkKek-1-snakeoil.key" "$CERT"; do
	[ -r "$f" ] || { bad "setup" "$f missing (Debian package ovmf)"; exit 0; }
done
command -v sbsign > /dev/null || { bad "setup" "sbsign missing (Debian package sbsigntool; mk/deps.sh installs it)"; exit 0; }
# The snakeoil key is encrypted (password "snakeoil", the package's
# README.Debian); sbsign would ask on a terminal, so the tests use a
# decrypted copy.
KEY=$tmp/snakeoil.key
openssl pkey -in "$SNAKE/PkKek-1-snakeoil.key" -passin pass:snakeoil -out "$KEY" 2> "$tmp/err" ||
	{ bad "setup" "decrypting the snakeoil key: $(head -1 "$tmp/err")"; exit 0; }
# A second key pair that no firmware has enrolled.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/other.key" -out "$tmp/other.pem" \
	-subj "/CN=elfboot test other/O=Nobody" -days 30 2> /dev/null ||
	{ bad "setup" "openssl req failed"; exit 0; }
S="--sign-key $KEY --sign-cert $CERT"
no_leftovers() { [ -z "$(ls -A "$TMPDIR")" ]; }

# Arguments: both or neither; only where there is a UEFI loader.
t_err "image: --sign-key alone" "--sign-key given without --sign-cert" "$E" image --sign-key "$KEY" -o "$tmp/x.img" "$K/k_default"
t_err "image: --sign-cert alone" "--sign-cert given without --sign-key" "$E" image --sign-cert "$CERT" -o "$tmp/x.img" "$K/k_default"
t_err "netboot: --sign-key alone" "--sign-key given without --sign-cert" "$E" netboot --sign-key "$KEY" -o "$tmp/nbx" "$K/k_default"
t_err "image: --sign-key at the end" "--sign-key needs an argument" "$E" image -o "$tmp/x.img" "$K/k_default" --sign-key
t_err "image: --bios has no EFI loader to sign" "a --bios image has none" "$E" image --bios $S -o "$tmp/x.img" "$K/k_default"
"$E" run --sign-key "$KEY" "$K/k_default" > /dev/null 2> "$tmp/err"
rc=$?
if [ $rc = 4 ] && [ "$(wc -l < "$tmp/err")" = 1 ] && grep -q "given without --sign-cert" "$tmp/err"; then
	ok "run: --sign-key alone: exit 4, one line"
else
	bad "run: --sign-key alone" "exit $rc: $(cat "$tmp/err")"
fi
"$E" run --bios $S "$K/k_default" > /dev/null 2> "$tmp/err"
rc=$?
[ $rc = 4 ] && grep -q "bios has none" "$tmp/err" && ok "run: --bios with --sign-key: exit 4" || bad "run --bios --sign-key" "exit $rc: $(cat "$tmp/err")"

# Keys and certificates that cannot sign: one line, no image, no temporary
# files left.
printf 'not a pem\n' > "$tmp/junk.pem"
pre="" # a command the tool runs under (word-split)
refuse() { # NAME TEXT OPTIONS...
	n=$1 text=$2
	shift 2
	t_err "$n" "$text" $pre "$E" image "$@" -o "$tmp/r.img" "$K/k_default"
	if [ -e "$tmp/r.img" ] || ls "$tmp" | grep -q '^r\.img\.'; then bad "$n: an image or part of one was left"; fi
	no_leftovers || { bad "$n: temporary files left" "$(ls "$TMPDIR")"; rm -rf "${TMPDIR:?}"/*; }
	rm -f "$tmp/r.img"
}
refuse "missing key file" "--sign-key '$tmp/nokey': No such file" --sign-key "$tmp/nokey" --sign-cert "$CERT"
refuse "missing certificate" "--sign-cert '$tmp/nocert': No such file" --sign-key "$KEY" --sign-cert "$tmp/nocert"
refuse "key is a directory" "--sign-key '$tmp' is not a regular file" --sign-key "$tmp" --sign-cert "$CERT"
refuse "junk certificate: sbsign's complaint" "sbsign failed (status 1) while signing BOOTX64.EFI: Can't load certificate.*no start line" --sign-key "$KEY" --sign-cert "$tmp/junk.pem"
refuse "junk key: sbsign's complaint" "sbsign failed .*Can't load key" --sign-key "$tmp/junk.pem" --sign-cert "$CERT"
refuse "key and certificate do not match" "sbsign failed .*key values mismatch" --sign-key "$tmp/other.key" --sign-cert "$CERT"
# An encrypted key with no terminal to ask on (setsid: a new session, no
# controlling terminal, as under cron or CI).
pre="setsid -w"
refuse "encrypted key, no terminal" "is encrypted and there is no terminal" --sign-key "$SNAKE/PkKek-1-snakeoil.key" --sign-cert "$CERT"
# sbsign not installed: the Debian package named.
mkdir "$tmp/bin"
for t in mformat mmd mcopy; do ln -s "$(command -v $t)" "$tmp/bin/$t"; done
pre="env PATH=$tmp/bin"
refuse "sbsign missing" "cannot run sbsign: .*install Debian's sbsigntool package" $S
pre=""

# Signed images: image-info's line against sbverify's view of the file.
subject=$(openssl x509 -in "$CERT" -noout -subject -nameopt sep_comma_plus_space,sname | sed 's/^subject=//')
esp_efi() { mcopy -n -i "$1@@$2" ::/EFI/BOOT/BOOTX64.EFI "$3"; }
"$E" image $S -o "$tmp/s.img" "$K/k_default" > /dev/null 2> "$tmp/err" || bad "signed image" "$(cat "$tmp/err")"
"$E" image -o "$tmp/u.img" "$K/k_default" > /dev/null
"$E" image --iso $S -o "$tmp/s.iso" "$K/k_default" > /dev/null 2> "$tmp/err" || bad "signed ISO" "$(cat "$tmp/err")"
"$E" netboot $S -o "$tmp/nb" "$K/k_default" > /dev/null 2> "$tmp/err" || bad "signed netboot" "$(cat "$tmp/err")"
no_leftovers && ok "signing leaves no temporary files" || bad "temporary files left" "$(ls "$TMPDIR")"
esp_efi "$tmp/s.img" 1048576 "$tmp/s.efi"
if sbverify --cert "$CERT" "$tmp/s.efi" > /dev/null 2>&1 && sbverify --cert "$CERT" "$tmp/nb/BOOTX64.EFI" > /dev/null 2>&1; then
	ok "disk image's and netboot's BOOTX64.EFI verify against the certificate (sbverify)"
else
	bad "sbverify of the signed loaders"
fi
cmp -s "$tmp/s.efi" "$B/uefi/BOOTX64.EFI" && bad "the signed image holds the unsigned loader"
info_line() { "$E" image-info "$1" 2> "$tmp/err" | grep "BOOTX64.EFI.*signed:" | sed 's/.*signed: /signed: /'; }
for f in s.img s.iso nb; do
	got=$(info_line "$tmp/$f")
	if [ "$got" = "signed: yes (1 signature, subject $subject)" ]; then ok "image-info $f: $got"; else bad "image-info $f" "'$got' $(cat "$tmp/err")"; fi
done
got=$(info_line "$tmp/u.img")
[ "$got" = "signed: no" ] && ok "image-info unsigned image: signed: no" || bad "image-info unsigned" "'$got'"
# Two signatures (sbsign adds one to a signed file), the first signer named.
sbsign --key "$tmp/other.key" --cert "$tmp/other.pem" --output "$tmp/nb2.efi" "$tmp/nb/BOOTX64.EFI" > /dev/null 2>&1
mkdir "$tmp/nb2" && cp "$tmp/nb/"* "$tmp/nb2/" && cp "$tmp/nb2.efi" "$tmp/nb2/BOOTX64.EFI"
got=$(info_line "$tmp/nb2")
[ "$got" = "signed: yes (2 signatures, subject $subject)" ] && ok "image-info: two signatures counted" || bad "image-info two signatures" "'$got'"
# A damaged security directory: said so, the rest of image-info still there.
python3 - "$tmp/nb2/BOOTX64.EFI" << 'EOF'
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
pe = struct.unpack_from("<I", b, 0x3c)[0]
d4 = pe + 24 + 112 + 4 * 8
off, size = struct.unpack_from("<II", b, d4)
struct.pack_into("<I", b, off, size + 8)  # first entry longer than the directory
open(sys.argv[1], "wb").write(b)
EOF
"$E" image-info "$tmp/nb2" > "$tmp/out" 2>&1
if grep -q "signed: unreadable (certificate entry at" "$tmp/out" && grep -q "^kernel config:" "$tmp/out"; then
	ok "image-info: a damaged signature table is reported, the rest still shown"
else
	bad "image-info damaged signature" "$(grep signed "$tmp/out")"
fi

# Boots under enforced Secure Boot (qemu.sh QEMU_SECBOOT=1).
boot() { # NAME IMAGE [qemu.sh args]: rc and log (BUILD/logs) set
	n=$1 img=$2
	shift 2
	QEMU_SECBOOT=1 nice -n 10 sh "$T/qemu.sh" uefi "$img" "$BOOT_TIMEOUT" --log "$B/logs/secureboot-$n.log" "$@" 2> "$tmp/qerr"
	rc=$?
	log="$B/logs/secureboot-$n.log"
}
boot signed "$tmp/s.img" --stop-on "Access Denied"
if [ $rc = 0 ] && grep -aq "^elfboot: " "$log" && grep -aq "ktest: PASS" "$log"; then
	ok "signed hybrid disk image boots k_default under Secure Boot"
else
	bad "signed image under Secure Boot" "qemu.sh exit $rc, see $log"
fi
boot unsigned "$tmp/u.img" --stop-on "Access Denied"
if [ $rc = 4 ] && ! grep -aq "elfboot" "$log"; then
	ok "unsigned loader refused by the firmware (\"Access Denied\", no elfboot line)"
else
	bad "unsigned image under Secure Boot" "qemu.sh exit $rc, see $log"
fi
# The control: the same firmware with a store that has no keys enrolled
# (Secure Boot off) boots the unsigned image, so the refusal above is the
# snakeoil store's.
export OVMF_VARS="$OVMF/OVMF_VARS_4M.fd"
boot control "$tmp/u.img"
unset OVMF_VARS
if [ $rc = 0 ] && grep -aq "ktest: PASS" "$log"; then
	ok "control: the unsigned image boots on the same firmware without enrolled keys"
else
	bad "control boot (no keys enrolled)" "qemu.sh exit $rc, see $log"
fi
export QEMU_DISK=cdrom
boot signed-iso "$tmp/s.iso" --stop-on "Access Denied"
unset QEMU_DISK
if [ $rc = 0 ] && grep -aq "ktest: PASS" "$log"; then
	ok "signed ISO (as a CD) boots k_default under Secure Boot"
else
	bad "signed ISO under Secure Boot" "qemu.sh exit $rc, see $log"
fi
# The whole chain (issue 11): the firmware checks the signed loader, the
# loader the files it pinned.  A signed, pinned image boots k_ramdisk (it
# checks every ramdisk byte); copies with the kernel, the ramdisk or
# boot.json changed afterwards (mtools) are refused by elfboot, not by the
# firmware, with the file and both digests.
R=$(cd "$B" && pwd)/ramdisk.bin
printf '{ "log_level": "Info" }\n' > "$tmp/c.json"
printf '{ "log_level": "Debug" }\n' > "$tmp/c2.json"
head -c 5000 /dev/urandom > "$tmp/r2"
sum() { sha256sum "$1" | cut -d' ' -f1; }
if "$E" image --pin $S --ramdisk "$R" --config-file "$tmp/c.json" -o "$tmp/sp.img" "$K/k_ramdisk" \
	> /dev/null 2> "$tmp/err"; then
	boot signed-pinned "$tmp/sp.img" --stop-on "Access Denied"
	if [ $rc = 0 ] && grep -aq "ktest: PASS" "$log"; then
		ok "signed, pinned image boots k_ramdisk under Secure Boot"
	else
		bad "signed, pinned image under Secure Boot" "qemu.sh exit $rc, see $log"
	fi
	for c in kernel-x86_64:"$K/k_default":"$K/k_ramdisk" ramdisk:"$tmp/r2":"$R" \
		 boot.json:"$tmp/c2.json":"$tmp/c.json"; do
		f=${c%%:*} new=${c#*:} old=${new#*:} new=${new%%:*}
		cp "$tmp/sp.img" "$tmp/x.img"
		mcopy -o -i "$tmp/x.img@@1048576" "$new" "::/$f"
		boot "changed-$f" "$tmp/x.img" --stop-on "Access Denied"
		want="elfboot: error: disk: '$f' does not match its pin: expected sha256 $(sum "$old"), got $(sum "$new")"
		if [ $rc = 2 ] && grep -aqF -- "$want" "$log" && ! grep -aq "ktest: PASS" "$log"; then
			ok "signed, pinned image with $f changed: refused by elfboot under Secure Boot"
		else
			bad "changed $f under Secure Boot" "qemu.sh exit $rc: $(grep -a 'elfboot: error' "$log" | head -1)"
		fi
	done
else
	bad "signed, pinned image" "$(cat "$tmp/err")"
fi
# `run` with the signing options picks the Secure Boot firmware itself.
nice -n 10 "$E" run --uefi --test --timeout "$BOOT_TIMEOUT" $S "$K/k_default" > "$B/logs/secureboot-run.log" 2>&1
rc=$?
if [ $rc = 0 ] && grep -aq "Secure Boot on, the loader signed" "$B/logs/secureboot-run.log" && no_leftovers; then
	ok "run --sign-key: boots the signed loader under Secure Boot (exit 0, nothing left in TMPDIR)"
else
	bad "run --sign-key" "exit $rc, see $B/logs/secureboot-run.log"
fi
exit 0
