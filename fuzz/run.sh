#!/bin/sh
# run.sh - runs the libFuzzer targets built by tests/mk/fuzz.mk.
#   run.sh smoke BUILD                  each target briefly over its seeds
#                                       (make check): "PASS fuzz: <t> (N execs)"
#   run.sh long BUILD "T..." RUNS SECS  each target RUNS executions (SECS > 0
#                                       caps the time) into a working corpus
#                                       BUILD/fuzz/corpus/<t>; prints execs,
#                                       exec/s and crashes
#   run.sh cov BUILD "T..."             line coverage per source file of the
#                                       seeds + working corpus (coverage build)
# Crashes (inputs that broke an invariant or a sanitizer) are saved under
# BUILD/fuzz/crashes/<t>/; replay one with BUILD/fuzz/bin/fuzz_<t> FILE.
set -u
mode=$1
B=$2
F=$(dirname "$0")
SMOKE_RUNS=${SMOKE_RUNS:-2000}

# Target-specific options: the tool prints on stdout/stderr for every input
# (libFuzzer keeps its own report fd), the FAT disks are big inputs.
opts() {
	case $1 in
	tool) echo "-close_fd_mask=3" ;;
	fat) echo "-max_len=1048576" ;;
	*) echo "" ;;
	esac
}

# stat NAME LOG: a -print_final_stats value.
stat() { sed -n "s/^stat::$1: *//p" "$2" | tail -1; }

all_targets() {
	for b in "$B"/fuzz/bin/fuzz_*; do
		[ -x "$b" ] && basename "$b" | sed 's/^fuzz_//'
	done
}

case $mode in
smoke)
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	for t in $(all_targets); do
		mkdir -p "$tmp/$t" "$B/fuzz/crashes/$t"
		# New inputs go to the scratch dir (first), never into the seeds.
		# shellcheck disable=SC2046
		"$B/fuzz/bin/fuzz_$t" -runs="$SMOKE_RUNS" -seed=1 -print_final_stats=1 \
			-artifact_prefix="$B/fuzz/crashes/$t/" $(opts "$t") \
			"$tmp/$t" "$F/corpus/$t" > "$tmp/$t.log" 2>&1
		rc=$?
		n=$(stat number_of_executed_units "$tmp/$t.log")
		if [ $rc -eq 0 ] && [ "${n:-0}" -ge "$SMOKE_RUNS" ]; then
			echo "PASS fuzz: $t (${n} execs)"
		else
			art=$(sed -n 's/.*Test unit written to //p' "$tmp/$t.log" | tail -1)
			why=$(grep -m1 -E 'invariant broken|ERROR: (AddressSanitizer|libFuzzer)|runtime error' "$tmp/$t.log")
			echo "FAIL fuzz: $t (exit $rc after ${n:-?} execs: ${why:-no stats}; input: ${art:-none})"
		fi
	done
	;;
long)
	targets=$3 runs=$4 secs=$5
	for t in $targets; do
		mkdir -p "$B/fuzz/corpus/$t" "$B/fuzz/crashes/$t" "$B/fuzz/logs"
		log="$B/fuzz/logs/$t.log"
		cap=""
		[ "$secs" -gt 0 ] && cap="-max_total_time=$secs"
		start=$(date +%s)
		# shellcheck disable=SC2046,SC2086
		nice -n 15 "$B/fuzz/bin/fuzz_$t" -runs="$runs" $cap -print_final_stats=1 \
			-artifact_prefix="$B/fuzz/crashes/$t/" $(opts "$t") \
			"$B/fuzz/corpus/$t" "$F/corpus/$t" > "$log" 2>&1
		rc=$?
		secs_used=$(( $(date +%s) - start ))
		crashes=$(find "$B/fuzz/crashes/$t" -type f | wc -l)
		echo "fuzz_$t: $(stat number_of_executed_units "$log") execs in ${secs_used} s," \
			"$(stat average_exec_per_sec "$log") exec/s, corpus $(ls "$B/fuzz/corpus/$t" | wc -l)," \
			"exit $rc, crashes saved: $crashes (log $log)"
		grep -m1 -E 'invariant broken|ERROR: (AddressSanitizer|libFuzzer)|runtime error' "$log"
		[ "$crashes" -eq 0 ] || failed=1
	done
	exit "${failed:-0}"
	;;
cov)
	targets=$3
	for t in $targets; do
		d="$B/fuzz/cov/$t"
		rm -rf "$d"
		mkdir -p "$d" "$B/fuzz/corpus/$t"
		# shellcheck disable=SC2046
		LLVM_PROFILE_FILE="$d/%p.profraw" "$B/fuzz/cov/fuzz_$t" -runs=0 $(opts "$t") \
			"$B/fuzz/corpus/$t" "$F/corpus/$t" > "$d/run.log" 2>&1
		llvm-profdata-14 merge -sparse "$d"/*.profraw -o "$d/merged.profdata" || continue
		echo "== fuzz_$t: line coverage of the corpus ($(find "$B/fuzz/corpus/$t" "$F/corpus/$t" -type f | wc -l) inputs)"
		llvm-cov-14 report "$B/fuzz/cov/fuzz_$t" -instr-profile="$d/merged.profdata" \
			common stage2 config-tool |
			awk 'NF == 13 && $1 != "TOTAL" && $8 > $9 { printf "  %-16s lines %4d/%-4d %7s   branches %7s\n", $1, $8 - $9, $8, $10, $13 }'
	done
	;;
*)
	echo "usage: run.sh smoke|long|cov BUILD ..." >&2
	exit 2
	;;
esac
