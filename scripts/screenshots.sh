#!/usr/bin/env bash
# Regenerates docs/screenshots (make screenshots): every screen from the
# headless renderer (app.TestScreenshots: home, walk, review, signature,
# units, templates, template faults, settings; app.TestOfficeScreenshots:
# the 效能办 screens), and the real window under Xvfb on a demo database
# (scripts/smoke.sh with SMOKE_SHOT), cut to the window.
# SCREENSHOTS=office regenerates only the 效能办 screens (headless, no
# binary or Xvfb needed): MINGCHA_SCREENSHOTS=docs/screenshots through
# app.TestOfficeScreenshots.
set -euo pipefail
BIN=${1:-bin/mingcha}
OUT="$PWD/docs/screenshots"
mkdir -p "$OUT"
if [ "${SCREENSHOTS:-}" = office ]; then
  MINGCHA_SCREENSHOTS="$OUT" CGO_ENABLED=0 go test -count=1 -timeout 30m ./app -run '^TestOfficeScreenshots$'
  for f in "$OUT"/office-*.png; do
    printf '%s %s\n' "$(identify -format '%wx%h' "$f")" "${f#"$PWD"/}"
  done
  exit 0
fi
MINGCHA_SCREENSHOTS="$OUT" CGO_ENABLED=0 go test -count=1 ./app -run '^Test(Office|FieldWalk)?Screenshots$'
MINGCHA_SCREENSHOTS="$OUT" go test -count=1 ./report -run '^TestFieldWalkContent$'
SMOKE_SHOT="$OUT/window-xvfb.png" ./scripts/smoke.sh "$BIN"
# Xvfb's screen is larger than the window: trim the empty (black) margin.
convert "$OUT/window-xvfb.png" -bordercolor black -border 1 -trim +repage "$OUT/window-xvfb.png"
for f in "$OUT"/*.png; do
  printf '%s %s\n' "$(identify -format '%wx%h' "$f")" "${f#"$PWD"/}"
done
