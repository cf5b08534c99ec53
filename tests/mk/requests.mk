# requests.mk - inputs of the .elfboot-requests tests (tests/boot/requests.list,
# tests/suites/requests.sh): k_requests static and PIE, and a boot.json
# carrying the host's UNIX time as _test_sentinel (rewritten on every make,
# so the kernel compares the RTC with the time of this run).
$(eval $(call kernel,k_requests,static,k_requests))
$(eval $(call kernel,k_requests,pie,k_requests_pie))
.PHONY: $(B)/boot-now.json
$(B)/boot-now.json:
	@mkdir -p $(dir $@)
	@printf '{ "_test_sentinel": %s }\n' "$$(date +%s)" > $@
KERNEL_BINS += $(B)/boot-now.json
