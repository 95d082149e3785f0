#!/usr/bin/env bash
# Runs every test: the Rust suites (unit, parser, import, HTTP), the API fuzzing against
# its OpenAPI document and the browser tests. Installs what the browser tests need
# (Debian's chromium, the npm packages) and Schemathesis (PyPI) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v cargo-nextest >/dev/null 2>&1; then
  cargo nextest run --workspace --no-fail-fast
  cargo test --doc --workspace
else
  cargo test --workspace --no-fail-fast
fi

scripts/schemathesis.sh

if [ -x scripts/browser-tests.sh ]; then
  scripts/browser-tests.sh
fi
