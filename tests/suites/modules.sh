#!/bin/sh
# modules.sh BUILD - the tool's --module FILE[:NAME[:CMDLINE]] and --cmdline
# (issue 10): boot.json written and merged with --config-file as the loader
# parses it, module-N files on a disk image, an ISO and a netboot root; every
# bad input refused with one "elfboot: error:" line, exit 1 and no output
# file (missing or empty module, bad NAME, control characters, too long,
# too many, twice, clashing with --config-file).  With QEMU: a netboot of
# k_modules through `elfboot run --net`.  Prints PASS/FAIL lines.
set -u
B=${1:-build}
E=$(cd "$B" && pwd)/elfboot
K=$(cd "$B" && pwd)/kernels/k_default
KM=$(cd "$B" && pwd)/kernels/k_modules
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TMPDIR="$tmp/t"
mkdir "$TMPDIR"
cd "$tmp" || exit 1
printf 'abc' > m1
head -c 5000 /dev/zero > m2
: > empty
ESP=$((2048 * 512))

pass() { echo "PASS modules: $1"; }
fail() { echo "FAIL modules: $1"; }

# bad NAME ERROR_REGEX ARGS...: must fail with one error line, no image.
bad() {
	n=$1 re=$2
	shift 2
	rm -f out.img
	"$E" image "$@" -o out.img "$K" > out 2> err
	rc=$?
	if [ "$rc" != 1 ]; then
		fail "$n (status $rc, want 1)"
	elif [ "$(wc -l < err)" != 1 ] || ! grep -qE "^elfboot: error: .*$re" err; then
		fail "$n (stderr: $(tr '\n' '|' < err), want /$re/)"
	elif [ -e out.img ] || [ -n "$(ls -A "$TMPDIR")" ]; then
		fail "$n (left files behind: $(ls out.img "$TMPDIR" 2>/dev/null | tr '\n' ' '))"
	else
		pass "$n"
	fi
}

bad missing-file "module 'nope': No such file" --module nope
bad empty-file "module 'empty' is empty" --module empty
bad directory "is not a regular file" --module .
bad empty-name "NAME is empty" --module m1:
bad no-file "no FILE before ':'" --module :x
bad name-control-char "NAME: contains a control character" --module "m1:$(printf 'a\tb')"
bad cmdline-control-char "--cmdline: contains a control character" --cmdline "$(printf 'a\nb')"
bad name-too-long "NAME: 256 bytes in boot.json, at most 255" --module "m1:$(printf '%0256d' 0)"
bad strings-total "strings total more than 8 KiB" --module "m1:a:$(printf '%04000d' 0)" \
	--module "m2:b:$(printf '%04000d' 0)" --cmdline "$(printf '%0200d' 0)"
bad name-quotes-too-long "NAME: 256 bytes in boot.json" --module "m1:$(printf '%0128d' 0 | tr 0 '"')"
bad cmdline-too-long "4096 bytes in boot.json, at most 4095" --cmdline "$(printf '%04096d' 0)"
bad duplicate-name "two modules named 'a'" --module m1:a --module m2:a
bad same-file-twice "module 'm1' given twice" --module m1:a --module m1:b
bad cmdline-twice "--cmdline given twice" --cmdline a --cmdline b
set --
for i in $(seq 0 64); do set -- "$@" --module "m1:n$i"; done
bad too-many "more than 64 modules \(--module 'm1:n64'\)" "$@"
printf '{"cmdline": "x"}' > hascmd.json
bad config-file-cmdline 'has "cmdline"' --config-file hascmd.json --cmdline y
printf '{"modules": [{"file": "a"}]}' > hasmods.json
bad config-file-modules 'has "modules"' --config-file hasmods.json
printf '{"log_level": "Loud"}' > broken.json
bad config-file-broken "broken.json: boot.json: log_level is not" --config-file broken.json --module m1
bad missing-value "--module needs FILE\[:NAME\[:CMDLINE\]\], got '-o'" --module

