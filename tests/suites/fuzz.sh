#!/bin/sh
# fuzz.sh BUILD - smoke run of every libFuzzer target (fuzz/, built by
# tests/mk/fuzz.mk): a fixed number of executions from the committed seeds
# with a fixed seed.  Prints "PASS fuzz: <target> (N execs)" or FAIL with
# the reproducer's path.
exec sh "$(dirname "$0")/../../fuzz/run.sh" smoke "${1:-build}"
