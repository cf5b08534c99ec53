# install.mk - `make install` / `make uninstall` [PREFIX=/usr/local] [DESTDIR=...]
# and `make programs` (what install needs built: the tool, which embeds the
# loaders (LOADER_BINS, Makefile); no test kernels; debian/rules builds just that).  Included by the Makefile.
# The version lives in ./VERSION alone; elfboot.pc is written from it.

PREFIX       ?= /usr/local
BINDIR       ?= $(PREFIX)/bin
INCLUDEDIR   ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(PREFIX)/lib/pkgconfig
MANDIR       ?= $(PREFIX)/share/man
BASHCOMPDIR  ?= $(PREFIX)/share/bash-completion/completions
ELFBOOT_VERSION := $(shell cat VERSION)

MAN_PAGES   := docs/man/elfboot.1 docs/man/elfboot-protocol.7

.PHONY: install uninstall programs
programs: $(B)/elfboot $(LOADER_BINS)

# The .pc names the final prefix, not DESTDIR: a staged tree is read with
# PKG_CONFIG_SYSROOT_DIR.  Written on every install since PREFIX may differ.
install: programs
	@mkdir -p $(B)
	printf 'prefix=%s\nincludedir=$${prefix}/include\n\nName: elfboot\nDescription: %s\nVersion: %s\nCflags: -I$${includedir}\n' \
	  '$(PREFIX)' 'elfboot boot protocol header for kernels (bootloader_api 0.11)' \
	  '$(ELFBOOT_VERSION)' > $(B)/elfboot.pc
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PKGCONFIGDIR) \
	  $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 $(B)/elfboot $(DESTDIR)$(BINDIR)/elfboot
	install -m 644 common/include/elfboot.h $(DESTDIR)$(INCLUDEDIR)/elfboot.h
	install -m 644 $(B)/elfboot.pc $(DESTDIR)$(PKGCONFIGDIR)/elfboot.pc
	install -m 644 docs/man/elfboot.1 $(DESTDIR)$(MANDIR)/man1/elfboot.1
	install -m 644 docs/man/elfboot-protocol.7 $(DESTDIR)$(MANDIR)/man7/elfboot-protocol.7
	install -m 644 config-tool/elfboot.bash-completion $(DESTDIR)$(BASHCOMPDIR)/elfboot

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/elfboot $(DESTDIR)$(INCLUDEDIR)/elfboot.h \
	  $(DESTDIR)$(PKGCONFIGDIR)/elfboot.pc $(DESTDIR)$(MANDIR)/man1/elfboot.1 \
	  $(DESTDIR)$(MANDIR)/man7/elfboot-protocol.7 $(DESTDIR)$(BASHCOMPDIR)/elfboot
