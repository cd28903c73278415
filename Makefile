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
# SANITIZER=address|undefined|address,undefined adds -fsanitize=...;
# LINK_DEPS=static (the default) links GSL and libcsv from their static
# archives (libgsl.a, libgslcblas.a, libcsv.a, which the -dev packages
# ship) and only libc and libm as shared libraries: the dynamic loader
# then maps and relocates two libraries instead of six, and a what-if
# takes 1.68 ms of CPU instead of 2.00 ms (issue 18; -z now, -z norelro,
# --gc-sections and -fno-plt made no measurable difference).  Where an
# archive is missing, or with LINK_DEPS=shared, both are shared.  jansson
# is linked into the unit tests only (test_out_json compares out.c's JSON
# writer with it).
# STATIC=1 links the whole program statically, C library included, as a
# static PIE (build/static/tocalc): no dynamic loader at all, so a what-if
# takes 1.11 ms of CPU instead of the default build's 1.42 ms (issue 18,
# after the JSON writer of out.c; best of 5 x 300 runs, load 2.5);
# BUILD selects the object directory, so variants never mix.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
SHAREDIR ?= $(PREFIX)/share/tocalc
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
DESTDIR ?=

CC ?= cc
OPT ?= -O2
STATIC ?=
ifeq ($(STATIC),1)
BUILD ?= build/static
else
BUILD ?= build/default
endif
SANITIZER ?=
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
DEP_ARCHIVES := $(foreach l,csv gsl gslcblas,$(shell $(CC) -print-file-name=lib$(l).a 2>/dev/null))
ifeq ($(LINK_DEPS)$(words $(filter /%,$(DEP_ARCHIVES))),static3)
LIBS = -Wl,-Bstatic -lcsv -lgsl -lgslcblas -Wl,-Bdynamic -lm
else
LIBS = -lcsv $(GSL_LIBS) -lm
endif
ifeq ($(STATIC),1)
ALL_LDFLAGS += -static-pie
LIBS = -lcsv -lgsl -lgslcblas -lm
endif
LIBS += -pthread	# the Monte Carlo threads (model_tariff_mc.c)

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
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(OBJS) $(LIBS)

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
	@$(MAKE) --no-print-directory BUILD=build/valgrind OPT=-O0 all \
		$(patsubst build/default/%,build/valgrind/%,$(UNIT_BINS))
	@TOCALC_WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect" \
		scripts/run-tests.sh build/valgrind build/valgrind/tocalc

coverage:
	@$(MAKE) --no-print-directory BUILD=build/coverage OPT=-O0 CFLAGS=--coverage LDFLAGS=--coverage test
	lcov -q --capture --directory build/coverage -o build/coverage/cov.info
	lcov -q --remove build/coverage/cov.info '/usr/*' -o build/coverage/cov.info
	genhtml -q build/coverage/cov.info -o coverage
	@lcov --summary build/coverage/cov.info

FUZZ_SECONDS ?= 30
fuzz:
	@scripts/fuzz.sh $(FUZZ_SECONDS)

bench: all
	@$(MAKE) --no-print-directory STATIC=1 all
	@TOCALC_STATIC=build/static/tocalc scripts/bench.sh

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
	@echo "LDFLAGS  = $(ALL_LDFLAGS)"
	@echo "LIBS     = $(LIBS)"
	@echo "BUILD    = $(BUILD)"
