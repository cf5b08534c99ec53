# tpm.mk - measured boot (issue 11): k_tpm reads PCR 9 through the TPM's
# TIS MMIO; tests/suites/tpm.sh boots it with swtpm and replays the PCR.
$(eval $(call kernel,k_tpm,static,k_tpm))
