#!/bin/sh
# tool-tests.sh BUILD - the host tool's command line: success paths produce
# what they claim, every bad input gives one error line and a non-zero exit,
# and a failed `image` leaves no file behind.  Prints PASS/FAIL lines.
set -u
B=$1
E="$B/elfboot"
K="$B/kernels"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export MTOOLS_SKIP_CHECK=1

t_ok() { # name cmd... : exit 0
	n=$1; shift
	if "$@" > "$tmp/out" 2> "$tmp/err"; then echo "PASS tool: $n"; else echo "FAIL tool: $n ($(head -1 "$tmp/err"))"; fi
}
t_err() { # name text cmd... : non-zero exit, exactly one stderr line containing text
	n=$1 text=$2; shift 2
	if "$@" > "$tmp/out" 2> "$tmp/err"; then
		echo "FAIL tool: $n (exit 0)"
	elif [ "$(wc -l < "$tmp/err")" -ne 1 ] || ! grep -q -- "$text" "$tmp/err"; then
		echo "FAIL tool: $n (stderr: $(head -3 "$tmp/err" | tr '\n' '|'), wanted '$text')"
	else
		echo "PASS tool: $n"
	fi
}
t_grep() { # name pattern file
	if grep -q -- "$2" "$3"; then echo "PASS tool: $1"; else echo "FAIL tool: $1 ('$2' not in output)"; fi
}

t_ok "--help" "$E" --help
t_grep "--help lists image" "elfboot image" "$tmp/out"
t_err "unknown command" "unknown command 'bogus-command'" "$E" bogus-command
t_ok "config show" "$E" config show "$K/k_physmem"
t_grep "config show: physical_memory" "mappings.physical_memory *dynamic" "$tmp/out"
t_grep "config show: stack size" "kernel_stack_size *81920" "$tmp/out"
t_grep "config show: length" "133 bytes" "$tmp/out"
t_ok "config show --json" "$E" config show --json "$K/k_base"
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["mappings.kernel_base"]=="0x200000000000", d; assert d["mappings.physical_memory"] is None; assert d["kernel_stack_size"]==81920' "$tmp/out" 2>"$tmp/err"; then
	echo "PASS tool: config show --json is valid JSON with the fields"
else
	echo "FAIL tool: config show --json ($(tail -1 "$tmp/err"))"
fi
t_ok "config check good kernel" "$E" config check "$K/k_pie"
t_grep "config check simulates the load (PIE offset)" "entry *0x[0-9a-f]* (image offset 0x8000000000)" "$tmp/out"
t_ok "config check: physmem + recursive" "$E" config check "$K/k_physmem"
t_grep "config check shows the recursive index" "recursive index" "$tmp/out"
t_err "config check: a clash found only by loading" "would fail at boot: map: kernel stack guard page at 0xffffffff80000000 is already mapped" "$E" config check "$K/k_stackclash"
t_err "config check: no config" "kernel has no .bootloader-config section" "$E" config check "$K/k_noconfig"
t_err "config check: bad relocation" "has type 1; only R_X86_64_RELATIVE" "$E" config check "$K/k_badreloc"
t_err "config check: bad config byte" "kernel_stack at .bootloader-config+31: byte 0x02" "$E" config check "$K/k_badconfig"
t_err "config check: truncated" "lies outside the 4000-byte file" "$E" config check "$K/k_truncated"
t_err "config check: not a file" "cannot open" "$E" config check "$tmp/nope"
t_err "config check: not ELF" "bad magic" "$E" config check "$B/ramdisk.bin"
t_err "config: unknown subcommand" "unknown subcommand" "$E" config frobnicate "$K/k_pie"

# config set: in place, only the section's bytes change, validated first.
cp "$K/k_default" "$tmp/ks"
t_ok "config set" "$E" config set "$tmp/ks" mappings.physical_memory=0xffff800000000000 \
	kernel_stack_size=0x40000 frame_buffer.minimum_framebuffer_width=1024 aslr=true \
	mappings.boot_info=0x300000000000
