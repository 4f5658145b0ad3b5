#!/usr/bin/env bash
# Kadans developer commands. See README.md.
#
#   ./dev.sh run                 set up .venv, migrate, load demo data, serve on 127.0.0.1:${PORT:-8000}
#   ./dev.sh test [pytest args]  migrations check, then the test suite on SQLite and on PostgreSQL
#   ./dev.sh help                this text
#
# Environment (test):
#   KADANS_TEST_DATABASE_URL  use this PostgreSQL server instead of a throwaway local cluster
#   KADANS_REQUIRE_POSTGRES=1 fail (instead of skipping the PostgreSQL run) when no PostgreSQL is found
#   KADANS_REQUIRE_BROWSER=1  fail (instead of skipping browser tests) when Chromium is not found
#   KADANS_CHROMIUM           path to the Chromium binary (default /usr/bin/chromium)
set -euo pipefail

cd "$(dirname "$(readlink -f "$0")")"
ROOT=$PWD
VENV=$ROOT/.venv
STAMP=$VENV/.kadans-install-stamp

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf '\033[1;31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

usage() {
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
}

find_python() {
    local candidate
    for candidate in python3.11 python3.12 python3.13 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

# ensure_venv EXTRAS: create .venv when missing and `pip install -e .[EXTRAS]` when pyproject.toml
# (or the wanted extras) changed since the last install, tracked by a stamp file inside .venv.
ensure_venv() {
    local extras=$1 spec=. hash wanted
    [[ -n $extras ]] && spec=".[$extras]"
    if [[ ! -x $VENV/bin/python ]] || ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        local py
        py=$(find_python) || die "Python 3.11 or newer is required (python3.11 or python3 on PATH)."
        say "Creating virtualenv .venv with $py"
        rm -rf "$VENV"
        "$py" -m venv "$VENV" ||
            die "Could not create .venv; on Debian/Ubuntu install the venv module: sudo apt-get install python3-venv"
    fi
    hash=$(sha256sum pyproject.toml | cut -d' ' -f1)
    wanted="$hash extras=$extras"
    if [[ -f $STAMP ]]; then
        local have
        have=$(cat "$STAMP")
        # An install with the dev extras also satisfies a plain install.
        if [[ $have == "$wanted" || ( -z $extras && $have == "$hash extras="* ) ]]; then
            return 0
        fi
    fi
    say "Installing Kadans into .venv (pip install -e '$spec')"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$spec"
    echo "$wanted" >"$STAMP"
}

cmd_run() {
    ensure_venv ""
    local py=$VENV/bin/python
    say "Applying migrations"
    "$py" manage.py migrate --noinput
    say "Loading demo data"
    "$py" manage.py demo_data
    say "Starting development server on http://127.0.0.1:${PORT:-8000}/"
    exec "$py" manage.py runserver "127.0.0.1:${PORT:-8000}"
}

# ---------------------------------------------------------------------------------------------------
# Throwaway PostgreSQL cluster for the test run

PG_DIR=""
PG_BIN=""
PG_AS=()

find_pg_bin() {
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [[ -x $d/initdb && -x $d/pg_ctl ]]; then
            echo "$d"
            return 0
        fi
    done
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
        return 0
    fi
    return 1
}

pg_cleanup() {
    if [[ -n $PG_DIR && -d $PG_DIR ]]; then
        if [[ -f $PG_DIR/data/postmaster.pid ]]; then
            say "Stopping throwaway PostgreSQL"
            (cd "$PG_DIR" && "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1) ||
                (cd "$PG_DIR" && "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1) || true
        fi
        rm -rf "$PG_DIR"
        PG_DIR=""
    fi
}

# start_pg: start a throwaway cluster and print its DATABASE_URL.
start_pg() {
    local port started
    PG_DIR=$(mktemp -d /tmp/kadans-pg.XXXXXX)
    if [[ $(id -u) == 0 ]]; then
        id postgres >/dev/null 2>&1 || die "Running as root but there is no 'postgres' user to run PostgreSQL as."
        chown postgres: "$PG_DIR"
        if command -v runuser >/dev/null 2>&1; then
            PG_AS=(runuser -u postgres --)
        else
            PG_AS=(su postgres -s /bin/sh -c '"$0" "$@"')
        fi
    else
        PG_AS=(env)
    fi
    port=$("$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    say "Starting throwaway PostgreSQL ($PG_BIN) in $PG_DIR on port $port"
    started=$SECONDS
    (cd "$PG_DIR" && "${PG_AS[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 --no-sync \
        >"$PG_DIR/initdb.log" 2>&1) || { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
    (cd "$PG_DIR" && "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" \
        -o "-k $PG_DIR -p $port -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        -w start >/dev/null) || { cat "$PG_DIR/server.log" >&2; die "PostgreSQL did not start"; }
    (cd "$PG_DIR" && "${PG_AS[@]}" "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres kadans) ||
        die "createdb kadans failed"
    say "PostgreSQL ready after $((SECONDS - started))s"
    PG_URL="postgres://postgres@127.0.0.1:$port/kadans"
}

cmd_test() {
    ensure_venv dev
    local py=$VENV/bin/python

    export KADANS_CHROMIUM=${KADANS_CHROMIUM:-/usr/bin/chromium}
    if [[ ! -x $KADANS_CHROMIUM ]]; then
        if [[ ${KADANS_REQUIRE_BROWSER:-} == 1 ]]; then
            die "KADANS_REQUIRE_BROWSER=1 but Chromium was not found at $KADANS_CHROMIUM (install: apt-get install chromium)"
        fi
        say "Chromium not found at $KADANS_CHROMIUM: browser tests will be skipped"
    fi

    # Tests never use the developer's database; make sure an inherited DATABASE_URL does not leak in.
    unset DATABASE_URL

    say "Checking for missing migrations"
    "$py" manage.py makemigrations --check --dry-run ||
        die "Models have changes without a migration: run '.venv/bin/python manage.py makemigrations'"

    local sqlite_rc=0 pg_rc=0 pg_status
    say "Test suite on SQLite"
    "$py" -m pytest "$@" || sqlite_rc=$?

    local url=${KADANS_TEST_DATABASE_URL:-}
    if [[ -z $url ]] && PG_BIN=$(find_pg_bin); then
        trap pg_cleanup EXIT
        trap 'exit 130' INT
        trap 'exit 143' TERM
        start_pg
        url=$PG_URL
    fi
    if [[ -n $url ]]; then
        say "Test suite on PostgreSQL (${url%%\?*})"
        DATABASE_URL=$url "$py" -m pytest "$@" || pg_rc=$?
        pg_cleanup
        pg_status="exit $pg_rc"
    elif [[ ${KADANS_REQUIRE_POSTGRES:-} == 1 ]]; then
        say "SQLite run: exit $sqlite_rc"
        die "KADANS_REQUIRE_POSTGRES=1 but no PostgreSQL was found: set KADANS_TEST_DATABASE_URL or install PostgreSQL server binaries (apt-get install postgresql)"
    else
        pg_status="SKIPPED (no PostgreSQL found: install postgresql or set KADANS_TEST_DATABASE_URL)"
        say "skipped PostgreSQL run: no initdb/pg_ctl found and KADANS_TEST_DATABASE_URL not set"
    fi

    say "Summary: SQLite exit $sqlite_rc; PostgreSQL $pg_status"
    if ((sqlite_rc != 0)); then
        return "$sqlite_rc"
    fi
    return "$pg_rc"
}

case ${1:-help} in
run)
    shift
    cmd_run "$@"
    ;;
test)
    shift
    cmd_test "$@"
    ;;
help | -h | --help)
    usage
    ;;
*)
    usage >&2
    exit 2
    ;;
esac
