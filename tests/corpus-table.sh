#!/bin/sh
# corpus-table.sh BUILD [LIST...] - the damaged-image table of
# docs/robustness.md, read back from the serial logs the boot tests left in
# BUILD/logs/ (run the tests first): per case the damage, then for SeaBIOS
# and OVMF what happened and the line that says so.  Markdown on stdout.
set -u
B=${1:-build}
shift
T=$(dirname "$0")
[ $# -gt 0 ] || set -- "$T/boot/corpus.list"

# outcome MODE NAME: "boots"/"halts"/"firmware stops" and the telling line.
outcome() {
	log="$B/logs/$1-$2.log"
	[ -s "$log" ] || { echo "(not run)"; return; }
	clean=$(tr -d '\033' < "$log" | tr -d '\r' | sed 's/\[[0-9;=]*[A-Za-z]//g')
	line=$(echo "$clean" | grep -aE "elfboot: (error|warning)|stage1 E[0-9]" | head -1)
	if echo "$clean" | grep -qa "ktest: PASS"; then
		echo "boots${line:+; \`$line\`}"
	elif echo "$clean" | grep -qaE "elfboot: halted|stage1 E[0-9] halted"; then
		echo "halts: \`$line\`"
	else
		fw=$(echo "$clean" | grep -a "BdsDxe: failed to load" | grep -avE "DVD-ROM" | head -1)
		fw=$(echo "$fw" | sed 's/ from PciRoot[^:]*:/ from ...:/')
		echo "firmware stops: \`${fw:-$(echo "$clean" | grep -av '^ *$' | tail -1)}\`"
	fi
}

echo "| case | damage | SeaBIOS | OVMF |"
echo "|---|---|---|---|"
for l in "$@"; do
	sed -e '/^#/d' -e '/^[[:space:]]*$/d' -e 's/\$both/bios,uefi/' "$l"
done | while read -r name modes _mem _kernel _expect _text rest; do
	damage=$(echo " $rest " | sed -n 's/.* --damage \([^ ]*\) .*/\1/p')
	case "$name" in
	*-missing-kernel) damage=missing-kernel ;;
	*-fat-loop) damage=fat-loop ;;
	*-stage2-damaged) damage=stage2 ;;
	esac
	case "$rest" in *--ramdisk*) damage="${damage:-ramdisk $(echo "$rest" | sed 's/.*--ramdisk [^ ]*\/\([^ ]*\).*/\1/'), RAM $_mem}" ;; esac
	[ -n "$damage" ] || damage="kernel $(basename "$_kernel")"
	b="-" u="-"
	case "$modes" in *bios*) b=$(outcome bios "$name") ;; esac
	case "$modes" in *uefi*) u=$(outcome uefi "$name") ;; esac
	echo "| $name | ${damage:--} | $b | $u |" | sed 's/\$both//'
done
