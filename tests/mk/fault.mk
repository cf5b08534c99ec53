# fault.mk - boot.json for the exception-report tests (tests/boot/bios.list):
# the loader raises a CPU exception right after leaving the firmware.
$(B)/boot-fault-exception.json:
	@mkdir -p $(dir $@)
	printf '{ "_test_fault": "exception" }\n' > $@
KERNEL_BINS += $(B)/boot-fault-exception.json

# The GPT unit test includes stage2/fat.c.
$(B)/unit/test_gpt_backup $(B)/unit-san/test_gpt_backup: stage2/fat.c stage2/stage2.h
