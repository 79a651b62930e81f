# trapline - GNU Makefile (STYLE.md section 9).  No autotools.
#
#   make            build build/trapline
#   make demo       install missing Debian packages, build, analyse pcaps/, print the report,
#                   write the HTML report to trapline-report.html
#   make check      install missing packages, build, run every test
#   make SANITIZE=address,undefined check   the same under ASan+UBSan, objects in build-san/
#   make SANITIZE=thread   ThreadSanitizer: builds and runs the pipeline and sink tests and the
#                   threaded-equals-single-threaded suite (objects in build-tsan/)
#   make bench      throughput against a bare libpcap loop and ndpiReader (not a test)
#   make bench-live zero-drop capture rate of `trapline live` on a veth pair (root)
#   make pcaps      rebuild the generated sample captures in pcaps/
#   make eval-contact   contact-inference TPR/FPR per window on synthetic traces (EVAL_TRIALS=5)
#   make bench-contact  contact inference on 1,000 subjects with a day of bursts (scale figure)

PKGS    := libpcap libndpi sqlite3 yaml-0.1 libcrypto zlib libpq
CSTD    := -std=c11 -D_DEFAULT_SOURCE
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wvla -Wpointer-arith -Wimplicit-fallthrough
WERROR  ?= -Werror
OPT     ?= -O2 -g
CC      ?= cc

ifdef SANITIZE
SANFLAGS := -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
ifeq ($(SANITIZE),thread)
BUILD   ?= build-tsan
.DEFAULT_GOAL := check-tsan
endif
BUILD   ?= build-san
endif
BUILD   ?= build

# pkg-config is looked up lazily so that `make deps` works before it exists.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

# The source tree's signatures are the default only for a binary run from
# $(BUILD) itself (cli/main.c); an installed binary uses PREFIX/share/trapline.
CPPFLAGS += -I. -DTRAPLINE_SIGDIR='"$(abspath signatures)"' -DTRAPLINE_BUILD_DIR='"$(abspath $(BUILD))"'

