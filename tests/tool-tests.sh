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
# Installed under a prefix, the tool finds its loaders in share/elfboot.
if make -s install PREFIX="$tmp/prefix" B="$B" > "$tmp/install.log" 2>&1 &&
   env -u ELFBOOT_LOADER_DIR "$tmp/prefix/bin/elfboot" image -o "$tmp/inst.img" "$K/k_default" > /dev/null 2>&1 &&
   mcopy -i "$tmp/inst.img@@1M" ::/EFI/BOOT/BOOTX64.EFI "$tmp/e2" && cmp -s "$tmp/e2" "$B/uefi/BOOTX64.EFI" &&
   [ -f "$tmp/prefix/include/elfboot.h" ]; then
	echo "PASS tool: make install; the installed tool finds its loaders"
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
