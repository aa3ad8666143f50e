#!/bin/bash
# The Debian packages that test/deb/build.sh left in build/deb/ (DEB_OUT),
# tested as installed: prints TAP (prove -e bash test/deb/test.sh). As root:
#   1. dpkg -i installs postgresql-NN-peoplefirst for every server version
#      installed here, and dpkg --verify finds its files as shipped;
#   2. the package's autopkgtest (debian/tests/installcheck: pg_buildext
#      installcheck, the regression suite on a throw-away cluster) passes,
#      run from a clean copy of the tree, against the installed files;
#   3. on a throw-away cluster (test/pg/cluster.sh), a database owner who is
#      not a superuser runs CREATE EXTENSION peoplefirst (it is trusted),
#      connecting with a password, and a small query answers;
#   4. dpkg --purge removes the package again, and the extension files that
#      were there before (a `make install`) are put back, so that later
#      installs and tests find the system as it was.
set -uo pipefail
cd "$(dirname "$0")/../.."
top=$PWD
out=${DEB_OUT:-$top/build/deb}

n=0
failed=0
diag() { [ -n "${1:-}" ] && sed 's/^/# /' <<<"$1"; return 0; }
pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; diag "${2:-}"; }
bail() { echo "Bail out! $1"; diag "${2:-}"; exit 1; }

[ "$(id -u)" = 0 ] || bail "test/deb/test.sh installs packages with dpkg: run it as root"

# the packages for the server versions installed here
debs=()
for deb in "$out"/postgresql-*-peoplefirst_*.deb; do
	[ -f "$deb" ] || continue
	v=$(dpkg-deb -f "$deb" Package | sed -E 's/^postgresql-([0-9]+)-peoplefirst$/\1/')
	[ -x "/usr/lib/postgresql/$v/bin/pg_config" ] && debs+=("$deb")
done
[ ${#debs[@]} -gt 0 ] || bail "no postgresql-NN-peoplefirst .deb for an installed server in $out (make deb first)"

work=$(mktemp -d "${TMPDIR:-/tmp}/peoplefirst-deb.XXXXXX")
chmod 755 "$work"
packages=()
restore() {
	local p
	for p in "${packages[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "installed" &&
			dpkg --purge "$p" >/dev/null 2>&1
	done
	# the files a `make install` had put there before
	[ -s "$work/before.tar" ] && tar -xpf "$work/before.tar" -C /
	rm -rf "$work"
}
trap restore EXIT

# ---------------------------------------------------------------- 1. dpkg -i

# files of the packages already there, not owned by a package (make install)
for deb in "${debs[@]}"; do
	dpkg-deb -c "$deb" | awk '{print $6}' | grep -v '/$' | sed 's|^\./|/|' | grep -v '^/usr/share/doc/'
done | while read -r f; do
	[ -e "$f" ] && ! dpkg -S "$f" >/dev/null 2>&1 && echo "${f#/}"
done >"$work/before.list"
if [ -s "$work/before.list" ]; then
	tar -cpf "$work/before.tar" -C / -T "$work/before.list"
	diag "$(wc -l <"$work/before.list") files of an earlier make install kept aside, put back at the end"
fi

for deb in "${debs[@]}"; do
	p=$(dpkg-deb -f "$deb" Package)
	packages+=("$p")
	if o=$(dpkg -i "$deb" 2>&1); then
		pass "dpkg -i $(basename "$deb")"
	else
		fail "dpkg -i $(basename "$deb")" "$o"
		continue
	fi
	if o=$(dpkg --verify "$p" 2>&1) && [ -z "$o" ]; then
		pass "dpkg --verify $p: its $(dpkg -L "$p" | grep -c 'peoplefirst') files are as shipped"
	else
		fail "dpkg --verify $p" "$o"
	fi
done

# ---------------------------------------------------------------- 2. autopkgtest

# a clean copy of the tree: no objects, no library, nothing built
src=$work/src
mkdir -p "$src"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files -z --cached --others --exclude-standard | grep -zv '^build/' |
		while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
		tar --null -cf - -T - | tar -xf - -C "$src"
else
	tar --exclude=./build --exclude='*.o' --exclude='*.so' --exclude='*.bc' -cf - . | tar -xf - -C "$src"
fi
chown -R postgres: "$src" 2>/dev/null
if o=$(cd "$src" && PG_UPDATECONTROL=yes pg_buildext checkcontrol >/dev/null 2>&1; cd "$src" && debian/tests/installcheck 2>&1); then
	pass "the autopkgtest debian/tests/installcheck (pg_buildext installcheck) passes on the installed package"
	diag "$(grep -E 'tests passed|tests failed|### End' <<<"$o" | head -n 20)"
else
	fail "the autopkgtest debian/tests/installcheck (pg_buildext installcheck) passes on the installed package" \
		"$(tail -n 60 <<<"$o")"
fi

# ---------------------------------------------------------------- 3. a non-superuser owner

owner_check() {
	local role=peoplefirst_deb_owner db=peoplefirst_deb password
	password="pf-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
	psql -X -q -v ON_ERROR_STOP=1 -d postgres \
		-c "CREATE ROLE $role LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '$password'" \
		-c "CREATE DATABASE $db OWNER $role" || return 1
	PGUSER=$role PGPASSWORD=$password psql -X -A -t -v ON_ERROR_STOP=1 -d "$db" \
		-c "SELECT rolsuper FROM pg_roles WHERE rolname = current_user" \
		-c "CREATE EXTENSION peoplefirst" \
		-c "SELECT round(strength(strength_agg(t, interval '30 days'), '2024-02-01')::numeric, 6)
			FROM (VALUES ('2024-01-01'::timestamptz)) v(t)" \
		-c "SELECT extowner::regrole, extversion FROM pg_extension WHERE extname = 'peoplefirst'"
}
for deb in "${debs[@]}"; do
	p=$(dpkg-deb -f "$deb" Package)
	v=$(sed -E 's/^postgresql-([0-9]+)-peoplefirst$/\1/' <<<"$p")
	o=$(PG_CONFIG=/usr/lib/postgresql/$v/bin/pg_config bash test/pg/cluster.sh bash -c "$(declare -f owner_check); owner_check" 2>&1)
	rc=$?
	answer=$(grep -xE '0\.[0-9]+' <<<"$o" | head -n 1)
	if [ $rc -eq 0 ] && grep -qx f <<<"$o" && [ -n "$answer" ] && grep -q '^peoplefirst_deb_owner|' <<<"$o"; then
		pass "PostgreSQL $v: a database owner without superuser runs CREATE EXTENSION peoplefirst and a query (strength $answer)"
	else
		fail "PostgreSQL $v: a database owner without superuser runs CREATE EXTENSION peoplefirst and a query" "$o"
	fi
done

# ---------------------------------------------------------------- 4. removed again

for p in "${packages[@]}"; do
	if o=$(dpkg --purge "$p" 2>&1) && ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "installed"; then
		pass "dpkg --purge $p"
	else
		fail "dpkg --purge $p" "$o"
	fi
done
packages=()
if [ -s "$work/before.tar" ]; then
	tar -xpf "$work/before.tar" -C / && rm -f "$work/before.tar" &&
		pass "the files of the earlier make install are back" ||
		fail "the files of the earlier make install are back"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
