# run.mk - inputs of `elfboot run`'s tests (tests/suites/run.sh): a kernel
# that hangs (for --timeout and the signal tests); k_default passes, k_panic
# fails, k_pie is the PIE the --gdb test attaches to.
$(eval $(call kernel,k_hang,static,k_hang))
CHECK_DEPS += $(B)/examples/hello