"$E" config show "$tmp/ks" > "$tmp/show"
t_grep "config set: physical_memory shown" "mappings.physical_memory *0xffff800000000000" "$tmp/show"
t_grep "config set: stack size shown" "kernel_stack_size *262144" "$tmp/show"
t_grep "config set: aslr shown" "mappings.aslr *true" "$tmp/show"
t_grep "config set: boot_info shown" "mappings.boot_info *0x300000000000" "$tmp/show"
if [ "$(cmp -l "$K/k_default" "$tmp/ks" | wc -l)" -le 133 ] && [ -x "$tmp/ks" ]; then
	echo "PASS tool: config set changes only the section and keeps the file mode"
else
	echo "FAIL tool: config set changed more than the section"
fi
cp "$tmp/ks" "$tmp/ks.before"
t_err "config set: unaligned value refused" "would not boot: config: physical_memory: fixed address 0x123 is not 2 MiB aligned" "$E" config set "$tmp/ks" physical_memory=0x123
t_err "config set: unknown key" "unknown key 'bogus'" "$E" config set "$tmp/ks" bogus=1
t_err "config set: bad value" "bad value 'maybe' for aslr" "$E" config set "$tmp/ks" aslr=maybe
t_err "config set: not key=value" "is not key=value" "$E" config set "$tmp/ks" aslr
if cmp -s "$tmp/ks" "$tmp/ks.before" && ! ls "$tmp" | grep -q 'ks.tmp'; then
	echo "PASS tool: refused config set leaves the kernel untouched"
else
	echo "FAIL tool: refused config set changed the kernel or left a temp file"
fi
t_err "config set: no section" "kernel has no .bootloader-config section" "$E" config set "$K/k_noconfig" aslr=true
cp "$K/k_old124" "$tmp/ko"
t_err "config set: 124-byte form has no kernel_base" "has no kernel_base" "$E" config set "$tmp/ko" kernel_base=0x200000000000
t_ok "config set on a 124-byte config" "$E" config set "$tmp/ko" boot_info=0x300000000000
"$E" config show "$tmp/ko" > "$tmp/show"
t_grep "config set keeps the 124-byte layout" "124 bytes" "$tmp/show"
t_grep "config set on 124 bytes: boot_info" "mappings.boot_info *0x300000000000" "$tmp/show"

t_ok "image --uefi" "$E" image --uefi -o "$tmp/ok.img" "$K/k_default"
if python3 "$(dirname "$0")/check_gpt.py" "$tmp/ok.img" > "$tmp/gpt" 2>&1; then
	echo "PASS tool: image has a valid GPT with an ESP"
else
	echo "FAIL tool: GPT check: $(tail -1 "$tmp/gpt")"
fi
if mcopy -i "$tmp/ok.img@@1M" ::/kernel-x86_64 "$tmp/k" && cmp -s "$tmp/k" "$K/k_default" &&
   mcopy -i "$tmp/ok.img@@1M" ::/EFI/BOOT/BOOTX64.EFI "$tmp/e" && cmp -s "$tmp/e" "$B/uefi/BOOTX64.EFI"; then
	echo "PASS tool: image holds the kernel and BOOTX64.EFI byte for byte"
else
	echo "FAIL tool: image contents differ"
fi
t_ok "image with ramdisk" "$E" image -o "$tmp/rd.img" --ramdisk "$B/ramdisk.bin" "$K/k_ramdisk"
if mcopy -i "$tmp/rd.img@@1M" ::/ramdisk "$tmp/r" && cmp -s "$tmp/r" "$B/ramdisk.bin"; then
	echo "PASS tool: image holds the ramdisk"
else
	echo "FAIL tool: ramdisk missing from image"
