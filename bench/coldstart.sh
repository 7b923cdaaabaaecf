#!/usr/bin/env bash
# Cold start of the real window on a large database, measured the way
# scripts/smoke.sh does it: from starting the process to its window being
# mapped (xdotool), under Xvfb; the median of RUNS runs. Each run also
# reports the peak memory (/usr/bin/time -v "Maximum resident set size").
#
#   bench/coldstart.sh [BIN] [DB]
#
# DB (default /tmp/mingcha-bench.db) is made with
# `mingcha demo --inspections $INSPECTIONS` (default 10000) when missing.
# Before each run the page cache is dropped when that is allowed (root), so
# the database is read from disk; DROP_CACHES=0 measures warm starts.
# Every run starts with an empty preferences folder: the home list, not a
# remembered screen.
set -euo pipefail
BIN=$(realpath "${1:-bin/mingcha}")
DB=$(realpath -m "${2:-/tmp/mingcha-bench.db}")
RUNS=${RUNS:-5}
INSPECTIONS=${INSPECTIONS:-10000}
DROP_CACHES=${DROP_CACHES:-1}
DISPLAY_NUM=${BENCH_DISPLAY:-96}

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

Xvfb ":$DISPLAY_NUM" -screen 0 1280x800x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
XVFB_PID=$!
export DISPLAY=":$DISPLAY_NUM"
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done

drop_caches() {
  [ "$DROP_CACHES" = 1 ] || return 0
  sync
  if ! { echo 3 >/proc/sys/vm/drop_caches; } 2>/dev/null; then
    echo "coldstart: cannot drop the page cache (not root?): warm starts"
    DROP_CACHES=0
  fi
}

times=()
for run in $(seq "$RUNS"); do
  export HOME="$WORK/home$run" XDG_CONFIG_HOME="$WORK/config$run"
  mkdir -p "$HOME"
  drop_caches
  start=$(date +%s%N)
  LANG=zh_CN.UTF-8 /usr/bin/time -v -o "$WORK/time$run" "$BIN" --db "$DB" >"$WORK/app$run.log" 2>&1 &
  APP_PID=$!
  WIN=""
  while [ -z "$WIN" ]; do
    WIN=$(xdotool search --onlyvisible --name '明察|Mingcha' 2>/dev/null | head -1 || true)
    [ -n "$WIN" ] && break
    kill -0 $APP_PID 2>/dev/null || { echo "coldstart: mingcha exited"; cat "$WORK/app$run.log"; exit 1; }
    [ $(( ($(date +%s%N) - start) / 1000000000 )) -lt 120 ] || { echo "coldstart: no window in 120 s"; exit 1; }
    sleep 0.02
  done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  times+=("$ms")
  sleep 3 # let it paint and finish what it starts at open (the backup)
  kill -TERM $APP_PID
  wait $APP_PID || true
  APP_PID=""
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time$run")
  echo "coldstart: run $run: window after $ms ms, peak RSS $(( rss / 1024 )) MB"
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "coldstart: median of $RUNS: $median ms (page cache dropped: $([ "$DROP_CACHES" = 1 ] && echo yes || echo no))"
