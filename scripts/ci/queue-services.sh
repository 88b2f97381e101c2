#!/usr/bin/env bash
# What `npm run test:queue` needs from the system, installed when missing (Debian/Ubuntu):
# PostgreSQL's server programs (initdb, postgres; psql comes with them) and redis-server.
# The suite starts its own private instances of both; nothing here starts a service.
set -euo pipefail

missing=()
if [ -z "${ETNA_PG_BIN_DIR:-}" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
	missing+=(postgresql)
fi
if [ -z "${ETNA_REDIS_SERVER:-}" ] && ! command -v redis-server >/dev/null 2>&1; then
	missing+=(redis-server)
fi
if [ "${#missing[@]}" -eq 0 ]; then
	echo "queue-services: PostgreSQL and Redis are installed"
	exit 0
fi

sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
echo "queue-services: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
# The packages may start their own default services (postgresql on 5432, redis on 6379); the
# suite does not use them, and stopping them is left to the machine's owner.
