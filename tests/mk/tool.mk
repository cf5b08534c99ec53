# tool.mk - the self-contained tool's extra dependencies: the unit test that
# includes config-tool/repro.c and embed.c rebuilds when they change.
$(B)/unit/test_buildid $(B)/unit-san/test_buildid: config-tool/repro.c config-tool/embed.c \
	config-tool/tool.h
