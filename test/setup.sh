#!/bin/bash
# Installs the Debian packages that building and testing peoplefirst need,
# when they are missing.  Extra package names may be given as arguments.
# It reads no PostgreSQL build file, so it works before any is installed.
set -euo pipefail

packages=(gcc make postgresql-15 postgresql-common postgresql-contrib postgresql-server-dev-15
		  postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl sqlsmith "$@")
missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "peoplefirst: these Debian packages are missing: ${missing[*]}" >&2
	echo "Install them as root, then run this again:" >&2
	echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
	exit 1
fi
echo "peoplefirst: installing Debian packages: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "peoplefirst: installed ${missing[*]}"
