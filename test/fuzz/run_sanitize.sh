#!/bin/bash
# Builds the core's libFuzzer targets and unit tests under AddressSanitizer
# and UndefinedBehaviorSanitizer (clang), runs each target for a time
# budget and every unit test once, and prints one summary line per target.
# Exits non-zero on any crash, sanitizer report, failed property or failed
# unit test.
#
#	test/fuzz/run_sanitize.sh [seconds_per_target]	(default 30)
#
# Environment: CLANG (default clang-14, else clang), FUZZ_TARGETS (a subset,
# by name), FUZZ_JOBS (targets run at once, default 1).  Crashing inputs
# are saved as test/fuzz/crashes/<target>-crash-<sha1>; rerun one with
# test/fuzz/bin/fuzz_<target> <file>.  New corpus entries go to
# test/fuzz/bin/corpus/<target>/, next to the checked-in seeds in
# test/fuzz/corpus/<target>/.
#
# Needs clang with compiler-rt: on Debian 12, clang-14 and libclang-rt-14-dev
# (which carries libclang_rt.fuzzer and the sanitizer runtimes).
set -uo pipefail
cd "$(dirname "$0")/../.."

BUDGET=${1:-30}
if ! [[ $BUDGET =~ ^[0-9]+$ ]] || [ "$BUDGET" -lt 1 ]; then
	echo "usage: $0 [seconds_per_target]" >&2
	exit 2
fi
if [ -z "${CLANG:-}" ]; then
	if command -v clang-14 >/dev/null; then CLANG=clang-14; else CLANG=clang; fi
fi
JOBS=${FUZZ_JOBS:-1}

SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
CFLAGS="-std=gnu99 -O1 -g -Wall -Wextra -Werror -Isrc -Itest/core -Itest/fuzz"
WRAP="-Wl,--wrap=pf_alloc,--wrap=pf_alloc0,--wrap=pf_realloc,--wrap=pf_free"
BIN=test/fuzz/bin
CRASHES=test/fuzz/crashes
mkdir -p "$BIN" "$CRASHES"
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# every target and unit test links the whole core, so adding a core file, a
# unit test (test/core/test_NAME.c) or a target (test/fuzz/fuzz_NAME.c)
# needs no edit here
CORE=(src/*_core.c)
mapfile -t ALL < <(for f in test/fuzz/fuzz_*.c; do n=$(basename "$f" .c); n=${n#fuzz_}; [ "$n" = host ] || echo "$n"; done | sort)
read -r -a TARGETS <<<"${FUZZ_TARGETS:-${ALL[*]}}"

failed=0
summary=()

# --- unit tests of test/core under the sanitizers -------------------------
for f in test/core/test_*.c; do
	t=$(basename "$f" .c)
	t=${t#test_}
	exe="$BIN/unit_$t"
	log="$BIN/unit_$t.log"
	# shellcheck disable=SC2086
	if ! $CLANG $CFLAGS $SAN "${CORE[@]}" test/core/host.c "test/core/test_$t.c" -lm -o "$exe" 2>"$log"; then
		cat "$log" >&2
		summary+=("unit $t: BUILD FAILED")
		failed=1
		continue
	fi
	if "$exe" >"$log" 2>&1; then
		summary+=("unit $t: ok, $(grep -c '^ok' "$log") checks")
	else
		tail -n 40 "$log" >&2
		summary+=("unit $t: FAILED ($(grep -c '^not ok' "$log") failed checks; sanitizer report: $(grep -cE 'ERROR: (Address|Leak)Sanitizer|runtime error' "$log")) - see $log")
		failed=1
	fi
done

# --- fuzz targets ---------------------------------------------------------
for t in "${TARGETS[@]}"; do
	if [ ! -f "test/fuzz/fuzz_$t.c" ]; then
		echo "unknown target $t" >&2
		exit 2
	fi
	# shellcheck disable=SC2086
	if ! $CLANG $CFLAGS $SAN -fsanitize=fuzzer "${CORE[@]}" test/core/host.c \
		test/fuzz/fuzz_host.c "test/fuzz/fuzz_$t.c" $WRAP -lm -o "$BIN/fuzz_$t"; then
		echo "build of fuzz_$t failed" >&2
		exit 1
	fi
done

run_target() {
	local t=$1
	local work="$BIN/corpus/$t"
	mkdir -p "$work" "test/fuzz/corpus/$t"
	"$BIN/fuzz_$t" -max_total_time="$BUDGET" -timeout=20 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$CRASHES/$t-" \
		"$work" "test/fuzz/corpus/$t" >"$BIN/fuzz_$t.log" 2>&1
	echo $? >"$BIN/fuzz_$t.rc"
}

running=0
for t in "${TARGETS[@]}"; do
	run_target "$t" &
	running=$((running + 1))
	if [ "$running" -ge "$JOBS" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait

for t in "${TARGETS[@]}"; do
	log="$BIN/fuzz_$t.log"
	rc=$(cat "$BIN/fuzz_$t.rc")
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
	cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
	ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
	corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
	if [ "$rc" -eq 0 ] && ! grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|property failed' "$log"; then
		summary+=("fuzz $t: ok, ${execs:-?} executions in ${BUDGET}s, cov ${cov:-?} ft ${ft:-?} corpus ${corp:-?}")
	else
		grep -E 'ERROR:|runtime error:|property failed|^  |SUMMARY|Test unit written' "$log" | head -n 30 >&2
		summary+=("fuzz $t: FAILED after ${execs:-?} executions (rc $rc) - see $log")
		failed=1
	fi
done

echo
printf '%s\n' "${summary[@]}"
exit $failed
