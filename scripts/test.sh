#!/usr/bin/env bash
# Runs the test suite with the services some tests drive: Debian's chromium, a CJK font and
# axe-core from npm (browser and accessibility tests) and a throwaway PostgreSQL server (the
# glossary store against a real server).
# Installs what is missing (apt-get, as root or through sudo) and stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
command -v npm >/dev/null 2>&1 || need+=(npm)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

[ -f node_modules/axe-core/axe.min.js ] || npm ci --no-audit --no-fund --silent

pgbin=$(dirname "$(compgen -G "/usr/lib/postgresql/*/bin/initdb" | sort -V | tail -n 1)")
pgdata=$(mktemp -d /tmp/duiqi-pg.XXXXXX)
port=${DUIQI_TEST_PG_PORT:-54329}
run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres: "$pgdata"
run_pg "$pgbin/initdb" -D "$pgdata" -A trust -U postgres >/dev/null
run_pg "$pgbin/pg_ctl" -D "$pgdata" -l "$pgdata/log" -w \
  -o "-p $port -k $pgdata -c listen_addresses=127.0.0.1" start >/dev/null
trap 'run_pg "$pgbin/pg_ctl" -D "$pgdata" -m fast stop >/dev/null 2>&1 || true; rm -rf "$pgdata"' EXIT
run_pg "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U postgres duiqi_test
export DUIQI_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$port/duiqi_test"

.venv/bin/pytest "$@"
