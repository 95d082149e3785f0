#!/usr/bin/env bash
# Runs the browser tests (tests/browser/): installs the pinned npm packages, checks for
# Chromium, builds the binary when missing, and runs the node test file.
#   COMMUNIQUE_BIN=path  test that binary instead of target/{release,debug}/communique
#   CHROMIUM=path        use that browser instead of /usr/bin/chromium
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

chromium="${CHROMIUM:-/usr/bin/chromium}"
if [[ ! -x "$chromium" && "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
  echo "installing Debian's chromium for the browser tests" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if [[ ! -x "$chromium" ]]; then
  echo "Chromium not found at $chromium. On Debian, as root: apt-get update && apt-get install -y chromium" >&2
  exit 1
fi
command -v node >/dev/null || { echo "node is required (Debian: apt-get install -y nodejs npm)" >&2; exit 1; }

# Test the binary of the current sources, never a stale build.
if [[ -z "${COMMUNIQUE_BIN:-}" ]]; then
  cargo build --bin communique
  export COMMUNIQUE_BIN="$root/target/debug/communique"
fi

cd tests/browser
npm ci --no-audit --no-fund
node --test --test-concurrency=1 pages.test.mjs
echo "screenshots: $root/artifacts/screenshots/"
