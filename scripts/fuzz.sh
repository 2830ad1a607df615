#!/usr/bin/env bash
# Fuzz the live API against its own OpenAPI schema with schemathesis, on PostgreSQL.
#
# Usage: scripts/fuzz.sh [CASES] [SECONDS]   (defaults: 1500 cases, 240 seconds; `make fuzz` runs 20000)
#
# It drops and recreates the database FUZZ_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/fuzz),
# loads the demo data, issues a superuser token and a token scoped to SChannel, serves the API with
# gunicorn on a free port of 127.0.0.1 and runs schemathesis twice, once per token, each with half the
# cases and half the time. NUL bytes and any unicode are generated. It exits non-zero on any 5xx and on
# any response the schema does not describe (status code, content type, body). Reports go to var/fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

CASES="${1:-1500}"
SECONDS_BUDGET="${2:-240}"
DB_URL="${FUZZ_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/fuzz}"
BIN=.venv/bin
REPORTS=var/fuzz

# The server and every manage.py below use the fuzz database, never the developer's.
export DATABASE_URL="$DB_URL" DJANGO_SETTINGS_MODULE=kolregistry.settings
# Fuzzing sends thousands of requests per token: the rate limit would answer most of them with 429.
export KOLREG_THROTTLE_USER=1000000/hour KOLREG_THROTTLE_USER_BURST=1000000/minute KOLREG_THROTTLE_ANON=1000000/hour
export KOLREG_DEMO_PASSWORD="fuzz-$RANDOM-$RANDOM"

echo "== fresh database $DB_URL"
$BIN/python - <<'EOF'
import os
import dj_database_url
import psycopg2
from psycopg2 import sql

config = dj_database_url.parse(os.environ["DATABASE_URL"])
connection = psycopg2.connect(
    dbname="postgres", user=config["USER"], password=config["PASSWORD"], host=config["HOST"], port=config["PORT"]
)
connection.autocommit = True
with connection.cursor() as cursor:
    cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(config["NAME"])))
    cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
EOF
$BIN/python manage.py migrate --noinput --verbosity 0
$BIN/python manage.py load_demo >/dev/null
DJANGO_SUPERUSER_PASSWORD="$KOLREG_DEMO_PASSWORD" $BIN/python manage.py createsuperuser --noinput \
    --username fuzz.admin --email fuzz.admin@example.invalid >/dev/null
ADMIN_TOKEN="$($BIN/python manage.py issue_token fuzz.admin --name fuzz | tail -n 1)"
PARTNER_TOKEN="$($BIN/python manage.py issue_token schannel.demo --partner schannel --name fuzz | tail -n 1)"

PORT="$($BIN/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
rm -rf "$REPORTS" && mkdir -p "$REPORTS"
# --limit-request-line 0: gunicorn answers request lines over 4 KiB itself, with an HTML 400, and
# schemathesis writes long query strings. In production the reverse proxy sets that limit (nginx: 414);
# this job tests the application behind it.
$BIN/gunicorn kolregistry.wsgi --bind "127.0.0.1:$PORT" --workers 2 --timeout 60 --limit-request-line 0 \
    --error-logfile "$REPORTS/gunicorn.log" --capture-output &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true' EXIT

# Up once it answers at all (401 without a token).
for _ in $(seq 1 120); do
    curl --silent --output /dev/null "$BASE/api/v1/" && break
    sleep 0.5
done

OPERATIONS="$(curl --silent --fail --header "Authorization: Token $ADMIN_TOKEN" "$BASE/api/v1/schema/?format=json" |
    $BIN/python -c 'import json, sys; print(sum(len(ops) for ops in json.load(sys.stdin)["paths"].values()))')"
PER_OPERATION=$(((CASES / 2 + OPERATIONS - 1) / OPERATIONS))

# --max-examples counts per operation, so the cases are spread over the operations. Every operation
# runs all its cases even after a failure, and SECONDS bounds each run: taking longer fails the job.
# FUZZ_SEED makes a run repeatable (CI sets one, so that a red CI is the change's doing, not the dice's).
SEED_OPTION=()
[ -n "${FUZZ_SEED:-}" ] && SEED_OPTION=(--seed "$FUZZ_SEED")
status=0
run() {
    local name="$1" token="$2"
    echo "== schemathesis as $name: $OPERATIONS operations x $PER_OPERATION cases, at most $((SECONDS_BUDGET / 2)) s"
    mkdir -p "$REPORTS/$name"
    # From the report directory: schemathesis and Hypothesis keep their caches in the working directory.
    (cd "$REPORTS/$name" && timeout --signal INT --kill-after 10 "$((SECONDS_BUDGET / 2))" "$ROOT/$BIN/st" run \
        "$BASE/api/v1/schema/?format=json" \
        --header "Authorization: Token $token" \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
        --max-examples "$PER_OPERATION" --continue-on-failure \
        --generation-allow-x00 true --generation-codec utf-8 \
        --phases examples,fuzzing --workers 2 --request-timeout 30 \
        --report junit --report-dir . --no-color "${SEED_OPTION[@]}") || {
        local rc=$?
        [ "$rc" -eq 124 ] && echo "== schemathesis as $name took longer than $((SECONDS_BUDGET / 2)) s"
        status=1
    }
}
run superuser "$ADMIN_TOKEN"
run partner "$PARTNER_TOKEN"
exit "$status"
