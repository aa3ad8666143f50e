# peoplefirst: a PGXS build, plus the project's own commands:
#   make test       install what is missing, build with -Werror, install, and run
#                   every suite on a throw-away cluster (PG_MAJOR=17: on that
#                   server, built from Debian's sources by test/pg/build.sh)
#   make test-all   make test on 15, 17, 18 and 19 in turn, and a table
#   make demo       the same set-up, then the demo on a throw-away cluster
#   make deb        Debian packages built with pg_buildext
#   make test-citus the scale-out tests on Citus (CITUS_SRC=tarball to build it)
#   make bench, fuzz, sanitize, sqlsmith, valgrind: the longer runs
# Any server works: PG_CONFIG=/path/to/pg_config, or PG_MAJOR=NN.

EXTENSION = peoplefirst
# Released install scripts are committed and never edited. After 1.0, the
# full script of each version is generated: the previous version's full
# script followed by the upgrade to it (peoplefirst--FROM--TO.sql, its \echo
# guard dropped), so that a fresh install and an update can never disagree.
UPGRADES = $(sort $(wildcard peoplefirst--*--*.sql))
upgrade_from = $(firstword $(subst --, ,$(patsubst peoplefirst--%.sql,%,$(1))))
upgrade_to = $(lastword $(subst --, ,$(patsubst peoplefirst--%.sql,%,$(1))))
GENERATED = $(foreach u,$(UPGRADES),peoplefirst--$(call upgrade_to,$(u)).sql)
DATA = $(filter-out $(GENERATED),$(wildcard peoplefirst--*.sql)) $(GENERATED)
MODULE_big = peoplefirst
OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))
REGRESS = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))

# the server's headers are not -Wextra clean: read them as system headers so
# that -Wall -Wextra -Werror judges this project's code only
PG_CPPFLAGS = -I$(srcdir)/src -isystem $(shell $(PG_CONFIG) --includedir-server 2>/dev/null)
PG_CFLAGS = -Wall -Wextra $(if $(WERROR),-Werror)
EXTRA_CLEAN = test/core/bin results regression.diffs regression.out $(GENERATED)

# PG_MAJOR=NN picks that server: Debian's package where installed, else the
# one test/pg/build.sh builds into its cache
PG_CACHE ?= $(shell [ "$$(id -u)" = 0 ] && echo /var/cache/peoplefirst/pg || echo "$$HOME/.cache/peoplefirst/pg")
ifdef PG_MAJOR
PG_CONFIG := $(firstword $(wildcard /usr/lib/postgresql/$(PG_MAJOR)/bin/pg_config) \
	$(PG_CACHE)/$(PG_MAJOR)/bin/pg_config)
endif
PG_CONFIG ?= pg_config
export PG_CONFIG
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)

# plain 'make install' without write access says what to do, before PGXS's
# install steps (a prerequisite named here, ahead of PGXS's, runs first)
.DEFAULT_GOAL := all
install: install-access
install-access:
	@[ -n "$(DESTDIR)" ] || [ -w "$$($(PG_CONFIG) --pkglibdir)" ] || { echo "peoplefirst: installing needs write access to $$($(PG_CONFIG) --pkglibdir): run 'sudo make install', or 'make install' as root" >&2; exit 1; }

ifneq ($(wildcard $(PGXS)),)
include $(PGXS)
else
# Without the server's development files PGXS cannot be read; say what to do.
all install installcheck clean:
	@echo "peoplefirst: no PostgreSQL build files found through '$(PG_CONFIG)'."
	@echo "Run 'make test' or 'make demo' (they install what is missing), or install"
	@echo "  gcc make postgresql postgresql-server-dev-all"
	@echo "as root (apt-get install ...), or set PG_CONFIG to your server's pg_config."
	@exit 1
endif

define full_script
peoplefirst--$(call upgrade_to,$(1)).sql: peoplefirst--$(call upgrade_from,$(1)).sql $(1)
	@{ cat $$<; echo; echo '-- upgrade to $(call upgrade_to,$(1)) ($(1))'; grep -v '^\\echo' $(1); } >$$@
endef
$(foreach u,$(UPGRADES),$(eval $(call full_script,$(u))))
all: $(GENERATED)

# every object depends on the shared headers
$(OBJS): $(wildcard $(srcdir)/src/*.h)

# Installing into the server's directories: directly where they are writable
# (root, or a server built by test/pg/build.sh), else through sudo where
# there is one, else an error that says what to do.
LIBDIR_WRITABLE = $(shell [ -w "$$($(PG_CONFIG) --pkglibdir 2>/dev/null)" ] && echo yes)
SUDO = $(if $(LIBDIR_WRITABLE),,$(if $(shell command -v sudo),sudo,$(error \
	peoplefirst: installing needs write access to $(shell $(PG_CONFIG) --pkglibdir): \
	run 'make install' as root, or install sudo)))

.PHONY: setup installed test test-all test-citus demo deb sanitize fuzz bench sqlsmith valgrind install-access


setup:
	@bash test/setup.sh

# built warning-free and installed into the server PG_CONFIG names
# (objects built for another server are cleaned first)
installed: setup
	@s="$$($(PG_CONFIG) --version) $$($(PG_CONFIG) --bindir)"; \
	[ "$$(cat .built-for 2>/dev/null)" = "$$s" ] || { $(MAKE) --no-print-directory clean; echo "$$s" >.built-for; }
	@$(MAKE) --no-print-directory WERROR=1
	@$(SUDO) $(MAKE) --no-print-directory install

test: installed
	@prove -e bash test/release.sh
	@prove -e python3 test/meta/validate.py :: --self-test
	@bash test/run_tests.sh

test-all:
	@bash test/pg/matrix.sh

demo: installed
	@bash test/setup.sh gnuplot-nox
	@bash test/pg/cluster.sh bash test/demo/run_demo.sh

deb:
	@bash test/deb/build.sh

# scale-out on Citus: a coordinator and two workers (CITUS_SRC: a Citus
# source tarball to build when Citus is not installed in the server)
test-citus: installed
	@prove -v -e bash test/citus/run.sh

# the core alone under clang's libFuzzer, ASan and UBSan (FUZZ_SECONDS a target)
FUZZ_SECONDS ?= 60
sanitize:
	@bash test/setup.sh clang-14 libclang-rt-14-dev
	@bash test/fuzz/run_sanitize.sh $(FUZZ_SECONDS)

# the long runs of the SQL-level fuzzing and hostile-argument tests
FUZZ_COUNT ?= 100000
fuzz: installed
	@FUZZ_COUNT=$(FUZZ_COUNT) HOSTILE_RANDOM=300 bash test/pg/cluster.sh \
		prove -v -e bash test/hardening/fuzz.sh test/hardening/hostile_args.sh

# benchmarks: ratios against built-ins and plain SQL, measured in one run
BENCH_ROWS ?= 10000000
bench: installed
	@bash test/pg/cluster.sh bash test/bench/run_bench.sh $(BENCH_ROWS)

# generated queries as an unprivileged role (SQLSMITH_QUERIES of them)
SQLSMITH_QUERIES ?= 10000
sqlsmith: installed
	@SQLSMITH_QUERIES=$(SQLSMITH_QUERIES) bash test/pg/cluster.sh prove -v -e bash test/sqlsmith/run.sh

# the regression and pgTAP suites with the server under valgrind memcheck
valgrind: installed
	@bash test/setup.sh valgrind
	@prove -v -e bash test/valgrind/run.sh
