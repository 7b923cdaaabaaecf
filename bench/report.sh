#!/usr/bin/env bash
# Report export benchmark (not part of make test):
#   bench/report.sh [WORKDIR]
# A 60-item inspection with 20 failed items, each with a 12-megapixel JPEG
# (about 4.4 MB) attached through the store, so the report-size copies are
# derived as in the app. Measures `mingcha export` (render + sign + write,
# as a user runs it: a new process each time), median of 5, and the file
# size; then the text-only report (--no-photos); then the same content as an
# HTML page printed to PDF by headless Chromium (apt-get install chromium),
# median of 5. Targets: export ≤ 1 s and ≤ 5 MB, text-only ≤ 100 KB.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/usr/local/go/bin:$PATH
WORK=${1:-${TMPDIR:-/tmp}/mingcha-bench}
RUNS=${RUNS:-5}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

go build -o bin/mingcha ./cmd/mingcha
ID=$(go run ./bench/reportbench -dir "$WORK" | tail -1)
DB=$WORK/db/bench.db
export MINGCHA_PASSPHRASE=bench-passphrase
export LANG=C.UTF-8

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
size() { stat -c %s "$1"; }

# Warm-up: creates the signing key and fills the page cache.
./bin/mingcha export --db "$DB" "$ID" -o "$WORK/warm.pdf" >/dev/null 2>&1

times=() inproc=()
for i in $(seq "$RUNS"); do
  t0=$(now)
  out=$(./bin/mingcha export --db "$DB" "$ID" -o "$WORK/mingcha.pdf" 2>/dev/null)
  times+=("$(echo "$(now) - $t0" | bc)")
  inproc+=("$(echo "$out" | sed -n 's/.*, \([0-9.]*\)s$/\1/p')")
done
M_TIME=$(printf '%s\n' "${times[@]}" | median)
M_INPROC=$(printf '%s\n' "${inproc[@]}" | median)
M_SIZE=$(size "$WORK/mingcha.pdf")
./bin/mingcha verify "$WORK/mingcha.pdf" >"$WORK/verify.out" 2>/dev/null || { cat "$WORK/verify.out"; exit 1; }
PAGES=$(pdfinfo "$WORK/mingcha.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')

ttimes=()
for i in $(seq "$RUNS"); do
  t0=$(now)
  ./bin/mingcha export --db "$DB" "$ID" --no-photos -o "$WORK/mingcha-text.pdf" >/dev/null 2>&1
  ttimes+=("$(echo "$(now) - $t0" | bc)")
done
T_TIME=$(printf '%s\n' "${ttimes[@]}" | median)
T_SIZE=$(size "$WORK/mingcha-text.pdf")

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
# chromium_pdf HTML OUT: median seconds of $RUNS prints, each in a new profile.
chromium_pdf() {
  local ts=()
  for i in $(seq "$RUNS"); do
    prof=$(mktemp -d)
    t0=$(now)
    "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
      --disable-background-networking --disable-component-update --disable-sync \
      --user-data-dir="$prof" --no-pdf-header-footer --print-to-pdf="$2" \
      "file://$1" >/dev/null 2>&1
    ts+=("$(echo "$(now) - $t0" | bc)")
    rm -rf "$prof"
  done
  printf '%s\n' "${ts[@]}" | median
}
if [ -n "$CHROMIUM" ]; then
  C_TIME=$(chromium_pdf "$WORK/report.html" "$WORK/chromium.pdf")
  C_SIZE=$(size "$WORK/chromium.pdf")
  C_PAGES=$(pdfinfo "$WORK/chromium.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
  CT_TIME=$(chromium_pdf "$WORK/report-text.html" "$WORK/chromium-text.pdf")
  CT_SIZE=$(size "$WORK/chromium-text.pdf")
fi

mb() { echo "scale=2; $1 / 1000000" | bc; }
kb() { echo "scale=1; $1 / 1000" | bc; }
echo
echo "60 items, 20 photos of 4000×3000 px; median of $RUNS runs on $(nproc) CPUs"
printf '%-34s %8s  %10s  %s\n' "" "time s" "size" "pages"
printf '%-34s %8.3f  %7s MB  %s\n' "mingcha export (signed)" "$M_TIME" "$(mb "$M_SIZE")" "$PAGES"
printf '%-34s %8.3f  %7s KB\n' "mingcha export --no-photos" "$T_TIME" "$(kb "$T_SIZE")"
if [ -n "$CHROMIUM" ]; then
  printf '%-34s %8.3f  %7s MB  %s\n' "chromium --print-to-pdf (HTML)" "$C_TIME" "$(mb "$C_SIZE")" "$C_PAGES"
  printf '%-34s %8.3f  %7s KB\n' "chromium, the page without photos" "$CT_TIME" "$(kb "$CT_SIZE")"
  echo "chromium / mingcha with photos: time $(echo "scale=1; $C_TIME / $M_TIME" | bc)×, size $(echo "scale=1; $C_SIZE / $M_SIZE" | bc)×"
  echo "chromium / mingcha text only:   time $(echo "scale=1; $CT_TIME / $T_TIME" | bc)×, size $(echo "scale=1; $CT_SIZE / $T_SIZE" | bc)×"
else
  echo "chromium is not installed (apt-get install chromium): HTML comparison skipped"
fi
echo "mingcha export, in-process part (open, render, sign, write): ${M_INPROC}s; the rest is process start"
echo "files: $WORK/{mingcha,mingcha-text,chromium,chromium-text}.pdf"
fail=0
awk "BEGIN {exit !($M_TIME > 1.0)}" && { echo "over target: export takes more than 1 s"; fail=1; }
[ "$M_SIZE" -gt 5000000 ] && { echo "over target: report larger than 5 MB"; fail=1; }
[ "$T_SIZE" -gt 100000 ] && { echo "over target: text-only report larger than 100 KB"; fail=1; }
exit $fail