fi
t_err "image: bad kernel refused with the loader's message" "kernel has no .bootloader-config section" "$E" image -o "$tmp/bad.img" "$K/k_noconfig"
t_err "image: missing ramdisk" "ramdisk '$tmp/none'" "$E" image -o "$tmp/bad.img" --ramdisk "$tmp/none" "$K/k_default"
t_err "image: malformed boot.json refused" "boot.json: expected '}' at byte 42" "$E" image -o "$tmp/bad.img" --config-file "$B/boot-bad.json" "$K/k_default"
t_ok "image with boot.json" "$E" image -o "$tmp/cfg.img" --config-file "$B/boot-good.json" "$K/k_sentinel"
if mcopy -i "$tmp/cfg.img@@1M" ::/boot.json "$tmp/j" && cmp -s "$tmp/j" "$B/boot-good.json"; then
	echo "PASS tool: image holds boot.json"
else
	echo "FAIL tool: boot.json missing from the image"
fi
t_err "image: no -o" "no output given" "$E" image "$K/k_default"
t_err "image: no kernel" "no KERNEL given" "$E" image -o "$tmp/bad.img"
t_err "image: unknown option" "unknown option '--frob'" "$E" image --frob -o "$tmp/bad.img" "$K/k_default"
t_err "image: two kernels" "more than one kernel" "$E" image -o "$tmp/bad.img" "$K/k_default" "$K/k_pie"
t_err "image: unwritable output" "cannot create a temporary file" "$E" image -o /proc/elfboot-test.img "$K/k_default"
t_err "image: missing loader" "UEFI loader" "$E" image --loader-dir "$tmp" -o "$tmp/bad.img" "$K/k_default"
if ls "$tmp" | grep -q -e 'bad.img'; then
	echo "FAIL tool: a failed image run left a file: $(ls "$tmp" | grep bad.img)"
else
	echo "PASS tool: failed image runs leave no file behind"
fi
# Installed under a prefix, the tool uses its embedded loaders (no share/).
if make -s install PREFIX="$tmp/prefix" B="$B" > "$tmp/install.log" 2>&1 &&
   env -u ELFBOOT_LOADER_DIR "$tmp/prefix/bin/elfboot" image -o "$tmp/inst.img" "$K/k_default" > /dev/null 2>&1 &&
   mcopy -i "$tmp/inst.img@@1M" ::/EFI/BOOT/BOOTX64.EFI "$tmp/e2" && cmp -s "$tmp/e2" "$B/uefi/BOOTX64.EFI" &&
   [ -f "$tmp/prefix/include/elfboot.h" ] && [ ! -e "$tmp/prefix/share/elfboot" ]; then
	echo "PASS tool: make install; the installed tool uses its embedded loaders"
else
	echo "FAIL tool: make install or the installed tool ($(tail -1 "$tmp/install.log"))"
fi
# An existing image survives a failed rebuild untouched.
cp "$tmp/ok.img" "$tmp/keep.img"
"$E" image -o "$tmp/ok.img" "$K/k_noconfig" 2>/dev/null
if cmp -s "$tmp/ok.img" "$tmp/keep.img"; then
	echo "PASS tool: a failed rebuild keeps the old image"
else
	echo "FAIL tool: a failed rebuild changed the old image"
fi

