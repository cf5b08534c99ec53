# bench-sha.mk - `make bench-sha`: SHA-256 MB/s on this host, C code vs
# SHA-NI (bench/sha256-bench.c; docs/benchmarks.md).  Not part of check.
.PHONY: bench-sha
$(B)/bench/sha256-bench: bench/sha256-bench.c common/sha256.c common/include/sha256.h $(B)/host/sha256_ni.o
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=c11 -Oz $(WARN) -Icommon/include -D_GNU_SOURCE bench/sha256-bench.c common/sha256.c \
	  $(B)/host/sha256_ni.o -o $@
bench-sha: $(B)/bench/sha256-bench
	nice -n 10 $< 256
