#!/bin/bash
# The README's "first look": its SQL runs as pasted, by a database owner who
# is not a superuser, and prints exactly the output the README shows under
# it. Prints TAP (prove -e bash test/readme/first_look.sh, on a cluster the
# PG* variables point at, as a superuser). The SQL is the fenced block
# opened by "```sql first-look", the output the one opened by
# "```text first-look-output".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
readme=${README:-$here/../../README.md}
db=peoplefirst_readme_first_look
role=peoplefirst_readme_owner
work=$(mktemp -d "${TMPDIR:-/tmp}/peoplefirst-readme.XXXXXX")
drop_db() {
	dropdb --if-exists "$db" >/dev/null 2>&1
	psql -X -q -d postgres -c "DROP ROLE IF EXISTS $role" >/dev/null 2>&1
}
trap 'drop_db; rm -rf "$work"' EXIT

block() {	# block OPENING-LINE: the lines of the fenced block it opens
	awk -v open="$1" '$0 == open { inside = 1; next } inside && /^```$/ { exit } inside { print }' "$readme"
}

echo "1..3"
block '```sql first-look' >"$work/first_look.sql"
block '```text first-look-output' >"$work/expected.out"
if [ -s "$work/first_look.sql" ] && [ -s "$work/expected.out" ]; then
	echo "ok 1 - the README has a first-look SQL block and its output"
else
	echo "not ok 1 - the README has a first-look SQL block and its output"
	exit 1
fi

drop_db
password=first-look-$$
psql -X -q -v ON_ERROR_STOP=1 -d postgres \
	-c "CREATE ROLE $role LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '$password'" &&
	createdb -O "$role" "$db" || { echo "not ok 2 - a database owned by a non-superuser"; exit 1; }

# as the owner, over TCP with a password, as an application would connect
PGPASSWORD=$password psql -X -q -h "${PGHOST:-localhost}" -U "$role" -d "$db" -v ON_ERROR_STOP=1 \
	-f "$work/first_look.sql" >"$work/actual.out" 2>"$work/stderr"
rc=$?
if [ $rc -eq 0 ] && [ ! -s "$work/stderr" ]; then
	echo "ok 2 - the first look runs as pasted, as a non-superuser database owner"
else
	echo "not ok 2 - the first look runs as pasted, as a non-superuser database owner (exit $rc)"
	sed 's/^/# /' "$work/stderr"
fi

# psql ends the last result with an empty line that the README leaves out
sed -i -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$work/actual.out"
if diff -u "$work/expected.out" "$work/actual.out" >"$work/diff"; then
	echo "ok 3 - it prints exactly the output the README shows"
else
	echo "not ok 3 - it prints exactly the output the README shows"
	sed 's/^/# /' "$work/diff"
fi
