#!/bin/sh
# pkg.sh BUILD - elfboot as users install it: `make install`/`uninstall` into
# a DESTDIR, the pkg-config file, the man pages (rendered with warnings on),
# the bash completion, the Debian package (built from a copy of the tree,
# installed into a fresh root, its tool booting a kernel on BIOS), and
# mk/deps.sh's root / sudo / no-sudo paths.  Prints PASS/FAIL lines.
set -u
B=${1:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
case $B in /*) ;; *) B="$ROOT/$B" ;; esac
E="$B/elfboot"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export MTOOLS_SKIP_CHECK=1
unset ELFBOOT_LOADER_DIR PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
# Run from `make check`: its make flags (jobserver, variables) are not ours.
unset MAKEFLAGS MFLAGS MAKELEVEL
start=$(date +%s)
VERSION=$(cat VERSION)

pass() { echo "PASS pkg: $1"; }
fail() { echo "FAIL pkg: $1"; }
check() { # name cmd... : passes when cmd exits 0; else the first error line
	n=$1
	shift
	if "$@" > "$tmp/out" 2> "$tmp/err"; then pass "$n"; else fail "$n ($(head -1 "$tmp/err"))"; fi
}

# What the tool says it does: "  elfboot WORD [SUBWORD]" lines of --help
# (commands), and every --option it mentions.  The docs must keep up.
"$E" --help > "$tmp/help" 2>&1
help_cmds=$(sed -n 's/^  elfboot \([a-z][a-z-]*\)\( \(show\|set\|check\)\)\{0,1\}.*/\1\2/p' "$tmp/help" | sort -u)
help_opts=$(grep -o -- '--[a-z][a-z-]*' "$tmp/help" | sort -u)
# The issue's commands (issue 9), whether or not this tree's tool has them yet.
want_cmds=$(printf '%s\n' "$help_cmds" | cat - <<EOF | sort -u
image
image-info
netboot
run
config show
config set
config check
EOF
)
want_opts=$(printf '%s\n' $help_opts --bios --uefi --iso --net --ramdisk --config-file --gdb \
	--test --timeout --json --version --help | sort -u)
[ -n "$help_cmds" ] && [ -n "$help_opts" ] || fail "elfboot --help lists commands and options"

# ---------------------------------------------------------------- make install
D="$tmp/destdir"
P=/usr/local
FILES="bin/elfboot include/elfboot.h lib/pkgconfig/elfboot.pc share/man/man1/elfboot.1
share/man/man7/elfboot-protocol.7 share/bash-completion/completions/elfboot"
# After `make check`'s build nothing is out of date: install rebuilds
# nothing (a rebuilt tool, relinked while the other suites run it, once
# failed a parallel suite with "Permission denied").
before=$(ls -l --time-style=+%s.%N "$B/elfboot" "$B/uefi/stage2.bin" "$B/uefi/BOOTX64.EFI" 2>&1)
if make --no-print-directory -s B="$B" install DESTDIR="$D" > "$tmp/out" 2> "$tmp/err"; then
	after=$(ls -l --time-style=+%s.%N "$B/elfboot" "$B/uefi/stage2.bin" "$B/uefi/BOOTX64.EFI" 2>&1)
	if [ "$before" = "$after" ] && ! grep -q "of [0-9]* bytes" "$tmp/out"; then
		pass "make install after the build rebuilds nothing (tool and loaders untouched)"
	else
		fail "make install rebuilt the tool or loaders: $(head -3 "$tmp/out" | tr '\n' '|')"
	fi
	missing=""
	for f in $FILES; do [ -f "$D$P/$f" ] || missing="$missing $f"; done
	if [ -z "$missing" ]; then pass "make install DESTDIR: every file under $P"; else fail "make install DESTDIR: missing$missing"; fi
	if [ -x "$D$P/bin/elfboot" ] && cmp -s common/include/elfboot.h "$D$P/include/elfboot.h" &&
		cmp -s docs/man/elfboot.1 "$D$P/share/man/man1/elfboot.1"; then
		pass "make install: the tool executable, header and man page as in the tree"
	else
		fail "make install: installed files differ from the tree"
	fi
	outside=$(cd "$D" && find . -type f ! -path ".$P/*")
	if [ -z "$outside" ]; then pass "make install: nothing outside DESTDIR$P"; else fail "make install: files outside the prefix: $outside"; fi
else
	fail "make install DESTDIR ($(tail -1 "$tmp/err"))"
fi

# pkg-config: the staged tree through the sysroot, and a real PREFIX install.
# (pkgconf ends its output with a space: word splitting trims it.)
pc_cflags=$(echo $(PKG_CONFIG_PATH="$D$P/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$D" pkg-config --cflags elfboot 2> "$tmp/err"))
if [ "$pc_cflags" = "-I$D$P/include" ]; then pass "pkg-config --cflags elfboot (DESTDIR, sysroot): $pc_cflags"; else fail "pkg-config --cflags elfboot gave '$pc_cflags', wanted -I$D$P/include ($(head -1 "$tmp/err"))"; fi
pc_ver=$(PKG_CONFIG_PATH="$D$P/lib/pkgconfig" pkg-config --modversion elfboot 2> /dev/null)
if [ "$pc_ver" = "$VERSION" ]; then pass "pkg-config --modversion = VERSION ($VERSION)"; else fail "pkg-config --modversion '$pc_ver', VERSION '$VERSION'"; fi
P2="$tmp/prefix"
make --no-print-directory -s B="$B" install PREFIX="$P2" > /dev/null 2> "$tmp/err" || fail "make install PREFIX=DIR ($(tail -1 "$tmp/err"))"
cflags=$(echo $(PKG_CONFIG_PATH="$P2/lib/pkgconfig" pkg-config --cflags elfboot 2> /dev/null))
cat > "$tmp/k.c" << 'EOF'
#include <elfboot.h>
ELFBOOT_CONFIG(cfg, .kernel_stack_size = 65536, .physical_memory = ELFBOOT_SOME_DYNAMIC);
_Static_assert(sizeof(struct elfboot_boot_info) == 232, "BootInfo");
void kmain(struct elfboot_boot_info *info) { (void)elfboot_regions(info); for (;;) __asm__("hlt"); }
ELFBOOT_ENTRY_POINT(kmain)
EOF
# shellcheck disable=SC2086
if [ "$cflags" = "-I$P2/include" ] &&
	cc -std=c11 -ffreestanding -mno-red-zone -Wall -Wextra -Werror $cflags -c "$tmp/k.c" -o "$tmp/k.o" 2> "$tmp/err"; then
	pass "a kernel including elfboot.h compiles with \$(pkg-config --cflags elfboot)"
else
	fail "compile with pkg-config flags '$cflags' ($(head -1 "$tmp/err"))"
fi
# ...and the flags are what made it compile (unless a system copy exists).
if [ ! -e /usr/include/elfboot.h ] && [ ! -e /usr/local/include/elfboot.h ]; then
	if cc -std=c11 -ffreestanding -c "$tmp/k.c" -o "$tmp/k0.o" 2> /dev/null; then
		fail "the same file compiles without the pkg-config flags (test proves nothing)"
	else
		pass "without the pkg-config flags the header is not found"
	fi
fi
for page in 1:elfboot 7:elfboot-protocol; do
	got=$(man -M "$P2/share/man" -w "${page%%:*}" "${page#*:}" 2> /dev/null)
	if [ "$got" = "$P2/share/man/man${page%%:*}/${page#*:}.${page%%:*}" ]; then
		pass "man finds ${page#*:}(${page%%:*}) in the installed tree"
	else
		fail "man -M PREFIX/share/man -w ${page#*:} gave '$got'"
	fi
done
if make --no-print-directory -s B="$B" uninstall DESTDIR="$D" > /dev/null 2> "$tmp/err"; then
	left=$(cd "$D" && find . -type f)
	if [ -z "$left" ]; then pass "make uninstall removes every installed file"; else fail "make uninstall left: $left"; fi
else
	fail "make uninstall ($(tail -1 "$tmp/err"))"
fi

# ---------------------------------------------------------------- man pages
for page in docs/man/elfboot.1 docs/man/elfboot-protocol.7; do
	n=$(basename "$page")
	groff -man -ww -z "$page" > "$tmp/w" 2>&1
	man --warnings -l "$page" 2>> "$tmp/w" > /dev/null
	if [ ! -s "$tmp/w" ]; then pass "$n renders without warnings (groff -ww, man --warnings)"; else fail "$n warnings: $(head -2 "$tmp/w" | tr '\n' '|')"; fi
	check "$n: lexgrog finds its NAME line" lexgrog "$page"
done
# Rendered wide, so "config show" never breaks across a line.
groff -man -Tascii -P-cbou -rLL=250n docs/man/elfboot.1 2> /dev/null > "$tmp/man1"
missing=""
while IFS= read -r c; do
	[ -n "$c" ] || continue
	grep -qF -- "elfboot $c" "$tmp/man1" || missing="$missing '$c'"
done << EOF
$want_cmds
EOF
if [ -z "$missing" ]; then pass "elfboot.1 documents every command ($(printf '%s\n' "$want_cmds" | paste -sd,))"; else fail "elfboot.1 lacks command(s)$missing"; fi
missing=""
for o in $want_opts; do grep -qF -- "$o" "$tmp/man1" || missing="$missing $o"; done
if [ -z "$missing" ]; then pass "elfboot.1 documents every option of --help and the issue"; else fail "elfboot.1 lacks option(s)$missing"; fi
# The protocol page names every config and BootInfo field of elfboot.h.
groff -man -Tascii -P-cbou -rLL=250n docs/man/elfboot-protocol.7 2> /dev/null > "$tmp/man7"
fields=$(sed -n '/^struct ELFBOOT_PACKED elfboot_config {/,/^}/p; /^struct elfboot_boot_info {/,/^}/p' common/include/elfboot.h |
	sed -n 's/^[[:space:]]*[a-z_0-9 ]*[[:space:]]\([a-z_][a-z_0-9]*\)\(\[[0-9]*\]\)\{0,1\};.*/\1/p' |
	grep -vE '^(magic|version_major|version_minor|version_patch|pre_release|_test_sentinel)$')
missing=""
for f in $fields; do grep -qw -- "$f" "$tmp/man7" || missing="$missing $f"; done
if [ -n "$fields" ] && [ -z "$missing" ]; then
	pass "elfboot-protocol.7 names all $(echo $fields | wc -w) config and BootInfo fields of elfboot.h"
else
	fail "elfboot-protocol.7 lacks field(s):$missing (found $(echo $fields | wc -w) in elfboot.h)"
fi
missing=""
for s in "THE CONFIG SECTION" "THE CONFIG MACRO" "BOOTINFO" "MEMORY MAP" "HANDOFF"; do
	grep -q "^$s" "$tmp/man7" || missing="$missing '$s'"
done
if [ -z "$missing" ]; then pass "elfboot-protocol.7: config section, macro, BootInfo, memory map, handoff"; else fail "elfboot-protocol.7 lacks section(s)$missing"; fi

# ---------------------------------------------------------------- bash completion
# complete WORDS...: what the installed completion (the PREFIX install above)
# offers for the last word.
COMPL="$P2/share/bash-completion/completions/elfboot"
complete_words() {
	bash --norc --noprofile -c '
		f=$1; shift
		. "$f" || exit 9
		complete -p elfboot | grep -q -- "-F _elfboot elfboot" || exit 8
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_elfboot elfboot "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}"' sh "$COMPL" "$@" | sort
}
got=$(complete_words elfboot i | tr '\n' ' ')
if [ "$got" = "image image-info " ]; then pass "completion: 'elfboot i' -> image image-info"; else fail "completion: 'elfboot i' -> '$got'"; fi
got=$(complete_words elfboot "")
missing=""
for c in $(printf '%s\n' "$want_cmds" | sed 's/ .*//' | sort -u) --version --help; do
	printf '%s\n' "$got" | grep -qx -- "$c" || missing="$missing $c"
done
if [ -z "$missing" ]; then pass "completion: every command at the first word"; else fail "completion: commands not offered:$missing"; fi
got=$(complete_words elfboot image --)
missing=""
for o in --bios --uefi --iso --ramdisk --config-file --fat-auto --loader-dir --unchecked; do
	printf '%s\n' "$got" | grep -qx -- "$o" || missing="$missing $o"
done
if [ -z "$missing" ] && ! printf '%s\n' "$got" | grep -qv -- '^--'; then
	pass "completion: 'elfboot image --' -> image's options"
else
	fail "completion: 'elfboot image --' -> '$(echo $got)'; missing$missing"
fi
got=$(complete_words elfboot run --t | tr '\n' ' ')
if [ "$got" = "--test --timeout " ]; then pass "completion: 'elfboot run --t' -> --test --timeout"; else fail "completion: 'elfboot run --t' -> '$got'"; fi
got=$(complete_words elfboot config "" | tr '\n' ' ')
if [ "$got" = "check set show " ]; then pass "completion: 'elfboot config' -> check set show"; else fail "completion: 'elfboot config' -> '$got'"; fi
mkdir -p "$tmp/c/dir"
: > "$tmp/c/disk.img"
: > "$tmp/c/kernel.elf"
got=$(complete_words elfboot image-info "$tmp/c/di" | tr '\n' ' ')
if [ "$got" = "$tmp/c/dir $tmp/c/disk.img " ]; then pass "completion: IMG of image-info completes file names"; else fail "completion: image-info file -> '$got'"; fi
got=$(complete_words elfboot image -o x.img "$tmp/c/k" | tr '\n' ' ')
if [ "$got" = "$tmp/c/kernel.elf " ]; then pass "completion: KERNEL completes file names"; else fail "completion: KERNEL -> '$got'"; fi
got=$(complete_words elfboot image --loader-dir "$tmp/c/" | tr '\n' ' ')
if [ "$got" = "$tmp/c/dir " ]; then pass "completion: --loader-dir completes directories only"; else fail "completion: --loader-dir -> '$got'"; fi

# ---------------------------------------------------------------- mk/deps.sh
# Stubs on a PATH of their own: id (uid FAKE_UID), dpkg-query (every package
# installed except FAKE_MISSING), apt-get and sudo (log their calls; sudo -n
# answers FAKE_SUDO_N).  No-sudo runs have no sudo on the PATH at all.
S="$tmp/stub"
mkdir -p "$S/bin" "$S/nosudo"
for t in grep env cat; do ln -s "$(command -v $t)" "$S/bin/$t"; done
cat > "$S/bin/id" << 'EOF'
#!/bin/sh
echo "${FAKE_UID:-0}"
EOF
cat > "$S/bin/dpkg-query" << 'EOF'
#!/bin/sh
for p; do :; done
case " $FAKE_MISSING " in *" $p "*) exit 1 ;; esac
printf 'install ok installed'
EOF
cat > "$S/bin/apt-get" << 'EOF'
#!/bin/sh
echo "apt-get $*" >> "$FAKE_LOG"
EOF
cat > "$S/bin/sudo" << 'EOF'
#!/bin/sh
if [ "$1" = -n ]; then exit "${FAKE_SUDO_N:-0}"; fi
echo "sudo $*" >> "$FAKE_LOG"
exec "$@"
EOF
chmod +x "$S/bin/id" "$S/bin/dpkg-query" "$S/bin/apt-get" "$S/bin/sudo"
for t in grep env cat id dpkg-query apt-get; do ln -s "$S/bin/$t" "$S/nosudo/$t"; done
SH=$(command -v sh)
# deps NAME PATHDIR UID SUDO_N: runs deps.sh with nasm and ovmf missing.
deps() {
	: > "$tmp/deps.log"
	FAKE_LOG="$tmp/deps.log" FAKE_UID=$3 FAKE_SUDO_N=$4 FAKE_MISSING="nasm ovmf" PATH="$2" \
		"$SH" mk/deps.sh < /dev/null > "$tmp/deps.out" 2> "$tmp/deps.err"
}
deps root "$S/bin" 0 0
rc=$?
if [ $rc -eq 0 ] && grep -q '^apt-get install .* nasm ovmf' "$tmp/deps.log" && ! grep -q '^sudo' "$tmp/deps.log"; then
	pass "deps.sh as root: apt-get install nasm ovmf, no sudo"
