#!/usr/bin/env bash
# Regenerates docs/screenshots: the headless renderer's home, walk, review
# and signature screens, and the real window under Xvfb.
set -euo pipefail
BIN=${1:-bin/mingcha}
mkdir -p docs/screenshots
MINGCHA_SCREENSHOTS="$PWD/docs/screenshots" CGO_ENABLED=0 go test -count=1 ./app -run '^TestScreenshots$'
SMOKE_SHOT="$PWD/docs/screenshots/window-xvfb.png" ./scripts/smoke.sh "$BIN"
ls -l docs/screenshots
