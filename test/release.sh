#!/bin/bash
# A released install script never changes: every peoplefirst--*.sql that
# CHANGELOG.md records with a SHA-256 must still have it, and every version
# the CHANGELOG records as released has its script. Prints TAP (prove -e
# bash test/release.sh). Needs no server.
set -uo pipefail
cd "$(dirname "$0")/.."

n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; [ -n "${2:-}" ] && echo "# $2"; }

# lines of the form: - `peoplefirst--1.0.sql` SHA-256 <64 hex digits>
mapfile -t recorded < <(grep -oE '`peoplefirst--[0-9.]+\.sql` SHA-256 [0-9a-f]{64}' CHANGELOG.md)
if [ ${#recorded[@]} -eq 0 ]; then
	ok "no release recorded in CHANGELOG.md yet # SKIP nothing to compare"
fi
for line in "${recorded[@]}"; do
	file=$(echo "$line" | cut -d'`' -f2)
	want=$(echo "$line" | awk '{print $NF}')
	if [ ! -f "$file" ]; then
		notok "$file, recorded as released, exists"
		continue
	fi
	have=$(sha256sum "$file" | cut -d' ' -f1)
	if [ "$have" = "$want" ]; then
		ok "$file has the SHA-256 recorded at its release"
	else
		notok "$file has the SHA-256 recorded at its release" "recorded $want, now $have: a released script must not change; put the change in the next upgrade script"
	fi
done

# the control file's default version has an install script, and every
# upgrade script starts from a version that has one
default=$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" peoplefirst.control)
if [ -f "peoplefirst--$default.sql" ]; then
	ok "the default version $default has its full install script"
else
	notok "the default version $default has its full install script"
fi
for u in peoplefirst--*--*.sql; do
	[ -f "$u" ] || continue
	from=$(echo "$u" | sed 's/peoplefirst--\(.*\)--.*\.sql/\1/')
	if [ -f "peoplefirst--$from.sql" ]; then
		ok "$u starts from a released version with an install script"
	else
		notok "$u starts from a released version with an install script"
	fi
done
echo "1..$n"
exit $fail
