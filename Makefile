# crm -- see README.md.  `make`, `make check`, `make demo`, `make install`.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d

CC ?= cc
PKG_CONFIG ?= pkg-config
CFLAGS ?= -O2 -g
CRM_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wno-missing-field-initializers
# DEVELOPER=1: warnings are errors, as for every commit
ifdef DEVELOPER
CRM_CFLAGS += -Werror -Wvla -Wstrict-prototypes -Wmissing-prototypes \
	-Wshadow -Wpointer-arith -Wformat=2
endif
# SANITIZE=address,undefined: a separate build under build-san/
ifdef SANITIZE
CRM_CFLAGS += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
CRM_LDFLAGS += -fsanitize=$(SANITIZE)
BUILD ?= build-san
else
BUILD ?= build
endif

# ALLOCATOR=mimalloc (the default): mimalloc serves every malloc of the
# process, libyaml's and libgit2's too.  A first scan of 100,000 records
# is mostly small mallocs and frees; it takes 18% less time than with
# glibc's malloc (bench/README.md).  Linked first and kept even where
# the linker drops unused libraries, as nothing calls it by name.
# ALLOCATOR=libc keeps glibc's; sanitized builds keep the sanitizer's.
ALLOCATOR ?= mimalloc
ifdef SANITIZE
ALLOCATOR = libc
endif
ifeq ($(ALLOCATOR),mimalloc)
ALLOCATOR_LIBS = -Wl,--push-state,--no-as-needed -lmimalloc -Wl,--pop-state
CRM_CFLAGS += -DCRM_MIMALLOC
endif

DEPS_CFLAGS = $(shell $(PKG_CONFIG) --cflags libgit2 yaml-0.1 2>/dev/null)
DEPS_LIBS = $(ALLOCATOR_LIBS) \
	$(shell $(PKG_CONFIG) --libs libgit2 yaml-0.1 2>/dev/null || echo -lgit2 -lyaml) \
	-lcsv -lunistring -lcrypto -lz -pthread

LIB_SRC = $(wildcard lib/*.c)
CMD_SRC = $(wildcard cmd/*.c)
LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/%.o)
CMD_OBJ = $(CMD_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC = $(wildcard tests/unit/test-*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
MAN_SRC = $(wildcard man/*.scd)
MAN_OUT = $(MAN_SRC:%.scd=%)

CRM = $(BUILD)/crm

all: crm man

# The binary at ./crm is the last build made (normal or sanitized),
# replaced by rename so a crm running meanwhile is not disturbed.
crm: $(CRM)
	@cp $(CRM) crm.tmp && mv -f crm.tmp crm

$(CRM): $(BUILD)/crm.o $(CMD_OBJ) $(LIB_OBJ)
	$(CC) $(CRM_LDFLAGS) $(LDFLAGS) -o $@ $^ $(DEPS_LIBS)

# Objects depend on the flags they were built with and on every header
# (the project is small: a full rebuild is seconds).
$(BUILD)/%.o: %.c $(wildcard lib/*.h cmd/*.h) $(BUILD)/.flags | deps
	@mkdir -p $(dir $@)
	$(CC) $(CRM_CFLAGS) $(DEPS_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/.flags: FORCE
	@mkdir -p $(BUILD)
	@echo '$(CC) $(CRM_CFLAGS) $(CFLAGS) $(CRM_LDFLAGS)' | cmp -s - $@ || \
		echo '$(CC) $(CRM_CFLAGS) $(CFLAGS) $(CRM_LDFLAGS)' > $@

$(BUILD)/tests/test-%: tests/unit/test-%.c tests/unit/unit.h $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CRM_CFLAGS) $(DEPS_CFLAGS) $(CFLAGS) $(CRM_LDFLAGS) $(LDFLAGS) \
		-o $@ $< $(LIB_OBJ) $(DEPS_LIBS) -lcmocka

# Missing Debian packages are installed (with sudo when not root).
deps:
	@scripts/install-deps

man: $(MAN_OUT)

man/%: man/%.scd | deps
	scdoc < $< > $@

completions: $(CRM)
	$(CRM) --completion bash > completions/crm.bash
	$(CRM) --completion zsh > completions/_crm
	$(CRM) --completion fish > completions/crm.fish

check: crm man $(UNIT_BIN)
	@CRM_BUILD=$(BUILD) tests/run-all $(UNIT_BIN)

check-valgrind: crm man
	@CRM_VALGRIND=1 CRM_BUILD=$(BUILD) tests/run-all

demo: crm
	@scripts/demo

# bench/README.md: 10k and 100k customers side by side with git, grep,
# khard and taskwarrior; N=10000 for the quick run.  Never sanitized.
bench:
	@scripts/install-deps --bench
	@$(MAKE) --no-print-directory SANITIZE= BUILD=build crm
	bench/run $(if $(N),--customers $(N))

# libFuzzer targets under ASan+UBSan (fuzz/README.md); FUZZ_SECONDS each
fuzz: deps
	$(MAKE) -C fuzz run

fuzz-ci: deps
	$(MAKE) -C fuzz ci

install: crm man
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 755 crm $(DESTDIR)$(BINDIR)/crm
	install -m 644 $(filter %.1,$(MAN_OUT)) $(DESTDIR)$(MANDIR)/man1/
	install -m 644 $(filter %.5,$(MAN_OUT)) $(DESTDIR)$(MANDIR)/man5/
	install -m 644 completions/crm.bash $(DESTDIR)$(BASHCOMPDIR)/crm
	install -m 644 completions/_crm $(DESTDIR)$(ZSHCOMPDIR)/_crm
	install -m 644 completions/crm.fish $(DESTDIR)$(FISHCOMPDIR)/crm.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/crm $(DESTDIR)$(BASHCOMPDIR)/crm \
		$(DESTDIR)$(ZSHCOMPDIR)/_crm $(DESTDIR)$(FISHCOMPDIR)/crm.fish
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(filter %.1,$(MAN_OUT))))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(filter %.5,$(MAN_OUT))))

clean:
	rm -rf build build-san build-libc crm crm.tmp $(MAN_OUT) tests/trash.*
	$(MAKE) -C fuzz clean

.PHONY: all crm deps man completions check check-valgrind demo bench install fuzz fuzz-ci \
	uninstall clean FORCE
