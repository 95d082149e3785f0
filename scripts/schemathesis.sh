#!/usr/bin/env bash
# Holds the JSON API to its own OpenAPI document: Schemathesis generates requests for
# every /api/* operation (valid and invalid parameters, boundary values, odd strings)
# against a server over the bundled corpus, and fails on any 5xx, any status, content
# type or body the document does not declare.
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

if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$VERSION"; then
  if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get install -y -q python3-venv >/dev/null
    else
      echo "schemathesis.sh: python3 venv support is missing (apt-get install python3-venv)" >&2
      exit 1
    fi
  fi
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$VERSION"
fi

cargo build --quiet --bin communique
BIN=target/debug/communique

WORK="$(mktemp -d)"
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
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
for _ in $(seq 1 120); do
  if curl -fsS "$BASE/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$SERVER" 2>/dev/null; then
    echo "schemathesis.sh: the server exited:" >&2
    cat "$WORK/serve.log" >&2
    exit 1
  fi
  sleep 0.5
done
curl -fsS "$BASE/healthz" >/dev/null

start=$(date +%s)
status=0
"$VENV/bin/schemathesis" --no-color run "$BASE/api/openapi.json" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,unsupported_method \
  --phases examples,coverage,fuzzing \
  --max-examples "$MAX_EXAMPLES" \
  --seed "$SEED" \
  --generation-database none \
  --request-timeout 10 \
  --workers 2 || status=$?
echo "schemathesis.sh: finished in $(($(date +%s) - start)) s, exit status $status"
exit "$status"
