#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on 127.0.0.1 for the test suite.
# Installs Debian's postgresql package if it is missing. Source it:
#   source scripts/ci-postgres.sh   -> exports SRS_CRSS_TEST_PG_URL
# The server and its data live in a temporary folder and stop when the
# calling shell exits.
set -euo pipefail

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "Installing PostgreSQL from Debian's packages ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq postgresql >/dev/null
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

# PostgreSQL refuses to run as root: run it as the postgres user the package made.
as_pg=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  as_pg=(runuser -u postgres --)
fi

pgdir=$(mktemp -d /tmp/srs-crss-pg.XXXXXX)
chmod 755 "$pgdir"
[ "$(id -u)" = 0 ] && chown postgres "$pgdir"
# a free port on the loopback address (a server left over from an earlier run may hold one)
port=${SRS_CRSS_PG_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
"${as_pg[@]}" "$bindir/initdb" -D "$pgdir/data" -U postgres -A trust -E UTF8 >/dev/null
"${as_pg[@]}" "$bindir/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w -o "-p $port -k $pgdir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
trap '"${as_pg[@]}" "$bindir/pg_ctl" -D "$pgdir/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$pgdir"' EXIT

export SRS_CRSS_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') for tests at 127.0.0.1:$port"
