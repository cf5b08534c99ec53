#!/bin/sh
# smp.sh BUILD RUNS - the SMP request's start-up cost (issue 10): boots
# k_smp (which asks for SMP and releases every AP) at -smp 1 and -smp 8
# (BENCH_SMP="1 8" to change) on BIOS and UEFI with boot.json at Debug, and
# reports the median of the loader's own line "elfboot: smp: N of M APs
# parked in X us" (TSC, calibrated on the PIT: from the first INIT to the
# last AP parked) and of the wall time of the whole boot.  `make bench-smp`.
set -eu
B=$1
RUNS=${2:-3}
T=tests
D="$B/bench/smp"
mkdir -p "$D"
printf '{ "log_level": "Debug" }\n' > "$D/boot.json"
"$B/elfboot" image --unchecked --config-file "$D/boot.json" -o "$D/smp.img" \
	"$B/kernels/k_smp" > /dev/null
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) print "fail"; else print a[int((NR + 1) / 2)] }'; }
for mode in bios uefi; do
	for n in ${BENCH_SMP:-1 8}; do
		: > "$D/us" && : > "$D/wall"
		i=0
		while [ $i -lt "$RUNS" ]; do
			s=$(date +%s.%N)
			QEMU_SMP=$n sh $T/qemu.sh "$mode" "$D/smp.img" 300 --log "$D/log" > /dev/null 2>&1 ||
				{ echo "$mode -smp $n: boot failed (log $D/log)"; exit 1; }
			awk -v a="$s" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f\n", b - a }' >> "$D/wall"
			# No line at -smp 1: no AP to start, nothing spent on it.
			us=$(tr -d '\r' < "$D/log" | sed -n 's/.*APs parked in \([0-9]*\) us.*/\1/p')
			echo "${us:-0}" >> "$D/us"
			i=$((i + 1))
		done
		echo "$mode -smp $n: AP start-up $(median < "$D/us") us (median of $RUNS; $(tr '\n' ' ' < "$D/us")), boot $(median < "$D/wall") s wall"
	done
done
echo "QEMU $(qemu-system-x86_64 --version | head -1 | awk '{ print $4 }'), TCG, $(nproc) host CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