# ---- issue 7: the simulated load (sim.c) on huge sparse layouts, refused
# overwrites, JSON escaping, symlinks, the loader's ELF errors, hostile
# arguments.
# patch_elf IN OUT MEMSZ [NEXTRA]: the last PT_LOAD gets p_memsz MEMSZ; with
# NEXTRA, that many more empty PT_LOADs of MEMSZ follow it, 1 TiB apart (a
# new program header table appended to the file).
patch_elf() {
	python3 - "$@" <<'PY'
import struct, sys
src, dst, memsz = sys.argv[1], sys.argv[2], int(sys.argv[3], 0)
extra = int(sys.argv[4]) if len(sys.argv) > 4 else 0
d = bytearray(open(src, 'rb').read())
phoff, = struct.unpack_from('<Q', d, 32)
phnum, = struct.unpack_from('<H', d, 56)
ph = [bytearray(d[phoff + 56 * i: phoff + 56 * i + 56]) for i in range(phnum)]
last = max(i for i in range(phnum) if struct.unpack_from('<I', ph[i], 0)[0] == 1)
struct.pack_into('<Q', ph[last], 40, memsz)
vaddr, = struct.unpack_from('<Q', ph[last], 16)
for k in range(extra):
    va = (vaddr & ~0xfff) + (k + 1) * (1 << 40) + (1 << 40)
    ph.insert(last + 1 + k, bytearray(struct.pack('<IIQQQQQQ', 1, 4, 0, va, va, 0, memsz, 0x1000)))
if extra:
    while len(d) % 8:
        d.append(0)
    struct.pack_into('<Q', d, 32, len(d))
    struct.pack_into('<H', d, 56, len(ph))
    d += b''.join(ph)
else:
    d[phoff:phoff + 56 * phnum] = b''.join(ph)
open(dst, 'wb').write(d)
PY
}
# t_big NAME MAXMB CMD...: exit 0 within 60 s and at most MAXMB MiB peak RSS.
t_big() {
	n=$1 max=$2; shift 2
	if /usr/bin/time -f '%M %e' -o "$tmp/time" timeout 60 "$@" > "$tmp/out" 2> "$tmp/err"; then
		kb=$(cut -d' ' -f1 "$tmp/time")
		if [ "$kb" -le $((max * 1024)) ]; then
			echo "PASS tool: $n ($(cut -d' ' -f2 "$tmp/time") s, $((kb / 1024)) MiB)"
		else
			echo "FAIL tool: $n (peak RSS $((kb / 1024)) MiB > $max MiB)"
		fi
	else
		echo "FAIL tool: $n ($(head -1 "$tmp/err"))"
	fi
}
cp "$K/k_default" "$tmp/kstack"
"$E" config set "$tmp/kstack" kernel_stack_size=0x100000000 > /dev/null 2>&1
t_big "config check: 4 GiB stack simulated sparsely" 100 "$E" config check "$tmp/kstack"
t_grep "config check: 4 GiB stack in the layout" "stack *0x[0-9a-f]* - 0x[0-9a-f]*" "$tmp/out"
if python3 -c 'import re,sys; m=re.search(r"stack +0x([0-9a-f]+) - 0x([0-9a-f]+)", open(sys.argv[1]).read()); assert int(m[2],16)-int(m[1],16)==1<<32' "$tmp/out" 2>/dev/null; then
	echo "PASS tool: the simulated stack spans 4 GiB"
else
	echo "FAIL tool: the simulated stack does not span 4 GiB"
fi
# Found by fuzz_load: a load needing more than the simulated low RAM put all
# RAM at 32 TiB, where the physical-memory map covered every candidate for
# the identity-mapped hand-off page ("would fail at boot" for a good kernel).
cp "$K/k_physmem" "$tmp/kp2g"
"$E" config set "$tmp/kp2g" kernel_stack_size=0x80000000 > /dev/null 2>&1
t_ok "config check: 2 GiB stack with a physical-memory map" "$E" config check "$tmp/kp2g"
t_grep "config check: 2 GiB stack with physical memory mapped" "physical memory at *0x" "$tmp/out"
# A 1 TiB (less 64 KiB: the loader allocates at most 1 TiB at once) .bss in
# a PIE kernel.
patch_elf "$K/k_pie" "$tmp/kbss" 0xffffff0000
"$E" config set "$tmp/kbss" physical_memory=none > /dev/null 2>&1
t_big "config check: 1 TiB .bss simulated sparsely" 3000 "$E" config check "$tmp/kbss"
t_grep "config check: 1 TiB .bss in the layout" "image *0x8000000000 - 0x17fffff6000" "$tmp/out"
t_grep "config check: 1 TiB .bss RAM sized by need" "simulated load (11[0-9][0-9][0-9][0-9][0-9] MiB of RAM" "$tmp/out"
patch_elf "$K/k_pie" "$tmp/khuge" 0xffffff0000 40
t_err "config check: more RAM than any simulated machine" "would fail at boot: needs [0-9]* GiB of RAM (the largest simulated machine has 32768 GiB)" "$E" config check "$tmp/khuge"
patch_elf "$K/k_pie" "$tmp/kbss1t" 0x10000000000
t_err "config check: a segment over 1 TiB is refused as at boot" "would fail at boot: load: segment at .*alloc: bad request" "$E" config check "$tmp/kbss1t"

