#!/bin/bash
# Builds and runs the core's unit tests without a server, warning-free
# under -Werror.  Each test prints TAP; prove reads it.
set -euo pipefail
cd "$(dirname "$0")/../.."

CC=${CC:-gcc}
CFLAGS="-std=gnu99 -O2 -g -Wall -Wextra -Werror -Isrc -Itest/core"
mkdir -p test/core/bin

# every unit test links the whole core (it is small), so adding a core file or
# a test needs no edit here
core=(src/*_core.c)
for t in test/core/test_*.c; do
	name=$(basename "$t" .c)
	$CC $CFLAGS "${core[@]}" test/core/host.c "$t" -lm -o "test/core/bin/$name"
done
prove --exec '' test/core/bin/*
