# peoplefirst: PGXS build, plus the project's own commands:
#   make test    install what is missing, build with -Werror, install, and run
#                the core unit tests, pg_regress and pgTAP on a throw-away cluster
#   make demo    the same set-up, then the demo on a throw-away cluster

EXTENSION = peoplefirst
DATA = peoplefirst--1.0.sql
MODULE_big = peoplefirst

# the server-free core (see src/pf_core.h) and the glue around it
CORE_SRCS = src/textio_core.c src/relstrength_core.c src/concentration_core.c \
	src/spell_core.c src/survival_core.c src/distributions_core.c src/correlation_core.c
GLUE_SRCS = src/pf_host.c src/pf_glue.c src/relstrength.c src/concentration.c src/spell.c src/survival.c \
	src/correlation.c
OBJS = $(CORE_SRCS:.c=.o) $(GLUE_SRCS:.c=.o)

REGRESS = relstrength concentration spell survival correlation

# the server's headers are not -Wextra clean: read them as system headers so
# that -Wall -Wextra -Werror judges this project's code only
PG_CPPFLAGS = -I$(srcdir)/src -isystem $(shell $(PG_CONFIG) --includedir-server 2>/dev/null)
PG_CFLAGS = -Wall -Wextra $(if $(WERROR),-Werror)
EXTRA_CLEAN = test/core/bin results regression.diffs regression.out

# Debian's PostgreSQL 15 unless told otherwise
PG_CONFIG ?= $(firstword $(wildcard /usr/lib/postgresql/15/bin/pg_config) pg_config)
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)

ifneq ($(wildcard $(PGXS)),)
include $(PGXS)
else
# Without the server's development files PGXS cannot be read; say what to do.
all install installcheck clean:
	@echo "peoplefirst: PostgreSQL 15's build files (postgresql-server-dev-15) are missing."
	@echo "Run 'make test' or 'make demo' (they install what is missing), or:"
	@echo "  apt-get install postgresql-server-dev-15"
	@exit 1
endif

# every object depends on the shared headers
$(OBJS): $(wildcard $(srcdir)/src/*.h)

# root installs directly; anyone else through sudo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup test demo sanitize fuzz bench sqlsmith valgrind

setup:
	@bash test/setup.sh

test: setup
	@$(MAKE) --no-print-directory clean
	@$(MAKE) --no-print-directory WERROR=1
	@$(SUDO) $(MAKE) --no-print-directory install
	@bash test/run_tests.sh

demo:
	@bash test/setup.sh gnuplot-nox
	@$(MAKE) --no-print-directory
	@$(SUDO) $(MAKE) --no-print-directory install
	@pg_virtualenv -t bash test/demo/run_demo.sh

# the core alone under clang's libFuzzer, ASan and UBSan (FUZZ_SECONDS a target)
FUZZ_SECONDS ?= 60
sanitize:
	@bash test/setup.sh clang-14 libclang-rt-14-dev
	@bash test/fuzz/run_sanitize.sh $(FUZZ_SECONDS)

# the long runs of the SQL-level fuzzing and hostile-argument tests
FUZZ_COUNT ?= 100000
fuzz: setup
	@$(MAKE) --no-print-directory
	@$(SUDO) $(MAKE) --no-print-directory install
	@FUZZ_COUNT=$(FUZZ_COUNT) GARDEN_RANDOM=300 pg_virtualenv -t \
		prove -v -e bash test/hardening/fuzz.sh test/hardening/garden.sh

# benchmarks: ratios against built-ins and plain SQL, measured in one run
BENCH_ROWS ?= 10000000
bench: setup
	@$(MAKE) --no-print-directory
	@$(SUDO) $(MAKE) --no-print-directory install
	@pg_virtualenv -t bash test/bench/run_bench.sh $(BENCH_ROWS)

# generated queries as an unprivileged role (SQLSMITH_QUERIES of them)
SQLSMITH_QUERIES ?= 10000
sqlsmith: setup
	@$(MAKE) --no-print-directory
	@$(SUDO) $(MAKE) --no-print-directory install
	@SQLSMITH_QUERIES=$(SQLSMITH_QUERIES) pg_virtualenv -t prove -v -e bash test/sqlsmith/run.sh

# the regression and pgTAP suites with the server under valgrind memcheck
valgrind: setup
	@bash test/setup.sh valgrind
	@$(MAKE) --no-print-directory
	@$(SUDO) $(MAKE) --no-print-directory install
	@prove -v -e bash test/valgrind/run.sh
