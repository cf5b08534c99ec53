# uefi.mk - boot.json inputs for the UEFI front end's tests (tests/boot/uefi.list,
# tests/suites/uefi.sh): the ExitBootServices fault triggers and the four
# combinations of the two logging switches.
$(B)/boot-exit-retry.json:
	@mkdir -p $(dir $@)
	printf '{ "log_level": "Debug", "_test_fault": "exit-retry" }\n' > $@
$(B)/boot-exit-fail.json:
	@mkdir -p $(dir $@)
	printf '{ "_test_fault": "exit-fail" }\n' > $@
# boot-log-S-C.json: S = frame_buffer_logging, C = serial_logging.
$(B)/boot-log-%.json:
	@mkdir -p $(dir $@)
	printf '{ "frame_buffer_logging": %s, "serial_logging": %s }\n' \
	  $(word 1,$(subst -, ,$*)) $(word 2,$(subst -, ,$*)) > $@
KERNEL_BINS += $(B)/boot-exit-retry.json $(B)/boot-exit-fail.json \
               $(foreach s,true false,$(foreach c,true false,$(B)/boot-log-$(s)-$(c).json))