# image: an output that is one of the inputs is refused, by any path.
cp "$K/k_default" "$tmp/kin"
cp "$tmp/kin" "$tmp/kin.orig"
ln -s kin "$tmp/kin.link"
t_err "image: -o equal to the kernel refused" "is the kernel" "$E" image -o "$tmp/kin" "$tmp/kin"
t_err "image: -o naming the kernel by another path refused" "is the kernel" "$E" image -o "$tmp/./kin.link" "$tmp/kin"
cp "$B/ramdisk.bin" "$tmp/rdin"
t_err "image: -o equal to the ramdisk refused" "is the ramdisk" "$E" image --ramdisk "$tmp/rdin" -o "$tmp/../$(basename "$tmp")/rdin" "$K/k_ramdisk"
cp "$B/boot-good.json" "$tmp/cfgin"
t_err "image: -o equal to the config file refused" "is the config file" "$E" image --config-file "$tmp/cfgin" -o "$tmp/cfgin" "$K/k_sentinel"
if cmp -s "$tmp/kin" "$tmp/kin.orig" && cmp -s "$tmp/rdin" "$B/ramdisk.bin" && cmp -s "$tmp/cfgin" "$B/boot-good.json" && [ -L "$tmp/kin.link" ]; then
	echo "PASS tool: refused image runs leave their inputs untouched"
else
	echo "FAIL tool: an image run overwrote one of its inputs"
fi
# image runs the simulated load too: a clash only loading finds is refused.
t_err "image: kernel that would fail at boot refused" "would fail at boot: map: kernel stack guard page at 0xffffffff80000000 is already mapped" "$E" image -o "$tmp/clash.img" "$K/k_stackclash"
t_ok "image --unchecked still builds it" "$E" image --unchecked -o "$tmp/clash.img" "$K/k_stackclash"
t_err "image: kernel needing more RAM than simulated refused" "needs [0-9]* GiB of RAM" "$E" image -o "$tmp/huge.img" "$tmp/khuge"

# config show --json: any path is a valid JSON string.
weird="$tmp/we\"ird\\na
me"
cp "$K/k_base" "$weird"
t_ok "config show --json, path with quote, backslash, newline" "$E" config show --json "$weird"
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["kernel"]==sys.argv[2], d["kernel"]; assert d["mappings.kernel_base"]=="0x200000000000"' "$tmp/out" "$weird" 2>"$tmp/err"; then
	echo "PASS tool: config show --json escapes the kernel path"
else
	echo "FAIL tool: config show --json with a strange path ($(tail -1 "$tmp/err"))"
fi

# config set through a symlink edits its target and keeps the link.
cp "$K/k_default" "$tmp/kt"
ln -s kt "$tmp/kt.link"
t_ok "config set via a symlink" "$E" config set "$tmp/kt.link" aslr=true
"$E" config show "$tmp/kt" > "$tmp/show"
if [ -L "$tmp/kt.link" ] && [ "$(readlink "$tmp/kt.link")" = kt ] && grep -q "mappings.aslr *true" "$tmp/show"; then
	echo "PASS tool: config set via a symlink edits the target, keeps the link"
else
	echo "FAIL tool: config set via a symlink replaced the link or missed the target"
fi