# make install [PREFIX=/usr/local] [DESTDIR=/staging]
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
DATADIR    ?= $(PREFIX)/share/trapline
MANDIR     ?= $(PREFIX)/share/man
COMPDIR    ?= $(PREFIX)/share/bash-completion/completions
UNITDIR    ?= $(PREFIX)/lib/systemd/system
MAN_PAGES  := $(sort $(wildcard man/*.1))
CFLAGS   += $(CSTD) $(WARN) $(WERROR) $(OPT) $(SANFLAGS) -MMD -MP
LDFLAGS  += $(SANFLAGS)
LDLIBS   += $(PKG_LIBS)

LIB_SRC  := $(sort $(wildcard capture/*.c classify/*.c signatures/*.c report/*.c))
CLI_SRC  := $(sort $(wildcard cli/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
HEADERS  := $(sort $(wildcard capture/*.h classify/*.h signatures/*.h report/*.h cli/*.h))

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
LIB      := $(BUILD)/libtrapline.a
BIN      := $(BUILD)/trapline
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz-replay/%)

# Debian 12 packages the build, the tests and the benchmark need.
DEB_PKGS := gcc make pkg-config libpcap-dev libndpi-dev libndpi-bin libyaml-dev \
            libsqlite3-dev libssl-dev sqlite3 tshark tcpreplay time iproute2 clang \
            jq chromium python3 zlib1g-dev mandoc libpq-dev postgresql-15

.PHONY: all deps demo check check-unit check-e2e check-real check-fuzz-replay check-headers \
        bench bench-live fuzz fuzz-smoke fuzz-campaign pcaps clean format install uninstall \
        check-man check-tsan

all: $(BIN)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB) tests/harness.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -o $@ $< $(LIB) $(LDFLAGS) $(LDLIBS)

# OOM tests (tests/unit/test_oom_*.c): every allocation made by trapline's own
# code goes through tests/failalloc.c, which can fail the n-th (STYLE.md section 8).
FAILALLOC_LDFLAGS := -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=free
$(BUILD)/tests/test_oom_%: tests/unit/test_oom_%.c tests/failalloc.c tests/failalloc.h $(LIB) \
                           tests/harness.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -o $@ tests/failalloc.c $< $(LIB) $(LDFLAGS) \
	    $(FAILALLOC_LDFLAGS) $(LDLIBS)

# Fuzz targets built with gcc and a standalone main() that replays a corpus.
# The target's source comes last: with -MMD the .d file describes the last
# source compiled, and the target's includes are the ones that change.
$(BUILD)/fuzz-replay/%: tests/fuzz/%.c tests/fuzz/standalone.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -o $@ tests/fuzz/standalone.c $< $(LIB) \
	    $(LDFLAGS) $(LDLIBS)

deps:
	@missing=""; for p in $(DEB_PKGS); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	    echo "installing missing Debian packages:$$missing"; \
	    if [ "$$(id -u)" != 0 ]; then echo "make deps: run as root to install:$$missing" >&2; exit 1; fi; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

demo: deps
	$(MAKE) all
	rm -f trapline.db trapline.db-wal trapline.db-shm
	@echo "== trapline analyze pcaps/ (truncated.pcap and unsupported.pcap are faulty on purpose)"
	$(BIN) analyze --db trapline.db pcaps/; rc=$$?; \
	    if [ $$rc -ne 0 ] && [ $$rc -ne 3 ]; then exit $$rc; fi; \
	    echo "(exit code $$rc: 3 means a partial run, as expected here)"
	$(BIN) report --db trapline.db
	$(BIN) report --db trapline.db --format html -o trapline-report.html
	@echo "== HTML report written to $(CURDIR)/trapline-report.html"

check: deps
	$(MAKE) all $(UNIT_BIN) $(FUZZ_BIN)
	@BUILD=$(BUILD) sh tests/run.sh

check-unit: $(UNIT_BIN)
	@BUILD=$(BUILD) sh tests/run.sh unit

check-e2e: $(BIN)
	@BUILD=$(BUILD) sh tests/run.sh e2e

check-real: $(BIN)
	@BUILD=$(BUILD) sh tests/run.sh real

check-fuzz-replay: $(FUZZ_BIN)
	@BUILD=$(BUILD) sh tests/run.sh fuzz

check-headers:
	@BUILD=$(BUILD) sh tests/run.sh headers

# The tests that run more than one thread (the writer-thread sink, the input hasher, the
# run-end index build), for
# `make SANITIZE=thread`: unit tests of the pipeline and the sinks, then the
# threaded-equals-single-threaded suite on the TSan-built binary.
TSAN_TESTS := $(BUILD)/tests/test_pipeline $(BUILD)/tests/test_hasher $(BUILD)/tests/test_store \
              $(filter $(BUILD)/tests/test_sink_%,$(UNIT_BIN))
check-tsan: $(TSAN_TESTS) $(BIN)
	@pass=0; fail=0; \
	for t in $(TSAN_TESTS); do \
	    if TSAN_OPTIONS=halt_on_error=1 $$t > $$t.log 2>&1; then \
	        pass=$$((pass + 1)); echo "ok   $$t: $$(tail -n 1 $$t.log)"; \
	    else fail=$$((fail + 1)); echo "FAIL: $$t"; tail -n 40 $$t.log; fi; \
	done; \
	if TSAN_OPTIONS=halt_on_error=1 BUILD=$(BUILD) SHARED=$${TRAPLINE_SHARED:-../shared} \
	        sh tests/suites/threads.sh > $(BUILD)/threads.log 2>&1 && \
	        ! grep -q "ThreadSanitizer" $(BUILD)/threads.log; then \
	    pass=$$((pass + 1)); echo "ok   threads suite: $$(tail -n 1 $(BUILD)/threads.log)"; \
	else fail=$$((fail + 1)); echo "FAIL: threads suite"; tail -n 40 $(BUILD)/threads.log; fi; \
	echo "$$pass passed, $$fail failed"; [ $$fail -eq 0 ]

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/signatures $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(COMPDIR) $(DESTDIR)$(UNITDIR)
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/trapline
	install -m 0644 signatures/*.yaml $(DESTDIR)$(DATADIR)/signatures/
	install -m 0644 $(MAN_PAGES) $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 contrib/trapline.bash-completion $(DESTDIR)$(COMPDIR)/trapline
	install -d $(DESTDIR)$(PREFIX)/share/doc/trapline
	install -m 0644 README.md $(DESTDIR)$(PREFIX)/share/doc/trapline/README.md
	sed -e 's|/usr/local/bin/|$(BINDIR)/|g' -e 's|/usr/local/share/|$(PREFIX)/share/|g' \
	    cli/trapline-live.service > $(DESTDIR)$(UNITDIR)/trapline-live@.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/trapline-live@.service

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/trapline $(DESTDIR)$(COMPDIR)/trapline \
	    $(DESTDIR)$(UNITDIR)/trapline-live@.service
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MAN_PAGES)))
	rm -rf $(DESTDIR)$(DATADIR) $(DESTDIR)$(PREFIX)/share/doc/trapline

# Manual pages: man(7) source, checked with mandoc -T lint (Debian package mandoc).
check-man:
	mandoc -T lint -W warning $(MAN_PAGES)

pcaps:
	@mkdir -p $(BUILD)
	$(CC) -std=c11 -D_DEFAULT_SOURCE -O2 -Wall -Wextra -Werror -o $(BUILD)/pcapgen pcaps/gen/*.c
	$(BUILD)/pcapgen pcaps

bench: deps
	$(MAKE) all OPT="-O2 -g"
	bash tests/bench/bench.sh $(BUILD)

# Live capture throughput through a veth pair (root; see tests/bench/bench_live.sh).
bench-live: deps
	$(MAKE) all OPT="-O2 -g"
	bash tests/bench/bench_live.sh $(BUILD)

# libFuzzer builds (clang): the library once with -fsanitize=fuzzer-no-link,
# then each target linked against it.
FUZZ_CC    ?= clang
FUZZ_SAN   := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_DIR   := $(BUILD)/fuzz
FUZZ_LOBJ  := $(LIB_SRC:%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_LIB   := $(FUZZ_DIR)/libtrapline-fuzz.a
FUZZ_TGT   := $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_DIR)/%)

$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) $(CSTD) -g -O1 -fsanitize=fuzzer-no-link $(FUZZ_SAN) $(PKG_CFLAGS) \
	    -MMD -MP -c $< -o $@

$(FUZZ_LIB): $(FUZZ_LOBJ)
	rm -f $@
	ar rcs $@ $^

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB)
	$(FUZZ_CC) $(CPPFLAGS) $(CSTD) -g -O1 -fsanitize=fuzzer $(FUZZ_SAN) $(PKG_CFLAGS) -o $@ $< \
	    $(FUZZ_LIB) $(PKG_LIBS) -pthread

fuzz: $(FUZZ_TGT)

# Every fuzz target for a fixed number of executions from its corpus (part of
# make check through tests/suites/fuzz_smoke.sh; skips without clang's
# libFuzzer, fails then under CI=true).
fuzz-smoke:
	@BUILD=$(BUILD) sh tests/suites/fuzz_smoke.sh

# Each target for SECONDS seconds; new corpus entries are kept (merged).
SECONDS ?= 60
fuzz-campaign: $(FUZZ_TGT)
	@BUILD=$(BUILD) sh tests/fuzz/campaign.sh $(SECONDS)

format:
	clang-format -i $(LIB_SRC) $(CLI_SRC) $(HEADERS)

clean:
	rm -rf build build-san build-tsan

# Test and fuzz binaries are compiled from source in one step with -MMD too, so
# their .d files list the fixture headers they include (tests/unit/*.h,
# tests/harness.h): editing a fixture rebuilds the binaries that use it.
-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(FUZZ_LOBJ:.o=.d) \
    $(wildcard $(BUILD)/tests/*.d $(BUILD)/fuzz-replay/*.d)

# Contact inference (issue 16): evaluation on synthetic traces and the scale
# figure (1,000 subjects, a day of bursts).  Not tests: they print tables.
EVAL_SRC := tests/eval/contact_gen.c
$(BUILD)/eval/%: tests/eval/%.c $(EVAL_SRC) tests/eval/contact_gen.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -o $@ $< $(EVAL_SRC) $(LIB) $(LDFLAGS) $(LDLIBS) -lm

.PHONY: eval-contact bench-contact
eval-contact: $(BUILD)/eval/eval_contact
	$(BUILD)/eval/eval_contact $(EVAL_TRIALS)

bench-contact: $(BUILD)/eval/bench_contact
	$(BUILD)/eval/bench_contact