else
	fail "deps.sh as root: exit $rc, calls: $(tr '\n' '|' < "$tmp/deps.log")"
fi
deps sudo "$S/bin" 1000 0
rc=$?
if [ $rc -eq 0 ] && grep -q '^sudo env .*apt-get install .* nasm ovmf' "$tmp/deps.log" &&
	[ "$(grep -c '^apt-get' "$tmp/deps.log")" = "$(grep -c '^sudo' "$tmp/deps.log")" ]; then
	pass "deps.sh not root, sudo without a password: every apt-get through sudo"
else
	fail "deps.sh with sudo: exit $rc, calls: $(tr '\n' '|' < "$tmp/deps.log")"
fi
# deps_refuses NAME: non-zero, nothing installed, one apt-get line naming both.
deps_refuses() {
	if [ $1 -ne 0 ] && [ ! -s "$tmp/deps.log" ] &&
		[ "$(grep -c 'apt-get install' "$tmp/deps.err")" = 1 ] &&
		grep -q '^ *apt-get install nasm ovmf$' "$tmp/deps.err"; then
		pass "deps.sh $2: prints the one apt-get line and stops"
	else
		fail "deps.sh $2: exit $1, calls '$(tr '\n' '|' < "$tmp/deps.log")', stderr '$(tr '\n' '|' < "$tmp/deps.err")'"
	fi
}
deps nosudo "$S/nosudo" 1000 0
deps_refuses $? "not root, no sudo"
deps sudo-pw "$S/bin" 1000 1
deps_refuses $? "not root, sudo wants a password, no terminal"
FAKE_LOG="$tmp/deps.log" FAKE_UID=1000 FAKE_MISSING="" PATH="$S/nosudo" "$SH" mk/deps.sh < /dev/null > /dev/null 2>&1
rc=$?
if [ $rc -eq 0 ]; then pass "deps.sh not root, nothing missing: exit 0"; else fail "deps.sh nothing missing: exit $rc"; fi

