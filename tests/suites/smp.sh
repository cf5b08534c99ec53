#!/bin/sh
# smp.sh BUILD - the SMP request in the host tool (issue 10): `config show`
# lists it, and `config check` simulates a load of a kernel carrying it (the
# simulated machine has no memory behind its RSDP: the handler must not read
# it, a crash here before).  Prints PASS/FAIL lines.
set -u
B=${1:-build}
E="$B/elfboot"
K="$B/kernels/k_smp"
if out=$("$E" config show "$K" 2>&1) && echo "$out" | grep -q "^  SMP .*revision 0 flags 0x0: answered by this loader$"; then
	echo "PASS smp: config show lists the SMP request"
else
	echo "FAIL smp: config show: $out"
fi
if out=$("$E" config check "$K" 2>&1); then
	echo "PASS smp: config check simulates a kernel with an SMP request"
else
	echo "FAIL smp: config check exited $?: $(echo "$out" | tail -1)"
fi
if out=$("$E" config check "$B/kernels/k_smp_x2" 2>&1); then
	echo "PASS smp: config check, x2APIC flag"
else
	echo "FAIL smp: config check (x2APIC flag) exited $?: $(echo "$out" | tail -1)"
fi
