# suite-lib.sh - shared helpers for the tool suites (sourced, not run).
# The sourcing script sets SUITE (the PASS/FAIL prefix) and tmp (its
# scratch directory) first.
ok() { echo "PASS $SUITE: $1"; }
bad() { echo "FAIL $SUITE: $1${2:+ ($2)}"; }
# t_err NAME TEXT CMD...: non-zero exit, exactly one stderr line with TEXT.
t_err() {
	n=$1 text=$2
	shift 2
	if "$@" > "$tmp/out" 2> "$tmp/err"; then
		bad "$n" "exit 0"
	elif [ "$(wc -l < "$tmp/err")" -ne 1 ] || ! grep -q -- "$text" "$tmp/err"; then
		bad "$n" "stderr: $(head -3 "$tmp/err" | tr '\n' '|'), wanted '$text'"
	else
		ok "$n"
	fi
}