# ---------------------------------------------------------------- the .deb
deb_version=$(dpkg-parsechangelog -l debian/changelog -S Version 2> /dev/null)
if [ "$deb_version" = "$VERSION" ]; then pass "debian/changelog version = VERSION ($VERSION)"; else fail "debian/changelog version '$deb_version', VERSION '$VERSION'"; fi
if ! command -v dpkg-buildpackage > /dev/null || ! command -v dh > /dev/null; then
	fail "dpkg-buildpackage and debhelper installed (mk/deps.sh installs them)"
	exit 0
fi
# A copy of the tree (what git tracks, plus new files not ignored), no build/.
src="$tmp/deb/elfboot-$VERSION"
mkdir -p "$src"
if git rev-parse --git-dir > /dev/null 2>&1; then
	git ls-files -co --exclude-standard -z | tar --null -T - -cf - | tar -xf - -C "$src"
else
	tar --exclude=./build --exclude=./debian/build --exclude=./debian/elfboot --exclude=./debian/.debhelper -cf - . | tar -xf - -C "$src"
fi
t0=$(date +%s)
if (cd "$src" && nice -n 10 dpkg-buildpackage -b -us -uc -j2) > "$tmp/deb.log" 2>&1; then
	pass "dpkg-buildpackage -b builds the package ($(($(date +%s) - t0)) s)"
