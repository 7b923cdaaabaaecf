#!/usr/bin/env bash
# Smoke test of the real program: start it under Xvfb on a demo database,
# wait for its window, take a screenshot, check it is not blank, close it
# with SIGTERM and expect a clean exit.
set -euo pipefail
BIN=$(realpath "${1:-bin/mingcha}")
WORK=$(mktemp -d)
trap 'kill $XVFB_PID $APP_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
APP_PID="" XVFB_PID=""
. "$(dirname "$0")/xvfb.sh"
export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/config"
mkdir -p "$HOME"
"$BIN" demo --db "$WORK/demo.db" >/dev/null
start_xvfb 1280x800x24
start=$(date +%s%N)
LANG=zh_CN.UTF-8 "$BIN" --db "$WORK/demo.db" >"$WORK/app.log" 2>&1 &
APP_PID=$!
WIN=""
for _ in $(seq 300); do
  WIN=$(xdotool search --onlyvisible --name '明察|Mingcha' 2>/dev/null | head -1 || true)
  [ -n "$WIN" ] && break
  kill -0 $APP_PID 2>/dev/null || { echo "smoke: mingcha exited early"; cat "$WORK/app.log"; exit 1; }
  sleep 0.1
done
[ -n "$WIN" ] || { echo "smoke: no window within 30 s"; cat "$WORK/app.log"; exit 1; }
echo "smoke: window $WIN after $(( ($(date +%s%N) - start) / 1000000 )) ms"
sleep 2 # let it paint
SHOT=${SMOKE_SHOT:-$WORK/shot.png}
import -window root "$SHOT"
colors=$(convert "$SHOT" -format '%k' info:)
echo "smoke: screenshot has $colors colours"
[ "$colors" -gt 20 ] || { echo "smoke: screenshot is blank"; exit 1; }
kill -TERM $APP_PID
for _ in $(seq 100); do kill -0 $APP_PID 2>/dev/null || break; sleep 0.1; done
if kill -0 $APP_PID 2>/dev/null; then echo "smoke: mingcha did not exit on SIGTERM"; exit 1; fi
wait $APP_PID && rc=0 || rc=$?
APP_PID=""
[ $rc -eq 0 ] || { echo "smoke: exit code $rc"; cat "$WORK/app.log"; exit 1; }
if grep -q -e '^panic:' -e 'Error in Fyne call thread' "$WORK/app.log"; then
  echo "smoke: the program panicked or misused Fyne while closing"; cat "$WORK/app.log"; exit 1
fi
# A clean close leaves the marker that spares the next start a full check.
[ -f "$WORK/demo.db.closed" ] || { echo "smoke: the database was not closed cleanly"; cat "$WORK/app.log"; exit 1; }
"$BIN" check --db "$WORK/demo.db"
echo "smoke: OK"
