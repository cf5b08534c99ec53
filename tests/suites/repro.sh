#!/bin/sh
# repro.sh BUILD - reproducible images (docs/build-id.md): every image kind
# built twice, seconds apart, from two directories whose inputs have
# different mtimes, with a different TMPDIR, gives the same bytes; another
# kernel gives other GUIDs and FAT serials; SOURCE_DATE_EPOCH sets the
# timestamps.  Prints "PASS x" / "FAIL x" lines.
set -u
B=${1:-build}
E=$(cd "$B" && pwd)/elfboot
K=$(cd "$B/kernels" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export MTOOLS_SKIP_CHECK=1
unset SOURCE_DATE_EPOCH ELFBOOT_LOADER_DIR

ok() { echo "PASS repro: $1"; }
bad() { echo "FAIL repro: $1${2:+ ($2)}"; }

# Two input trees: the same bytes, different names' mtimes (and the second
# one's files are fresh copies, so other inodes).
mkdir -p "$tmp/a" "$tmp/b" "$tmp/ta" "$tmp/tb"
for d in a b; do
	cp "$K/k_default" "$tmp/$d/kernel"
	cp "$K/k_pie" "$tmp/$d/kernel2"
	cp "$B/ramdisk.bin" "$tmp/$d/ramdisk"
	cp "$B/boot-good.json" "$tmp/$d/boot.json"
done
touch -d '2001-02-03 04:05:06' "$tmp/a/"*
touch -d '2030-06-07 08:09:10' "$tmp/b/"*

# kind NAME: the image options; "netboot" is a directory.
KINDS="hybrid bios uefi fat-auto iso netboot"
opts() {
	case $1 in
	hybrid) echo "image" ;;
	bios) echo "image --bios" ;;
	uefi) echo "image --uefi" ;;
	fat-auto) echo "image --fat-auto" ;;
	iso) echo "image --iso" ;;
	netboot) echo "netboot" ;;
	esac
}

# build DIR KIND OUT [KERNEL]: one build from DIR's inputs, run in DIR.
build() {
	(cd "$1" && TMPDIR=$2 "$E" $(opts "$3") -o "$4" --ramdisk ramdisk --config-file boot.json \
		"${5:-kernel}") > /dev/null 2> "$tmp/err"
}

# same A B: files (or netboot directories: each file and its mtime) equal.
same() {
	if [ -d "$1" ]; then
		[ "$(cd "$1" && ls)" = "$(cd "$2" && ls)" ] || return 1
		for f in $(cd "$1" && ls); do
			cmp -s "$1/$f" "$2/$f" || return 1
			[ "$(stat -c %Y "$1/$f")" = "$(stat -c %Y "$2/$f")" ] || return 1
		done
		return 0
	fi
	cmp -s "$1" "$2"
}

ext() { [ "$1" = iso ] && echo iso || { [ "$1" = netboot ] && echo d || echo "$1.img"; }; }

for k in $KINDS; do
	build "$tmp/a" "$tmp/ta" "$k" "$tmp/a/1.$(ext $k)" || bad "$k: build 1" "$(cat "$tmp/err")"
done
sleep 2 # a later wall-clock second for every timestamp a build could take
for k in $KINDS; do
	x=$(ext $k)
	build "$tmp/a" "$tmp/ta" "$k" "$tmp/a/2.$x" || bad "$k: build 2" "$(cat "$tmp/err")"
	build "$tmp/b" "$tmp/tb" "$k" "$tmp/b/3.$x" || bad "$k: build 3" "$(cat "$tmp/err")"
	if same "$tmp/a/1.$x" "$tmp/a/2.$x"; then
		ok "$k: built twice, 2 s apart: identical"
	else
		bad "$k: built twice, 2 s apart, differ" "$(cmp "$tmp/a/1.$x" "$tmp/a/2.$x" 2>&1 | head -1)"
	fi
	if same "$tmp/a/1.$x" "$tmp/b/3.$x"; then
		ok "$k: another directory, other mtimes and TMPDIR: identical"
	else
		bad "$k: another directory differs" "$(cmp "$tmp/a/1.$x" "$tmp/b/3.$x" 2>&1 | head -1)"
	fi
done

