#!/usr/bin/env bash
# Dataset import benchmark: rows/s and peak memory of the release binary on generated
# CSV files in the ministry's dataset shape, plain and gzipped.
#
#   scripts/bench-dataset.sh [ROWS...]       (default: 10000 100000)
#
# BENCH_DIR (default target/bench) holds the generated files and the archives;
# LIMIT (seconds, default none) stops an import early: peak memory and rows/s are then
# those of the rows imported so far (counted from the per-row lines).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${BENCH_DIR:-target/bench}
mkdir -p "$dir"
bin=target/release/communique
[ -x "$bin" ] || cargo build --release --bin communique
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
for rows in "${sizes[@]}"; do
  csv="$dir/ds-$rows.csv"
  [ -f "$csv.gz" ] || { python3 scripts/gen-dataset.py "$rows" "$csv"; gzip -1 -k "$csv"; }
  for file in "$csv" "$csv.gz"; do
    [ -f "$file" ] || continue
    db="$dir/ds-$rows-$(basename "$file" | tr . -).db"
    rm -f "$db" "$db-wal" "$db-shm"
    limit=()
    [ -n "${LIMIT:-}" ] && limit=(timeout -s INT "$LIMIT")
    start=$(date +%s.%N)
    /usr/bin/time -v -o "$db.time" "${limit[@]}" "$bin" --db "$db" import "$file" \
      > "$db.out" 2> "$db.log" || true
    end=$(date +%s.%N)
    done_rows=$(grep -c ': imported \|: updated \|: unchanged ' "$db.log" || true)
    failed=$(grep -vc ': imported \|: updated \|: unchanged ' "$db.log" || true)
    mb=$(du -m "$file" | cut -f1)
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$db.time")
    awk -v f="$(basename "$file")" -v mb="$mb" -v n="$done_rows" -v bad="$failed" \
        -v s="$(echo "$end - $start" | bc)" -v rss="$rss" 'BEGIN {
      printf "%s (%d MB): %d rows (%d other lines) in %.1f s, %.0f rows/s, peak RSS %.0f MB\n",
             f, mb, n, bad, s, n / s, rss / 1024 }'
    tail -1 "$db.out" 2>/dev/null || true
  done
done
