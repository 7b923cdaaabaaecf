#!/usr/bin/env bash
# Cold start of the real window on a large database, measured the way
# scripts/smoke.sh does it: from starting the process to its window being
# mapped (xdotool), under Xvfb; the median of RUNS runs. The window shows
# "opening the database" while the store opens in the background, so each
# run also reports when the first real screen (the home list) was shown
# (the program logs it with MINGCHA_TRACE_STARTUP=1), and the peak memory
# (/usr/bin/time -v "Maximum resident set size").
#
#   bench/coldstart.sh [BIN] [DB]
#
# DB (default /tmp/mingcha-bench.db) is made with
# `mingcha demo --inspections $INSPECTIONS` (default 10000) when missing.
# Before each run the page cache is dropped when that is allowed (root), so
# the database is read from disk; DROP_CACHES=0 measures warm starts.
# Every run starts with an empty preferences folder: the home list, not a
# remembered screen. The warm-up run leaves the database closed cleanly, so
# the measured runs skip the full consistency check at open (a run after a
# crash would not); the store backs up at open only when the file changed.
set -euo pipefail
BIN=$(realpath "${1:-bin/mingcha}")
DB=$(realpath -m "${2:-/tmp/mingcha-bench.db}")
RUNS=${RUNS:-5}
INSPECTIONS=${INSPECTIONS:-10000}
DROP_CACHES=${DROP_CACHES:-1}
. "$(dirname "$0")/../scripts/xvfb.sh"

WORK=$(mktemp -d)
XVFB_PID=""
APP_PID=""
trap 'kill $APP_PID $XVFB_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT

if [ ! -s "$DB" ]; then
  echo "coldstart: creating $DB with $INSPECTIONS inspections…"
  t0=$(date +%s)
  "$BIN" demo --db "$DB" --inspections "$INSPECTIONS" >/dev/null 2>&1
  echo "coldstart: demo took $(( $(date +%s) - t0 )) s"
fi
echo "coldstart: $DB, $(du -h "$DB" | cut -f1), $("$BIN" list --db "$DB" --json 2>/dev/null | grep -o '"id":' | wc -l) inspections"

start_xvfb 1280x800x24

drop_caches() {
  [ "$DROP_CACHES" = 1 ] || return 0
  sync
  if ! { echo 3 >/proc/sys/vm/drop_caches; } 2>/dev/null; then
    echo "coldstart: cannot drop the page cache (not root?): warm starts"
    DROP_CACHES=0
  fi
}

# Run 0 is not counted: it runs pending schema migrations (a database made
# by an older build) and absorbs anything else that happens only once.
times=()
readies=()
for run in $(seq 0 "$RUNS"); do
  export HOME="$WORK/home$run" XDG_CONFIG_HOME="$WORK/config$run"
  mkdir -p "$HOME"
  drop_caches
  start=$(date +%s%N)
  LANG=zh_CN.UTF-8 MINGCHA_TRACE_STARTUP=1 /usr/bin/time -v -o "$WORK/time$run" "$BIN" --db "$DB" >"$WORK/app$run.log" 2>&1 &
  TIME_PID=$!
  APP_PID=""
  WIN=""
  while [ -z "$WIN" ]; do
    # time(1) does not pass signals on: find mingcha, its child.
    [ -n "$APP_PID" ] || APP_PID=$(pgrep -P $TIME_PID || true)
    [ -n "$APP_PID" ] && WIN=$(xdotool search --onlyvisible --pid "$APP_PID" --name '明察|Mingcha' 2>/dev/null | head -1 || true)
    [ -n "$WIN" ] && break
    kill -0 $TIME_PID 2>/dev/null || { echo "coldstart: mingcha exited"; cat "$WORK/app$run.log"; exit 1; }
    [ $(( ($(date +%s%N) - start) / 1000000000 )) -lt 120 ] || { echo "coldstart: no window in 120 s"; exit 1; }
    sleep 0.02
  done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  ready=""
  while [ -z "$ready" ]; do
    ready=$(sed -n 's/.*first screen shown at unix_ns=\([0-9]*\).*/\1/p' "$WORK/app$run.log")
    [ -n "$ready" ] && break
    kill -0 $TIME_PID 2>/dev/null || { echo "coldstart: mingcha exited"; cat "$WORK/app$run.log"; exit 1; }
    [ $(( ($(date +%s%N) - start) / 1000000000 )) -lt 300 ] || { echo "coldstart: no home list in 300 s"; exit 1; }
    sleep 0.02
  done
  ready_ms=$(( (ready - start) / 1000000 ))
  if [ "$run" -gt 0 ]; then times+=("$ms"); readies+=("$ready_ms"); fi
  sleep 3 # let it paint
  # Resident memory now, split: the heap (anon) and bbolt's memory-mapped
  # file (file pages count as resident once read).
  mem=$(awk '/^RssAnon|^RssFile/ {printf "%s %d MB  ", $1, $2/1024}' "/proc/$APP_PID/status")
  stop=$(date +%s%N)
  kill -TERM $APP_PID
  wait $TIME_PID || true # closing waits for the backup made at open
  echo "coldstart: run $run: exit took $(( ($(date +%s%N) - stop) / 1000000 )) ms after SIGTERM"
  APP_PID=""
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time$run")
  echo "coldstart: run $run$([ "$run" = 0 ] && echo ' (warm-up, not counted)'): window after $ms ms, home list after $ready_ms ms, peak RSS $(( rss / 1024 )) MB (3 s after the home list: $mem)"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "coldstart: median of $RUNS: window $(median "${times[@]}") ms, home list $(median "${readies[@]}") ms (page cache dropped: $([ "$DROP_CACHES" = 1 ] && echo yes || echo no))"
