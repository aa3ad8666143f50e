# Shared by test/pg/*.sh, test/setup.sh and test/deb/*.sh (sourced, not
# run): where servers built from source are cached, and Debian packages
# installed when missing.

# The cache of servers built by test/pg/build.sh, outside the clone (the
# Makefile computes the same default).
pg_cache() {
	if [ -n "${PG_CACHE:-}" ]; then
		echo "$PG_CACHE"
	elif [ "$(id -u)" = 0 ]; then
		echo /var/cache/peoplefirst/pg
	else
		echo "$HOME/.cache/peoplefirst/pg"
	fi
}

# The Debian packages among the arguments that are not installed.
missing_packages() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
	done
}

# ensure_packages PACKAGE...: installs those that are missing (root: apt-get,
# after one apt-get update for the system's lists; otherwise prints the exact
# command and fails).
ensure_packages() {
	local missing
	missing=$(missing_packages "$@" | tr '\n' ' ')
	missing=${missing% }
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "peoplefirst: these Debian packages are missing: $missing" >&2
		echo "Install them as root, then run this again:" >&2
		echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends $missing" >&2
		return 1
	fi
	echo "peoplefirst: installing Debian packages: $missing"
	if [ -z "${_pf_apt_updated:-}" ]; then
		apt-get update -qq </dev/null || return 1
		_pf_apt_updated=1
	fi
	local out
	# shellcheck disable=SC2086
	if ! out=$(DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing 2>&1 </dev/null); then
		echo "$out" | tail -n 30 >&2
		echo "peoplefirst: apt-get install $missing failed" >&2
		return 1
	fi
	echo "peoplefirst: installed $missing"
}

# The machine's Debian archive as its apt configuration names it: prints
# "URI KEYRING" for the entry whose suite is the system's own codename
# (deb822 files in sources.list.d, then one-line sources.list entries), or
# with the argument "security", the entry for CODENAME-security.
apt_archive() {
	local want=${VERSION_CODENAME:-}
	[ -z "$want" ] && want=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	[ "${1:-}" = security ] && want=$want-security
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		# one stanza a paragraph: Types, URIs, Suites, Signed-By
		awk -v want="$want" '
			function flush() {
				if (types ~ /(^| )deb( |$)/ && enabled != "no" && (" " suites " ") ~ (" " want " ") && uris != "") {
					split(uris, u, " "); print u[1], (signed == "" ? "-" : signed); found = 1; exit
				}
				types = uris = suites = signed = enabled = ""
			}
			/^[[:space:]]*#/ { next }
			/^[[:space:]]*$/ { flush(); next }
			tolower($1) == "types:" { $1 = ""; types = $0 }
			tolower($1) == "uris:" { $1 = ""; uris = $0; sub(/^ +/, "", uris) }
			tolower($1) == "suites:" { $1 = ""; suites = $0; sub(/^ +/, "", suites) }
			tolower($1) == "signed-by:" { signed = ($2 ~ /^\//) ? $2 : "" }
			tolower($1) == "enabled:" { enabled = tolower($2) }
			END { if (!found) flush() }' "$f" | head -n 1 | grep . && return 0
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -r "$f" ] || continue
		awk -v want="$want" '
			$1 != "deb" { next }
			{
				i = 2; signed = "-"
				if ($2 ~ /^\[/) {
					for (; i <= NF; i++) {
						if ($i ~ /signed-by=/) { signed = $i; sub(/.*signed-by=/, "", signed); sub(/\].*/, "", signed) }
						if ($i ~ /\]$/) { i++; break }
					}
				}
				if ($(i + 1) == want) { print $i, signed; exit }
			}' "$f" | head -n 1 | grep . && return 0
	done
	return 1
}