# A good image: module-N files and the merged boot.json, which the loader's
# own parser (through `image`'s check) accepted.
printf '{ "log_level": "Debug" }\n' > c.json
if "$E" image --config-file c.json --module m1 --module "m2:two:-v --x=\"q\"" \
	--cmdline 'a\b "c"' -o d.img "$K" > out 2> err &&
	mtype -i "d.img@@$ESP" ::/boot.json > bj 2>&1 &&
	mtype -i "d.img@@$ESP" ::/module-0 > got0 && cmp -s got0 m1 &&
	mtype -i "d.img@@$ESP" ::/module-1 > got1 && cmp -s got1 m2 &&
	grep -q '"log_level": "Debug"' bj && grep -qF '"cmdline": "a\\b \"c\""' bj &&
	grep -qF '{"file": "module-0", "name": "m1", "cmdline": ""}' bj &&
	grep -qF '{"file": "module-1", "name": "two", "cmdline": "-v --x=\"q\""}' bj &&
	[ -z "$(ls -A "$TMPDIR")" ]; then
	pass "disk image: module-N files, merged boot.json"
else
	fail "disk image ($(tr '\n' '|' < err) $(tr '\n' '|' < bj 2>/dev/null))"
fi

# ISO: the files in the root.
if "$E" image --iso --module m1:one --cmdline x -o d.iso "$K" > out 2> err &&
	xorriso -osirrox on -indev d.iso -extract /module-0 x0 -extract /boot.json xj \
		> /dev/null 2>&1 && cmp -s x0 m1 &&
	grep -qF '{"file": "module-0", "name": "one", "cmdline": ""}' xj; then
	pass "iso: module-0 and boot.json in the root"
else
	fail "iso ($(tr '\n' '|' < err))"
fi

# Netboot: module-N and boot.json in the TFTP root; a later run without
# modules removes them (an old module-N would be served as if asked for).
if "$E" netboot --module m1 --module m2 --cmdline x -o net "$K" > out 2> err &&
	cmp -s net/module-0 m1 && cmp -s net/module-1 m2 && grep -q '"cmdline": "x"' net/boot.json &&
	"$E" netboot -o net "$K" > out 2> err && [ ! -e net/module-0 ] && [ ! -e net/module-1 ] &&
	[ ! -e net/boot.json ]; then
	pass "netboot: module-N in the TFTP root, stale ones removed"
else
	fail "netboot ($(tr '\n' '|' < err); $(ls net | tr '\n' ' '))"
fi

# The same boot over the network, for real (QEMU's TFTP), if k_modules and
# QEMU are there.
if [ -x "$KM" ] && command -v qemu-system-x86_64 > /dev/null; then
	python3 - <<'PY'
import struct
for n, size in ((0, 4097), (1, 123457), (2, 2097157)):
    period = bytes((i * 7 + 3) % 251 for i in range(251))
    data = bytearray(period * (size // 251 + 1))[:size]
    data[:16] = b"EBRAMDSK" + struct.pack("<Q", size)
    open("mod%d.bin" % n, "wb").write(data)
PY
	timeout -k 5 300 "$E" run --bios --net --test --timeout 240 \
		--module mod0.bin:initrd:-v --module mod1.bin:fs.img \
		--module 'mod2.bin:cfg "3":a=b c=d\e' --cmdline 'console=ttyS0 k=v q="x y" b=\' \
		"$KM" > run.out 2> run.err
	rc=$?
	if [ "$rc" = 0 ] && grep -qa "ktest: module 2 'cfg \"3\"'" run.out; then
		pass "netboot (bios, QEMU TFTP): k_modules"
	else
		fail "netboot (bios, QEMU TFTP): status $rc: $(tail -3 run.out | tr '\n' '|') $(tr '\n' '|' < run.err)"
	fi
fi
