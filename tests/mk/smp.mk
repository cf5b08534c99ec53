# smp.mk - the SMP request's test kernels (tests/boot/smp.list): k_smp
# releases every AP into a checking function; k_smp_x2 also asks for x2APIC.
$(eval $(call kernel,k_smp,static,k_smp))
$(eval $(call kernel,k_smp_x2,static,k_smp_x2))

# The SMP start-up cost alone (bench/smp.sh, also run by `make bench`; not part of check).
.PHONY: bench-smp
bench-smp: $(B)/elfboot $(B)/kernels/k_smp
	sh bench/smp.sh $(B) $(or $(RUNS),3)
