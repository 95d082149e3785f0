#!/usr/bin/env bash
# Holds the JSON API to its own OpenAPI document: Schemathesis generates requests for
# every /api/* operation (valid and invalid parameters, boundary values, odd strings,
# and sequences that follow the response links from lists to details) against a server
# over the bundled corpus, and fails on any 5xx, any status, content type or body the
# document does not declare.
#
#   scripts/schemathesis.sh            # bounded run, 100 examples per operation
#   MAX_EXAMPLES=500 scripts/schemathesis.sh
#
# Installs Schemathesis from PyPI into .venv-schemathesis when missing. Exits non-zero
# on any failure; the server is always stopped.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"
VENV=.venv-schemathesis
MAX_EXAMPLES="${MAX_EXAMPLES:-100}"
SEED="${SCHEMATHESIS_SEED:-20261123}"

apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq "$@" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$@" >/dev/null; }
  else
    echo "schemathesis.sh: $* missing (apt-get install $*)" >&2
    exit 1
  fi
}

if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$VERSION"; then
  command -v python3 >/dev/null || apt_install python3 python3-venv
  python3 -c 'import ensurepip, venv' 2>/dev/null || apt_install python3-venv
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$VERSION"
fi
PY="$VENV/bin/python"

cargo build --quiet --bin communique
BIN=target/debug/communique

WORK="$(mktemp -d)"
PORT="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$BIN" serve --addr "127.0.0.1:$PORT" --db "$WORK/archive.db" --import corpus \
  >"$WORK/serve.log" 2>&1 &
SERVER=$!
cleanup() {
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

BASE="http://127.0.0.1:$PORT"
up() {
  "$PY" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$BASE/healthz" 2>/dev/null
}
for _ in $(seq 1 120); do
  if up; then break; fi
  if ! kill -0 "$SERVER" 2>/dev/null; then
    echo "schemathesis.sh: the server exited:" >&2
    cat "$WORK/serve.log" >&2
    exit 1
  fi
  sleep 0.5
done
up || { echo "schemathesis.sh: the server does not answer /healthz" >&2; exit 1; }

start=$(date +%s)
status=0
"$VENV/bin/schemathesis" --no-color run "$BASE/api/openapi.json" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,unsupported_method \
  --phases examples,coverage,fuzzing,stateful \
  --max-examples "$MAX_EXAMPLES" \
  --seed "$SEED" \
  --generation-database none \
  --request-timeout 10 \
  --workers 2 || status=$?
echo "schemathesis.sh: finished in $(($(date +%s) - start)) s, exit status $status"
exit "$status"