# Another kernel: other disk and partition GUIDs, another FAT serial.
guids() { # IMG: disk GUID + first two partition GUIDs, as hex
	od -An -tx1 -j $((512 + 56)) -N 16 "$1" | tr -d ' \n'
	od -An -tx1 -j $((1024 + 16)) -N 16 "$1" | tr -d ' \n'
	od -An -tx1 -j $((1024 + 128 + 16)) -N 16 "$1" | tr -d ' \n'
}
serial() { mdir -i "$1@@$2" :: 2>/dev/null | sed -n 's/.*Serial Number is //p'; }
build "$tmp/a" "$tmp/ta" hybrid "$tmp/a/k2.img" kernel2 || bad "hybrid: kernel2" "$(cat "$tmp/err")"
g1=$(guids "$tmp/a/1.hybrid.img") g2=$(guids "$tmp/a/k2.img")
if [ ${#g1} = 96 ] && [ "${g1%????????????????????????????????????????????????????????????????}" != "${g2%????????????????????????????????????????????????????????????????}" ] &&
   [ "$(echo "$g1" | cut -c33-64)" != "$(echo "$g2" | cut -c33-64)" ] &&
   [ "$(echo "$g1" | cut -c65-96)" != "$(echo "$g2" | cut -c65-96)" ]; then
	ok "another kernel: other disk and partition GUIDs"
else
	bad "another kernel: GUIDs" "$g1 / $g2"
fi
s1=$(serial "$tmp/a/1.hybrid.img" 1M) s2=$(serial "$tmp/a/k2.img" 1M)
if [ -n "$s1" ] && [ "$s1" != "$s2" ]; then
	ok "another kernel: another FAT serial ($s1, $s2)"
else
	bad "another kernel: FAT serial" "'$s1' / '$s2'"
fi
# One byte changed in the middle of the ramdisk: other GUIDs too.
cp "$tmp/a/ramdisk" "$tmp/a/ramdisk.keep"
printf '\377' | dd of="$tmp/a/ramdisk" bs=1 seek=$(( $(stat -c %s "$tmp/a/ramdisk") / 2 )) conv=notrunc 2> /dev/null
build "$tmp/a" "$tmp/ta" hybrid "$tmp/a/r2.img" || bad "hybrid: ramdisk byte" "$(cat "$tmp/err")"
mv "$tmp/a/ramdisk.keep" "$tmp/a/ramdisk"
[ "$(guids "$tmp/a/r2.img")" != "$g1" ] && ok "one ramdisk byte changed: other GUIDs" ||
	bad "one ramdisk byte changed: the same GUIDs"
# The GUID is an RFC 4122 version-4 GUID (mixed-endian: byte 7's high nibble).
v=$(echo "$g1" | cut -c15) var=$(echo "$g1" | cut -c17)
case "$v$var" in 4[89ab]) ok "derived GUIDs are version 4, RFC 4122 variant" ;;
*) bad "GUID version/variant" "$g1" ;; esac
build "$tmp/a" "$tmp/ta" iso "$tmp/a/k2.iso" kernel2 || bad "iso: kernel2" "$(cat "$tmp/err")"
if [ "$(od -An -tx1 -j 568 -N 16 "$tmp/a/1.iso")" != "$(od -An -tx1 -j 568 -N 16 "$tmp/a/k2.iso")" ]; then
	ok "iso: another kernel: another GPT disk GUID"
else
	bad "iso: the same GPT disk GUID for another kernel"
fi

# Timestamps: the fixed epoch by default, SOURCE_DATE_EPOCH when set.
fatdate() { mdir -i "$1@@1M" ::/kernel-x86_64 2>/dev/null | grep -i kernel | awk '{print $3, $4}'; }
d=$(fatdate "$tmp/a/1.hybrid.img")
[ "$d" = "1980-01-01 0:00" ] && ok "default: FAT times are 1980-01-01 00:00" || bad "default FAT time" "$d"
export SOURCE_DATE_EPOCH=1700000000 # 2023-11-14 22:13:20 UTC
for k in hybrid iso netboot; do
	build "$tmp/a" "$tmp/ta" "$k" "$tmp/a/e.$(ext $k)" || bad "$k: SOURCE_DATE_EPOCH build" "$(cat "$tmp/err")"
done
d=$(TZ=UTC0 fatdate "$tmp/a/e.hybrid.img")
[ "$d" = "2023-11-14 22:13" ] && ok "SOURCE_DATE_EPOCH: FAT times" || bad "SOURCE_DATE_EPOCH FAT time" "$d"
cmp -s "$tmp/a/1.hybrid.img" "$tmp/a/e.hybrid.img" && bad "SOURCE_DATE_EPOCH did not change the disk image" ||
	ok "SOURCE_DATE_EPOCH changes the disk image"
# The ISO's primary volume descriptor: creation and modification dates.
pvd=$(dd if="$tmp/a/e.iso" bs=1 skip=$((32768 + 813)) count=16 2>/dev/null)
pvd0=$(dd if="$tmp/a/1.iso" bs=1 skip=$((32768 + 813)) count=16 2>/dev/null)
[ "$pvd" = 2023111422132000 ] && [ "$pvd0" = 1980010100000000 ] &&
	ok "iso: volume dates from SOURCE_DATE_EPOCH, else 1980-01-01" || bad "iso volume dates" "$pvd / $pvd0"
# Every file's record date in the ISO 9660 root (7-byte dates): xorriso
# keeps the source file's mtime unless told.
if command -v xorriso > /dev/null &&
   TZ=UTC0 xorriso -indev "$tmp/a/e.iso" -find / -exec lsdl 2>/dev/null | grep -v "Nov 14  2023" | grep -q '^[-d]'; then
	bad "iso: a file date is not SOURCE_DATE_EPOCH" "$(TZ=UTC0 xorriso -indev "$tmp/a/e.iso" -find / -exec lsdl 2>/dev/null | grep -v 'Nov 14  2023' | grep '^[-d]' | head -1)"
else
	ok "iso: every file dated SOURCE_DATE_EPOCH"
fi
m=$(stat -c %Y "$tmp/a/e.d/kernel-x86_64") m0=$(stat -c %Y "$tmp/a/1.d/kernel-x86_64")
[ "$m" = 1700000000 ] && [ "$m0" = 315532800 ] && ok "netboot: file mtimes" || bad "netboot mtimes" "$m / $m0"
SOURCE_DATE_EPOCH=yesterday "$E" image -o "$tmp/x.img" "$K/k_default" > /dev/null 2> "$tmp/err"
rc=$?
if [ $rc != 0 ] && [ "$(wc -l < "$tmp/err")" = 1 ] && grep -q "SOURCE_DATE_EPOCH 'yesterday'" "$tmp/err" &&
   [ ! -e "$tmp/x.img" ]; then
	ok "a malformed SOURCE_DATE_EPOCH: one error line, no image"
else
	bad "malformed SOURCE_DATE_EPOCH" "rc $rc: $(head -2 "$tmp/err")"
fi
unset SOURCE_DATE_EPOCH
