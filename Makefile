# briefgen — see README.md. `make site` and `make test` work on a fresh
# Debian 12 machine: both install the missing packages first.

VERSION   := 0.1.0
PREFIX    ?= /usr/local
DATADIR   ?= $(CURDIR)
PKGS      := libcmark-gfm lua5.4 libxml-2.0 yaml-0.1 libmicrohttpd jansson libxxhash glib-2.0 opencc
DEB_PKGS  := gcc make pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev \
             liblua5.4-dev lua5.4 libxml2-dev libxml2-utils libyaml-dev libmicrohttpd-dev libjansson-dev \
             libxxhash-dev libglib2.0-dev libopencc-dev libmimalloc-dev
TEST_DEB_PKGS := clang curl chromium nodejs bindfs
# the validators (tests/validate.sh): npm and Java, unless the machine has them another way
# (NodeSource's nodejs carries npm and conflicts with Debian's npm package)
VALIDATE_DEB_PKGS := npm default-jre-headless
BENCH_DEB_PKGS := hugo time
BENCH_SERVE_DEB_PKGS := hugo nodejs node-ws

WARN      := -Wall -Wextra -Werror -Wshadow -Wwrite-strings -Wundef \
             -Wmissing-prototypes -Wstrict-prototypes
CFLAGS    ?= -O2 -g
ALL_CFLAGS = -std=c17 -D_GNU_SOURCE $(WARN) $(CFLAGS) \
             -DBRIEFGEN_VERSION='"$(VERSION)"' -DBRIEFGEN_DATADIR='"$(DATADIR)"' \
             $(shell pkg-config --cflags $(PKGS))
LDLIBS     = $(shell pkg-config --libs $(PKGS)) -lcmark-gfm-extensions -lpthread -lm

# The release binary allocates with mimalloc (docs/architecture.md "Memory
# allocator"): Debian's libmimalloc-dev has no pkg-config file, and linking
# it replaces malloc for the whole process. Not in the sanitizer builds
# (ASan brings its own malloc) nor in the unit tests or fuzz targets.
ALLOC_LIBS := -lmimalloc

SRCS      := $(sort $(wildcard generator/*.c))
LIB_SRCS  := $(filter-out generator/main.c,$(SRCS))
TEST_SRCS := $(sort $(wildcard tests/unit/test_*.c))
SAN       := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

.PHONY: print-pkgs all site serve test check-units bench bench-serve deps test-deps validate-deps install clean regen clang-check

all: briefgen

# ---- packages -------------------------------------------------------------
# $(call install_missing,PACKAGES): apt-get only what dpkg does not have.
define install_missing
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

deps:
	$(call install_missing,$(DEB_PKGS))

test-deps: deps
	$(call install_missing,$(TEST_DEB_PKGS))
	@command -v npm >/dev/null && command -v java >/dev/null || $(MAKE) --no-print-directory validate-deps

validate-deps:
	$(call install_missing,$(filter-out $(if $(shell command -v npm),npm) $(if $(shell command -v java),default-jre-headless),$(VALIDATE_DEB_PKGS)))

print-pkgs: # for scripts that build other binaries of the sources (tests/fuzz)
	@echo $(PKGS)

# ---- build ----------------------------------------------------------------
build/release/%.o: generator/%.c $(wildcard generator/*.h)
	@mkdir -p $(@D)
	@$(CC) $(ALL_CFLAGS) -c $< -o $@

build/asan/%.o: generator/%.c $(wildcard generator/*.h)
	@mkdir -p $(@D)
	@$(CC) $(ALL_CFLAGS) -O1 $(SAN) -c $< -o $@

build/release/main.o: ALL_CFLAGS += -DBRIEFGEN_MIMALLOC

# calcfast.c carries the Lua modules it was written against (.incbin)
build/release/calcfast.o build/asan/calcfast.o: lua/calc.lua lua/units.lua lua/numfmt.lua lua/chart.lua

briefgen: $(SRCS:generator/%.c=build/release/%.o)
	$(CC) $(CFLAGS) $^ -o $@ $(ALLOC_LIBS) $(LDLIBS)

build/asan/briefgen: $(SRCS:generator/%.c=build/asan/%.o)
	$(CC) $(SAN) $^ -o $@ $(LDLIBS)

build/release/test_%: tests/unit/test_%.c $(wildcard tests/unit/*.h) $(LIB_SRCS:generator/%.c=build/release/%.o)
	@$(CC) $(ALL_CFLAGS) -Igenerator $< $(LIB_SRCS:generator/%.c=build/release/%.o) -o $@ $(LDLIBS)

build/asan/test_%: tests/unit/test_%.c $(wildcard tests/unit/*.h) $(LIB_SRCS:generator/%.c=build/asan/%.o)
	@$(CC) $(ALL_CFLAGS) -O1 $(SAN) -Igenerator $< $(LIB_SRCS:generator/%.c=build/asan/%.o) -o $@ $(LDLIBS)

# Every source must also compile cleanly with clang.
clang-check:
	@for f in $(SRCS); do clang $(ALL_CFLAGS) -DBRIEFGEN_MIMALLOC -fsyntax-only $$f || exit 1; done; echo "clang: ok"

# ---- use ------------------------------------------------------------------
site: deps
	@$(MAKE) --no-print-directory briefgen
	./briefgen build

serve: deps
	@$(MAKE) --no-print-directory briefgen
	./briefgen serve

# ---- tests ----------------------------------------------------------------
TEST_BINS = $(TEST_SRCS:tests/unit/%.c=%)

test: test-deps
	@$(MAKE) --no-print-directory briefgen build/asan/briefgen \
		$(addprefix build/release/,$(TEST_BINS)) $(addprefix build/asan/,$(TEST_BINS))
	@$(MAKE) --no-print-directory clang-check
	@rm -f build/test-*.log
	@tests/run.sh release ./briefgen build/release | tee build/test-release.log | grep -v '^ok ' || true
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		tests/run.sh asan build/asan/briefgen build/asan | tee build/test-asan.log | grep -v '^ok ' || true
	@# a short, fixed fuzz run (seconds); the long ones: tests/fuzz/README.md
	@tests/fuzz/short.sh 30000 1 | tee build/test-fuzz.log | grep -v '^ok ' || true
	@tests/summarize build/test-release.log build/test-asan.log build/test-fuzz.log

regen: briefgen
	tests/run.sh regen ./briefgen build/release

# Full builds against Hugo (docs/bench.md); BENCH_SIZES, BENCH_RUNS, BENCH_TMPDIR ... choose.
bench: deps
	$(call install_missing,$(BENCH_DEB_PKGS))
	@$(MAKE) --no-print-directory briefgen
	tests/bench/run.sh ./briefgen

# Preview: briefgen serve against hugo server, edit -> reload event and new text served.
bench-serve: deps
	$(call install_missing,$(BENCH_SERVE_DEB_PKGS))
	@$(MAKE) --no-print-directory briefgen
	tests/bench/serve.sh ./briefgen

install: briefgen
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/briefgen
	install -m 755 briefgen $(DESTDIR)$(PREFIX)/bin/briefgen
	cp -r lua templates $(DESTDIR)$(PREFIX)/share/briefgen/

clean:
	rm -rf build briefgen site
