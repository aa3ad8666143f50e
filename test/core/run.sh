#!/bin/bash
# Builds and runs the core's unit tests without a server, warning-free
# under -Werror.  Each test prints TAP; prove reads it.
set -euo pipefail
cd "$(dirname "$0")/../.."

CC=${CC:-gcc}
CFLAGS="-std=gnu99 -O2 -g -Wall -Wextra -Werror -Isrc -Itest/core"
mkdir -p test/core/bin

# test name: the core files it needs besides test/core/host.c
declare -A deps=(
	[textio]="src/textio_core.c src/relstrength_core.c"
	[spell]="src/spell_core.c"
	[survival]="src/survival_core.c src/distributions_core.c"
	[correlation]="src/correlation_core.c src/distributions_core.c"
	[distributions]="src/distributions_core.c"
)
for t in "${!deps[@]}"; do
	# shellcheck disable=SC2086
	$CC $CFLAGS ${deps[$t]} test/core/host.c "test/core/test_$t.c" -lm -o "test/core/bin/test_$t"
done
prove --exec '' test/core/bin/*
