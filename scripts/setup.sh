#!/usr/bin/env bash
# Sets the project up from nothing on a Debian machine: tesseract (apt), a Python 3.11
# venv in .venv, and the pinned packages (requirements.lock). Idempotent and quick when
# nothing changed. Called by demo.sh, and by test.sh with --tests (what the tests drive
# besides: Debian's chromium for the desk's browser tests, strace for the offline test, and a
# local PostgreSQL with the test role and database that tests/store/pg.py connects to).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  if [ ! -f /tmp/.cleancopy-apt-updated ]; then as_root apt-get update -qq && touch /tmp/.cleancopy-apt-updated; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

as_postgres() { (cd / && as_root su postgres -c "$1"); }  # from /: the postgres user may not enter the cwd
# PostgreSQL for the database tests: the role and database of tests/store/pg.py's default URL
setup_pg() {
  if [ -n "${CLEANCOPY_TEST_PG_URL:-}" ]; then return 0; fi  # a server of the caller's own
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "setup: installing postgresql (apt), for the database tests"
    apt_install postgresql || return 1
  fi
  local v
  v="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)"
  [ -n "$v" ] || return 1
  as_root pg_ctlcluster "$v" main start >/dev/null 2>&1 || true
  for _ in $(seq 1 30); do
    as_postgres "pg_isready -q" && break
    sleep 1
  done
  as_postgres "pg_isready -q" || return 1
  as_postgres "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='cleancopy_test'\"" | grep -q 1 \
    || as_postgres "psql -qc \"CREATE ROLE cleancopy_test LOGIN CREATEDB PASSWORD 'cleancopy_test'\"" \
    || return 1
  as_postgres "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='cleancopy_test'\"" | grep -q 1 \
    || as_postgres "createdb -O cleancopy_test cleancopy_test" || return 1
}

if ! command -v tesseract >/dev/null 2>&1; then
  echo "setup: installing tesseract-ocr (apt)"
  apt_install tesseract-ocr
fi

if [ "${1:-}" = "--tests" ]; then
  if [ ! -x /usr/bin/chromium ]; then
    echo "setup: installing chromium (apt), for the desk's browser tests"
    apt_install chromium
  fi
  if ! command -v strace >/dev/null 2>&1; then
    echo "setup: installing strace (apt), for the offline test"
    apt_install strace
  fi
  # the database tests skip, saying so, when no server is reachable: a failure here stops nothing
  setup_pg || echo "setup: PostgreSQL could not be set up; the database tests will skip"
fi

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PY" -m venv .venv 2>/dev/null || { apt_install python3-venv; "$PY" -m venv .venv; }
fi

stamp=.venv/.cleancopy-installed
want=$(cat pyproject.toml requirements.lock | sha256sum | cut -c1-64)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing pinned packages into .venv (first time takes a few minutes)"
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.lock
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .
  echo "$want" > "$stamp"
fi
