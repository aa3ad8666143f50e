#!/bin/bash
# Runs a command on a throw-away cluster of the server that PG_CONFIG names,
# with the PG* variables set (like pg_virtualenv -t).
set -euo pipefail
exec pg_virtualenv -t "$@"
