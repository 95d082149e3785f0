#!/usr/bin/env bash
# Web benchmark: statement pages requested uniformly at random across every id, and list
# pages, with wrk against a release build. 8 connections, gzip accepted.
#   scripts/web-bench.sh DB [DURATION]      (default 20s per run)
# e.g. after `cargo bench --bench import -- 100000 --no-floor`:
#   scripts/web-bench.sh target/bench/import-100000.db
# DB is an archive already imported (e.g. from the synthetic corpus). Prints wrk's
# reports and the server's resident memory before and after.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
db="${1:?usage: web-bench.sh DB [DURATION]}"
duration="${2:-20s}"
addr="127.0.0.1:${PORT:-18080}"
out="$root/bench-data/web"
mkdir -p "$out"
cd "$root"

# SKIP_BUILD=1 uses the release binary as it is.
[[ -n "${SKIP_BUILD:-}" ]] || cargo build --release --bin communique
python3 - "$db" "$out" <<'PY'
import sqlite3, sys
db, out = sys.argv[1], sys.argv[2]
c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
ids = [r[0] for r in c.execute("SELECT id FROM statements")]
open(f"{out}/ids.txt", "w").write("\n".join(ids) + "\n")
years = [r[0] for r in c.execute("SELECT DISTINCT year FROM statements WHERE year IS NOT NULL")]
forums = [r[0] for r in c.execute("SELECT slug FROM forums")]
speakers = [r[0] for r in c.execute("SELECT slug FROM speakers")]
paths = [f"/statements?page={p}" for p in range(1, 51)]
paths += [f"/statements?year={y}" for y in years]
paths += [f"/forums/{f}" for f in forums] + [f"/speakers/{s}" for s in speakers]
open(f"{out}/lists.txt", "w").write("\n".join(paths) + "\n")
print(f"{len(ids)} statements, {len(paths)} list paths")
PY

./target/release/communique serve --db "$db" --addr "$addr" 2>"$out/server.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://$addr/healthz" >/dev/null && break; sleep 0.1; done
# Resident memory in all, then split: the server's own (anonymous: page cache, SQLite's
# page caches, buffers) and the database file's pages mapped by SQLite's mmap, which are
# the OS page cache shown through the process and counted once per connection's mapping.
rss() {
  awk '/^(VmRSS|RssAnon|RssFile):/ {printf "%s %.0f MB  ", $1, $2/1024} END {print ""}' \
    "/proc/$pid/status"
}
echo "server RSS at start: $(rss)"

echo "== statement pages, uniformly random ids, 8 connections, $duration"
wrk -t2 -c8 -d"$duration" --latency -s scripts/wrk-statements.lua "http://$addr" -- "$out/ids.txt"
echo "server RSS: $(rss)"
echo "== statement pages again (page cache warm where it fits)"
wrk -t2 -c8 -d"$duration" --latency -s scripts/wrk-statements.lua "http://$addr" -- "$out/ids.txt"
echo "server RSS: $(rss)"
echo "== list pages (statement list pages 1-50, years, forums, speakers)"
wrk -t2 -c8 -d"$duration" --latency -s scripts/wrk-lists.lua "http://$addr" -- "$out/lists.txt"
echo "server RSS at end: $(rss)"