else
	fail "dpkg-buildpackage -b ($(tail -1 "$tmp/deb.log"))"
fi
deb="$tmp/deb/elfboot_${VERSION}_amd64.deb"
if [ -f "$deb" ]; then
	dpkg-deb -c "$deb" | awk '{print $NF}' > "$tmp/deb.list"
	missing=""
	for f in usr/bin/elfboot usr/include/elfboot.h usr/share/pkgconfig/elfboot.pc \
		usr/share/man/man1/elfboot.1.gz usr/share/man/man7/elfboot-protocol.7.gz \
		usr/share/bash-completion/completions/elfboot usr/share/doc/elfboot/copyright; do
		grep -qx "./$f" "$tmp/deb.list" || missing="$missing $f"
	done
	if [ -z "$missing" ]; then pass "dpkg-deb -c: tool, header, .pc, man pages, completion, copyright"; else fail "dpkg-deb -c: missing$missing"; fi
	if grep -qE 'kernels/|/k_[a-z]|examples/' "$tmp/deb.list"; then fail "the .deb holds test kernels or examples"; else pass "the .deb holds no test kernels"; fi
	deps_f=$(dpkg-deb -f "$deb" Depends)
	recs_f=$(dpkg-deb -f "$deb" Recommends)
	case "$deps_f" in *mtools*libelf1*|*libelf1*mtools*) pass "Depends: $deps_f" ;; *) fail "Depends '$deps_f' lacks mtools or libelf1" ;; esac
	missing=""
	for r in qemu-system-x86 ovmf xorriso; do case ", $recs_f," in *", $r,"*) ;; *) missing="$missing $r" ;; esac; done
	if [ -z "$missing" ]; then pass "Recommends: $recs_f"; else fail "Recommends '$recs_f' lacks$missing"; fi
	# A fresh root: an empty dpkg database, dependencies not there (the host's
	# libelf and mtools serve the installed tool).  dpkg --root needs root to
	# chown what it unpacks; as a user the package is only unpacked (dpkg -x).
	R="$tmp/root"
	mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates" "$R/var/lib/dpkg/triggers"
	: > "$R/var/lib/dpkg/status"
	: > "$R/var/lib/dpkg/available"
	if [ "$(id -u)" = 0 ]; then
		how="dpkg --root"
		dpkg --root="$R" --force-depends --log=/dev/null -i "$deb" > "$tmp/dpkg.log" 2>&1 &&
			dpkg --root="$R" -s elfboot 2> /dev/null | grep -q '^Status: install ok installed'
	else
		how="dpkg -x (not root)"
		dpkg -x "$deb" "$R" > "$tmp/dpkg.log" 2>&1
	fi
	if [ $? -eq 0 ] && [ -x "$R/usr/bin/elfboot" ]; then pass "the .deb installs into a fresh root ($how)"; else fail "install into a fresh root ($how): $(grep -m1 -i error "$tmp/dpkg.log")"; fi
	pc=$(echo $(PKG_CONFIG_PATH="$R/usr/share/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$R" pkg-config --cflags elfboot 2> /dev/null))
	if [ "$pc" = "-I$R/usr/include" ]; then pass "the packaged elfboot.pc names /usr/include"; else fail "packaged elfboot.pc --cflags '$pc'"; fi
	# The installed tool, alone (no loader dir from the environment), makes an
	# image that boots on SeaBIOS.
	if "$R/usr/bin/elfboot" image -o "$tmp/k.img" "$B/kernels/k_default" > /dev/null 2> "$tmp/err"; then
		sh tests/qemu.sh bios "$tmp/k.img" 60 > "$tmp/boot.log" 2>&1
		rc=$?
		if [ $rc -eq 0 ] && grep -q 'ktest: PASS' "$tmp/boot.log"; then
			pass "the installed tool's image boots k_default on BIOS"
		else
			fail "the installed tool's image on BIOS: qemu.sh exit $rc ($(tail -1 "$tmp/boot.log"))"
		fi
	else
		fail "the installed tool builds an image ($(head -1 "$tmp/err"))"
	fi
	if [ "$(id -u)" = 0 ]; then
		dpkg --root="$R" --log=/dev/null -r elfboot > /dev/null 2>&1
		left=$(cd "$R" && find usr -type f 2> /dev/null)
		if [ -z "$left" ]; then pass "dpkg -r removes every file of the package"; else fail "dpkg -r left: $left"; fi
	fi
else
	fail "the .deb exists ($deb)"
fi
echo "pkg: suite took $(($(date +%s) - start)) s"
