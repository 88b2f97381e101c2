#!/usr/bin/env bash
# What the suites need from the system, installed when missing (Debian/Ubuntu, as root or with
# sudo): PostgreSQL's server programs and redis-server (test:queue starts private instances of
# both) and Chromium (test:editor; Playwright's own browser download does not work offline).
set -euo pipefail

missing=()
if [ -z "${ETNA_PG_BIN_DIR:-}" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
	missing+=(postgresql)
fi
if [ -z "${ETNA_REDIS_SERVER:-}" ] && ! command -v redis-server >/dev/null 2>&1; then
	missing+=(redis-server)
fi
if ! command -v chromium >/dev/null 2>&1; then
	missing+=(chromium)
fi
if [ "${#missing[@]}" -eq 0 ]; then
	echo "system packages: PostgreSQL, Redis and Chromium are installed"
	exit 0
fi

sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
echo "system packages: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
# The packages may start default services (postgresql on 5432, redis on 6379); the suites use
# their own instances on free ports and leave those alone.
