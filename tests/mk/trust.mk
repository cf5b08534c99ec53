# trust.mk - issue 11 (trusted boot): the unit test that includes
# config-tool/pesig.c rebuilds when it changes.
$(B)/unit/test_pesig $(B)/unit-san/test_pesig: config-tool/pesig.c config-tool/tool.h