# config show: a kernel the loader refuses gets the loader's reason.
python3 -c 'import sys; d=bytearray(open(sys.argv[1],"rb").read()); d[4]=1; open(sys.argv[2],"wb").write(d)' "$K/k_default" "$tmp/k32"
python3 -c 'import sys; d=bytearray(open(sys.argv[1],"rb").read()); d[5]=2; open(sys.argv[2],"wb").write(d)' "$K/k_default" "$tmp/kbe"
t_err "config show: 32-bit ELF" "EI_CLASS is 1, expected 2 (ELF64)" "$E" config show "$tmp/k32"
t_err "config show: big-endian ELF" "EI_DATA is 2, expected 1 (little-endian)" "$E" config show "$tmp/kbe"
t_err "config show: truncated ELF" "lies outside the 4000-byte file" "$E" config show "$K/k_truncated"
t_err "config show --json: 32-bit ELF" "EI_CLASS is 1" "$E" config show --json "$tmp/k32"

# Hostile arguments: one error line each, nothing written.
t_err "image: empty -o" "-o is an empty path" "$E" image -o "" "$K/k_default"
t_err "image: empty kernel" "KERNEL is an empty path" "$E" image -o "$tmp/bad.img" ""
t_err "image: empty --ramdisk" "--ramdisk is an empty path" "$E" image --ramdisk "" -o "$tmp/bad.img" "$K/k_default"
t_err "image: -o missing its value" "-o needs a value, got the option '--uefi'" "$E" image -o --uefi "$K/k_default"
t_err "image: --loader-dir at the end" "--loader-dir needs an argument" "$E" image -o "$tmp/bad.img" "$K/k_default" --loader-dir
long=$(python3 -c 'print("x" * 5000)')
t_err "image: over-long output path" "-o path is [0-9]* bytes long (at most 4000)" "$E" image -o "$tmp/$long" "$K/k_default"
t_err "image: '@@' in the output path" "contains '@@'" "$E" image -o "$tmp/a@@b.img" "$K/k_default"
t_err "config show: over-long path" "cannot open" "$E" config show "$tmp/$long"
t_err "config set: over-long path" "cannot open" "$E" config set "$tmp/$long" aslr=true
t_err "config set: empty kernel" "KERNEL is an empty path" "$E" config set "" aslr=true
t_err "config set: option as kernel" "unknown option '--json'" "$E" config set --json "$K/k_default"
t_err "config set: empty key" "unknown key ''" "$E" config set "$tmp/ks" =1
t_err "config set: empty value" "bad value '' for kernel_stack_size" "$E" config set "$tmp/ks" kernel_stack_size=
t_err "config check --json refused" "unknown option '--json'" "$E" config check --json "$K/k_default"
t_err "config show: empty kernel" "KERNEL is an empty path" "$E" config show ""
mkfifo "$tmp/fifo"
t_err "config show: a FIFO is refused, not waited on" "is not a regular file" timeout 10 "$E" config show "$tmp/fifo"
# A relative kernel path that looks like a DOS drive ("k:1") or an option
# to mtools is copied all the same.
cp "$K/k_default" "$tmp/k:1"
t_ok "image: kernel named like a DOS drive" sh -c 'cd "$1" && "$2" image --uefi -o drive.img "k:1"' sh "$tmp" "$(cd "$(dirname "$E")" && pwd)/$(basename "$E")"
if mcopy -i "$tmp/drive.img@@1M" ::/kernel-x86_64 "$tmp/k2" 2>/dev/null && cmp -s "$tmp/k2" "$K/k_default"; then
	echo "PASS tool: image holds the kernel named like a drive"
else
	echo "FAIL tool: kernel named like a drive not copied"
fi
if ls "$tmp" | grep -q -e 'bad.img' -e 'clash.img.tmp' -e 'huge.img' -e '^kin.tmp' -e 'a@@b'; then
	echo "FAIL tool: a refused run left a file: $(ls "$tmp" | grep -e bad.img -e huge.img -e a@@b)"
else
	echo "PASS tool: refused runs (issue 7) leave no file behind"
fi
