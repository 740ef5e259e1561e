# casereview: one Makefile, pkg-config for every dependency.
# `make` builds ./casereview; `make run` and `make test` set up first.
# V=1 shows full commands.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATAROOT ?= $(PREFIX)/share
MANDIR ?= $(DATAROOT)/man
DESTDIR ?=

CC ?= cc
CFLAGS ?= -O2 -g
BUILD ?= build
SAN ?=

PKGS := ncursesw libxml-2.0 libpcre2-8 sqlite3 jansson libsodium pangocairo
PKG_CFLAGS := $(filter-out -D_XOPEN_SOURCE=% -D_DEFAULT_SOURCE,$(shell pkg-config --cflags $(PKGS) 2>/dev/null))
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
TEST_LIBS := $(shell pkg-config --libs criterion 2>/dev/null)
PKG_CFLAGS += -D_XOPEN_SOURCE_EXTENDED

WARNINGS := -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
            -Wmissing-prototypes -Wpointer-arith -Wwrite-strings \
            -Wundef -Wvla -Wno-unused-parameter
ifdef CI
WARNINGS += -Werror
endif
ifdef WERROR
WARNINGS += -Werror
endif

CR_CFLAGS := -std=c11 -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE -I. $(WARNINGS) \
             -MMD -MP $(PKG_CFLAGS) -pthread $(SAN)
# -pthread: the review reads a long note's facts on a thread of its own.
CR_LDFLAGS := -pthread $(SAN)

MODULES := core parsers context engine codes store tui cli
LIB_SRC := $(filter-out cli/main.c,$(foreach m,$(MODULES),$(wildcard $(m)/*.c)))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/cli/main.o
LIB := $(BUILD)/libcasereview.a
TOOL_SRC := $(wildcard tools/*.c)
TOOLS := $(TOOL_SRC:tools/%.c=$(BUILD)/tools/%)
TEST_SRC := $(wildcard tests/unit/test_*.c)
TESTS := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)

ifeq ($(V),1)
Q :=
else
Q := @
endif

ifeq ($(BUILD),build)
BIN := casereview
else
BIN := $(BUILD)/casereview
endif

.PHONY: all run test check asan bench fuzz install clean setup tests codes FORCE
all: $(BIN) $(TOOLS)

setup:
	@./scripts/setup

$(BIN): $(MAIN_OBJ) $(LIB)
	@echo "  LINK  $@"
	$(Q)$(CC) $(CFLAGS) $(CR_LDFLAGS) -o $@ $(MAIN_OBJ) $(LIB) $(PKG_LIBS) -lm

$(LIB): $(LIB_OBJ)
	@echo "  AR    $@"
	$(Q)rm -f $@ && ar rcs $@ $(LIB_OBJ)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	$(Q)$(CC) $(CFLAGS) $(CR_CFLAGS) -c -o $@ $<

# Where an installed casereview finds its data: only core/paths.c knows,
# and it is rebuilt whenever PREFIX (or DATAROOT) changes, so that
# `make install PREFIX=...` after a plain `make` installs a working binary.
$(BUILD)/datadir.stamp: FORCE
	@mkdir -p $(BUILD)
	@echo '$(DATAROOT)/casereview' | cmp -s - $@ || echo '$(DATAROOT)/casereview' > $@
$(BUILD)/core/paths.o: core/paths.c $(BUILD)/datadir.stamp
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	$(Q)$(CC) $(CFLAGS) $(CR_CFLAGS) -DCR_DATADIR='"$(DATAROOT)/casereview"' -c -o $@ $<
FORCE:

$(BUILD)/tools/%: tools/%.c $(LIB)
	@mkdir -p $(dir $@)
	@echo "  TOOL  $@"
	$(Q)$(CC) $(CFLAGS) $(CR_CFLAGS) -o $@ $< $(LIB) $(PKG_LIBS) -lm

$(BUILD)/tests/%: tests/unit/%.c $(LIB)
	@mkdir -p $(dir $@)
	@echo "  TEST  $@"
	$(Q)$(CC) $(CFLAGS) $(CR_CFLAGS) -o $@ $< $(LIB) $(PKG_LIBS) $(TEST_LIBS) -lm

tests: $(BIN) $(TOOLS) $(TESTS)

# The workstation on a sample case, in a sample store of its own under
# build/demo (scripts/demo); RUN_ARGS=... opens something else.
RUN_ARGS ?= --db=$(BUILD)/demo/casereview.db C-000142
run: setup
	@$(MAKE) --no-print-directory all
	@./scripts/demo $(BUILD)/demo/casereview.db >/dev/null
	./casereview $(RUN_ARGS)

# Every test: unit tests, command-line and terminal tests, then the same
# under AddressSanitizer and UndefinedBehaviorSanitizer.
test check: setup
	@$(MAKE) --no-print-directory tests
	@$(MAKE) --no-print-directory BUILD=build/asan SAN='-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' CFLAGS='-O1 -g' tests
	@./tests/run.sh

asan: setup
	@$(MAKE) --no-print-directory BUILD=build/asan SAN='-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' CFLAGS='-O1 -g' tests
	@./tests/run.sh --asan-only

bench: setup
	@$(MAKE) --no-print-directory all
	@./bench/run.sh

codes: $(BUILD)/tools/mkcodes
	./tools/mkcodes.sh

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATAROOT)/casereview $(DESTDIR)$(MANDIR)/man1
	install -m 755 casereview $(DESTDIR)$(BINDIR)/casereview
	cp -R data policies $(DESTDIR)$(DATAROOT)/casereview/
	install -m 644 man/casereview.1 $(DESTDIR)$(MANDIR)/man1/casereview.1

clean:
	rm -rf build casereview

-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d)
