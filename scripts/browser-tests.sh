#!/usr/bin/env bash
# Runs the browser tests (tests/browser/): installs the pinned npm packages, checks for
# Chromium, builds the binary when missing, and runs the node test file.
#   COMMUNIQUE_BIN=path  test that binary instead of target/{release,debug}/communique
#   CHROMIUM=path        use that browser instead of /usr/bin/chromium
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

chromium="${CHROMIUM:-/usr/bin/chromium}"
if [[ ! -x "$chromium" ]]; then
  echo "Chromium not found at $chromium. On Debian, as root: apt-get update && apt-get install -y chromium" >&2
  exit 1
fi
command -v node >/dev/null || { echo "node is required (Debian: apt-get install -y nodejs npm)" >&2; exit 1; }

if [[ -z "${COMMUNIQUE_BIN:-}" && ! -x target/release/communique && ! -x target/debug/communique ]]; then
  cargo build --bin communique
fi

cd tests/browser
npm ci --no-audit --no-fund
node --test --test-concurrency=1 pages.test.mjs
echo "screenshots: $root/artifacts/screenshots/"
