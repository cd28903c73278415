# tocalc: hand-written Makefile (after Lua and Redis).
#
#   make            build ./tocalc
#   make demo       install missing packages, then run the main job (tocalc report)
#   make check      install missing packages, build, run every test
#   make asan       the test suite under AddressSanitizer + UBSan
#   make valgrind   the test suite under valgrind memcheck (leaks are errors)
#   make coverage   line coverage with lcov (coverage/index.html)
#   make fuzz       run each libFuzzer harness for FUZZ_SECONDS (clang-14)
#   make bench      benchmarks beside their peer tools (not tests)
#   make plots      regenerate plots/ and plots/MANIFEST
#   make install PREFIX=/usr/local DESTDIR=   /  make uninstall
#   make deps       install missing Debian packages (apt-get; sudo if not root)
#   make echo       print the effective flags
#
# SANITIZER=address|undefined|address,undefined adds -fsanitize=... (and
# links dynamically: the sanitizers need the dynamic loader).
# The program is linked statically by default, C library included, as a
# static PIE (ASLR kept): no dynamic loader maps and relocates libc and libm
# at every start, and start-up is the bulk of a what-if (issue 18: 0.3 ms of
# about 1.8 ms; docs/tariff-methods.md, "Speed").  STATIC=0 links libc and
# libm as shared libraries and GSL and libcsv from their static archives
# (libgsl.a, libgslcblas.a, libcsv.a, which the -dev packages ship), into
# build/dynamic/tocalc; LINK_DEPS=shared with STATIC=0 links all of them
# shared.  Where libc.a or an archive is missing the link falls back to the
# dynamic one.  The unit tests, `make valgrind` (memcheck must replace
# malloc in a shared libc), `make asan` and `make coverage` link
# dynamically.  jansson is linked into the unit tests only (test_out_json
# compares out.c's JSON writer with it).
# BUILD selects the object directory, so variants never mix.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
SHAREDIR ?= $(PREFIX)/share/tocalc
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
DESTDIR ?=

CC ?= cc
OPT ?= -O2
STATIC ?= 1
SANITIZER ?=
ifneq ($(SANITIZER),)
override STATIC := 0
endif
ifeq ($(STATIC),1)
BUILD ?= build/default
else
BUILD ?= build/dynamic
endif
WERROR ?=

WARN = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
       -Wold-style-definition -Wwrite-strings -Wundef -Wformat=2 -Wvla \
       -Wredundant-decls -Wnested-externs -Wpointer-arith -Wcast-align
GSL_CFLAGS := $(shell pkg-config --cflags gsl 2>/dev/null)
GSL_LIBS := $(shell pkg-config --libs gsl 2>/dev/null || echo -lgsl -lgslcblas -lm)
JANSSON_LIBS := $(shell pkg-config --libs jansson 2>/dev/null || echo -ljansson)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

ALL_CFLAGS = -std=c11 $(OPT) -g $(WARN) $(WERROR) $(GSL_CFLAGS) $(CFLAGS)
ALL_CPPFLAGS = -Iinclude -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-DTOCALC_SHAREDIR='"$(SHAREDIR)"' $(CPPFLAGS)
ALL_LDFLAGS = $(LDFLAGS)
LINK_DEPS ?= static
DEP_ARCHIVES := $(foreach l,c csv gsl gslcblas,$(shell $(CC) -print-file-name=lib$(l).a 2>/dev/null))
ifeq ($(LINK_DEPS)$(words $(filter /%,$(wordlist 2,4,$(DEP_ARCHIVES)))),static3)
LIBS = -Wl,-Bstatic -lcsv -lgsl -lgslcblas -Wl,-Bdynamic -lm
else
LIBS = -lcsv $(GSL_LIBS) -lm
endif
LIBS += -pthread	# the Monte Carlo threads (model_tariff_mc.c)
# the program's link; the unit tests take ALL_LDFLAGS and LIBS (dynamic)
PROG_LDFLAGS = $(ALL_LDFLAGS)
PROG_LIBS = $(LIBS)
ifeq ($(STATIC)$(words $(filter /%,$(DEP_ARCHIVES))),14)
PROG_LDFLAGS += -static-pie
PROG_LIBS = -lcsv -lgsl -lgslcblas -lm -pthread
endif

ifneq ($(SANITIZER),)
ALL_CFLAGS += -fsanitize=$(SANITIZER) -fno-sanitize-recover=all -fno-omit-frame-pointer
ALL_LDFLAGS += -fsanitize=$(SANITIZER)
endif

