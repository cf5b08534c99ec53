#!/bin/sh
# size-check.sh NAME LIMIT FILE... - the loaders' size budget (issue 9).
# Adds up the files' sizes and prints "NAME: N of LIMIT bytes"; over the
# limit it prints one error line instead and fails, so the build stops.
set -e
name=$1 limit=$2
shift 2
total=0
for f in "$@"; do
	total=$((total + $(stat -c %s "$f")))
done
if [ "$total" -gt "$limit" ]; then
	echo "size: error: $name is $total bytes, over its limit of $limit bytes" >&2
	exit 1
fi
echo "$name: $total of $limit bytes"
