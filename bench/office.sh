#!/usr/bin/env bash
# 效能办 benchmark (not part of make test):
#   bench/office.sh [WORKDIR]
# 1. Import: 500 signed reports (combined template, 43 items, text only)
#    from two… four inspectors issued by one office CA, imported with
#    `mingcha office import --ca` into a fresh database, as a user runs it:
#    every file verified (signature, byte range, CA, embedded data) and
#    stored in its own durable transaction. Median of RUNS.
# 2. Overview: a database of 5,000 imported reports (500 units, ten visits
#    each through the year); `mingcha office overview --period 2026` with the
#    comparison with 2025, median of RUNS, and the in-process time it reports.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/usr/local/go/bin:$PATH
WORK=${1:-${TMPDIR:-/tmp}/mingcha-office-bench}
RUNS=${RUNS:-3}
N=${N:-500}
REPORTS=${REPORTS:-5000}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
export LANG=C.UTF-8

go build -o bin/mingcha ./cmd/mingcha
if [ ! -d "$WORK/pdfs" ] || [ "$(ls "$WORK/pdfs" | wc -l)" != "$N" ]; then
  rm -rf "$WORK/pdfs"
  echo "writing $N signed reports…"
  go run ./bench/officebench -pdfs "$WORK/pdfs" -n "$N"
fi
if [ ! -f "$WORK/overview.db" ]; then
  echo "filling a database with $REPORTS imported reports…"
  go run ./bench/officebench -db "$WORK/overview.db" -reports "$REPORTS"
fi

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

times=()
for i in $(seq "$RUNS"); do
  rm -rf "$WORK/import.db" "$WORK/import.db.reports" "$WORK/backups"
  t0=$(now)
  ./bin/mingcha office import --db "$WORK/import.db" --ca "$WORK/office-ca.pem" "$WORK/pdfs" > "$WORK/import.log"
  t1=$(now)
  times+=("$(echo "$t1 - $t0" | bc)")
  tail -1 "$WORK/import.log"
done
imp=$(printf '%s\n' "${times[@]}" | median)

# verify alone, of the same files: what an import cannot go below.
times=()
for i in $(seq "$RUNS"); do
  t0=$(now)
  ./bin/mingcha verify --ca "$WORK/office-ca.pem" "$WORK/pdfs"/*.pdf > /dev/null || true
  t1=$(now)
  times+=("$(echo "$t1 - $t0" | bc)")
done
ver=$(printf '%s\n' "${times[@]}" | median)

times=()
for i in $(seq "$RUNS"); do
  t0=$(now)
  ./bin/mingcha office overview --db "$WORK/overview.db" --period 2026 > /dev/null 2> "$WORK/overview.log"
  t1=$(now)
  times+=("$(echo "$t1 - $t0" | bc)")
done
ov=$(printf '%s\n' "${times[@]}" | median)

echo
echo "cores: $(nproc)"
printf 'import of %d reports:         %.2f s (median of %d), %.1f ms per report\n' "$N" "$imp" "$RUNS" "$(echo "$imp * 1000 / $N" | bc -l)"
printf 'verify of the same %d files:  %.2f s (median of %d); import/verify %.2f\n' "$N" "$ver" "$RUNS" "$(echo "$imp / $ver" | bc -l)"
printf 'overview of %d inspections:  %.2f s for the command (median of %d); %s\n' "$REPORTS" "$ov" "$RUNS" "$(tail -1 "$WORK/overview.log")"