SRCS := $(sort $(wildcard src/*.c))
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
OBJS := $(SRCS:src/%.c=$(BUILD)/obj/%.o)
LIB_OBJS := $(LIB_SRCS:src/%.c=$(BUILD)/obj/%.o)
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))

ifeq ($(BUILD),build/default)
BIN ?= tocalc
else
BIN ?= $(BUILD)/tocalc
endif

.PHONY: all deps demo check test unit cli asan valgrind coverage fuzz bench plots \
	install uninstall clean echo

all: $(BIN)

$(BIN): $(OBJS)
	$(CC) $(ALL_CFLAGS) $(PROG_LDFLAGS) -o $@ $(OBJS) $(PROG_LIBS)

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -Itests/unit $(ALL_LDFLAGS) -o $@ $< $(LIB_OBJS) \
		$(CMOCKA_LIBS) $(JANSSON_LIBS) $(LIBS)

-include $(OBJS:.o=.d)

deps:
	@scripts/deps.sh

demo: deps all
	./tocalc report

check: deps
	@$(MAKE) --no-print-directory test

test: all $(UNIT_BINS)
	@scripts/run-tests.sh "$(BUILD)" "$(BIN)"

unit: $(UNIT_BINS)
	@scripts/run-tests.sh --unit-only "$(BUILD)" "$(BIN)"

cli: all
	@scripts/run-tests.sh --cli-only "$(BUILD)" "$(BIN)"

asan:
	@$(MAKE) --no-print-directory BUILD=build/asan OPT=-O1 SANITIZER=address,undefined test

valgrind:
	@$(MAKE) --no-print-directory BUILD=build/valgrind STATIC=0 OPT=-O0 all \
		$(patsubst build/default/%,build/valgrind/%,$(UNIT_BINS))
	@TOCALC_WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect" \
		scripts/run-tests.sh build/valgrind build/valgrind/tocalc

coverage:
	@$(MAKE) --no-print-directory BUILD=build/coverage STATIC=0 OPT=-O0 CFLAGS=--coverage LDFLAGS=--coverage test
	lcov -q --capture --directory build/coverage -o build/coverage/cov.info
	lcov -q --remove build/coverage/cov.info '/usr/*' -o build/coverage/cov.info
	genhtml -q build/coverage/cov.info -o coverage
	@lcov --summary build/coverage/cov.info

FUZZ_SECONDS ?= 30
fuzz:
	@scripts/fuzz.sh $(FUZZ_SECONDS)

bench: all
	@$(MAKE) --no-print-directory STATIC=0 all
	@TOCALC_DYNAMIC=build/dynamic/tocalc scripts/bench.sh

plots: all
	@scripts/make-plots.sh

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SHAREDIR)/datasets $(DESTDIR)$(SHAREDIR)/scenarios \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/tocalc
	install -m 644 datasets/*.csv datasets/README.md $(DESTDIR)$(SHAREDIR)/datasets/
	if ls scenarios/*.scn >/dev/null 2>&1; then install -m 644 scenarios/*.scn $(DESTDIR)$(SHAREDIR)/scenarios/; fi
	if [ -f docs/tocalc.1 ]; then install -m 644 docs/tocalc.1 $(DESTDIR)$(MANDIR)/man1/tocalc.1; fi
	if [ -f scripts/tocalc.bash-completion ]; then install -m 644 scripts/tocalc.bash-completion $(DESTDIR)$(BASHCOMPDIR)/tocalc; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/tocalc $(DESTDIR)$(MANDIR)/man1/tocalc.1 $(DESTDIR)$(BASHCOMPDIR)/tocalc
	for f in datasets/*.csv datasets/README.md; do rm -f $(DESTDIR)$(SHAREDIR)/$$f; done
	for f in scenarios/*.scn; do rm -f $(DESTDIR)$(SHAREDIR)/$$f; done
	-rmdir $(DESTDIR)$(SHAREDIR)/datasets $(DESTDIR)$(SHAREDIR)/scenarios $(DESTDIR)$(SHAREDIR) 2>/dev/null

clean:
	rm -rf build coverage tocalc

echo:
	@echo "CC       = $(CC)"
	@echo "CFLAGS   = $(ALL_CPPFLAGS) $(ALL_CFLAGS)"
	@echo "LDFLAGS  = $(PROG_LDFLAGS)"
	@echo "LIBS     = $(PROG_LIBS)"
	@echo "BUILD    = $(BUILD)"
