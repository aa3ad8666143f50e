#!/bin/bash
# Runs inside pg_virtualenv: creates a database with the extension and
# shows it at work on a small example.
set -euo pipefail
cd "$(dirname "$0")/../.."

createdb peoplefirst_demo
psql -X -q -v ON_ERROR_STOP=1 -d peoplefirst_demo -f test/demo/small.sql
