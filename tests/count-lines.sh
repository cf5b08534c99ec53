# count-lines.sh - sourced by the boot suites: count_lines LABEL FILE WHERE
# REGEX WANT prints "PASS LABEL: /REGEX/ on WHERE WANT time(s)" when exactly
# WANT lines of FILE match REGEX (grep -E), else a FAIL line with the count;
# a missing or empty FILE is a FAIL of its own.
count_lines() {
	if [ ! -s "$2" ]; then
		echo "FAIL $1: no $3 log"
		return
	fi
	n=$(grep -acE -- "$4" "$2")
	if [ "$n" = "$5" ]; then
		echo "PASS $1: /$4/ on $3 $5 time(s)"
	else
		echo "FAIL $1: /$4/ on $3 $n time(s), expected $5"
	fi
}
