#!/usr/bin/env bash
# The release binaries on their platforms: mingcha.exe under Wine, the
# arm64 binary under qemu-user-static, the amd64 one natively.
#   scripts/platforms-e2e.sh LINUX_AMD64_BIN LINUX_ARM64_BIN [WINDOWS_EXE]
# (without WINDOWS_EXE only the two Linux binaries)
# - each: version (FyneApp.toml's), demo, list, export of a signed
#   inspection to PDF;
# - every PDF verifies on every platform (3 x 3);
# - Windows: Chinese folder and file names, check, backup, damage → check
#   fails → restore → check passes; the window opens under Xvfb (language
#   chosen in the settings, LANG English), a second process is refused
#   the open database, the window closes cleanly on WM_CLOSE, and its
#   screenshot is compared with the same screen drawn by the Linux binary
#   and its Chinese labels are read back by OCR (tesseract chi_sim).
# E2E_KEEP=DIR keeps the two screenshots there.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/xvfb.sh"
linux=$(realpath "$1") arm=$(realpath "$2") exe=${3:+$(realpath "$3")}
platforms="lin arm"
if [ -n "$exe" ]; then
  platforms="lin win arm"
  . "$here/wine/env.sh"
  "$here/wine/prefix.sh"
fi
work=$(mktemp -d)
XVFB_PID="" APP_PID=""
trap 'kill $XVFB_PID $APP_PID 2>/dev/null || true; [ -z "$exe" ] || wineserver -k 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$work"
say() { echo "platforms-e2e: $*"; }
die() { echo "platforms-e2e: FAIL: $*" >&2; exit 1; }
lin() { "$linux" "$@"; }
win() { wine "$exe" "$@"; }
arm() { qemu-aarch64-static "$arm" "$@"; }
export LANG=C.UTF-8

# 1. version, demo and export on each platform, in a Chinese-named folder.
version=$("$here/fyneapp.sh" Version)
for p in $platforms; do
  v=$($p version | tr -d '\r') || die "$p version"
  [[ $v == *" $version "* ]] || die "$p version says $v, FyneApp.toml $version"
  mkdir -p "$p-数据"
  $p demo --db "$p-数据/演示.db" >/dev/null || die "$p demo"
  id=$($p list --db "$p-数据/演示.db" --status signed --json | tr -d '\r' | jq -r '.[0].id')
  [ -n "$id" ] && [ "$id" != null ] || die "$p list found no signed inspection"
  $p export --db "$p-数据/演示.db" "$id" -o "$p-报告.pdf" >/dev/null || die "$p export $id"
  say "$p: $v; demo, list, export $id ($(stat -c %s "$p-报告.pdf") bytes)"
done
# 2. every report verifies everywhere.
n=0
for v in $platforms; do
  for p in $platforms; do
    out=$($v verify "$p-报告.pdf" | tr -d '\r') || die "$v verify $p-报告.pdf: $out"
    case $out in *valid*) ;; *) die "$v verify $p-报告.pdf said: $out" ;; esac
    n=$((n + 1))
  done
done
say "$n of $n cross-platform verifications valid ($platforms)"
[ -n "$exe" ] || { say "OK (no Windows program given)"; exit 0; }

# 3. Windows: check, backup, damage, restore.
db="win-数据/演示.db"
win check --db "$db" >/dev/null || die "win check"
win backup --db "$db" >/dev/null || die "win backup"
python3 - "$db" <<'PY'
import sys
with open(sys.argv[1], "r+b") as f:   # both meta pages of the bbolt file
    f.write(b"\0" * 8192)
PY
if win check --db "$db" >/dev/null 2>&1; then die "win check passed on a damaged file"; fi
win restore --db "$db" >/dev/null || die "win restore"
win check --db "$db" >/dev/null || die "win check after restore"
say "win: check, backup, damaged file refused, restore, check"

# 4. Windows window under Xvfb, the lock, a clean close; the same screen
#    from the Linux binary for comparison.
start_xvfb 1280x800x24 || die "Xvfb"
# The language from the settings (Fyne's preferences), not from LANG:
# Windows ignores LANG, so this is the path a Windows user takes. LANG
# stays C.UTF-8 (English): Wine converts file names and the window title
# through the Unix locale's charset, and a locale that is not installed
# (en_US.UTF-8 on a fresh Debian) makes that ASCII, so 明察 and the
# Chinese paths would be lost before the program sees them.
appdata=$(winepath -u "$(wine cmd /c echo %APPDATA% | tr -d '\r')")
mkdir -p "$appdata/fyne/cn.mingcha.desktop" home/.config/fyne/cn.mingcha.desktop
echo '{"language":"zh","theme":"light"}' >"$appdata/fyne/cn.mingcha.desktop/preferences.json"
echo '{"language":"zh","theme":"light"}' >home/.config/fyne/cn.mingcha.desktop/preferences.json
# Not called in $(…): APP_PID must reach the shell that waits for it.
window() { # command... ; waits for the window named 明察, sets WIN to its id
  "$@" >app.log 2>&1 &
  APP_PID=$!
  for _ in $(seq 600); do
    WIN=$(xdotool search --onlyvisible --name '^明察$' 2>/dev/null | head -1 || true)
    [ -n "$WIN" ] && return
    kill -0 $APP_PID 2>/dev/null || { cat app.log >&2; die "the program exited before its window showed"; }
    sleep 0.1
  done
  cat app.log >&2; die "no window named 明察 within 60 s"
}
settle() { # waits until two screenshots a second apart are equal
  local prev="" cur
  for i in $(seq 30); do
    sleep 1
    import -window "$1" "$2"
    cur=$(md5sum <"$2")
    [ "$cur" = "$prev" ] && return
    prev=$cur
  done
}
FYNE_SCALE=1 LANG=C.UTF-8 window wine "$exe" --db "$db"
say "win: window $WIN titled $(xdotool getwindowname "$WIN")"
if out=$(win check --db "$db" 2>&1); then die "a second process opened the database the window holds"; fi
case $out in *"already open"*|*"已"*) ;; *) die "second process: unexpected message: $out" ;; esac
say "win: second process refused: $(echo "$out" | tr -d '\r' | head -1)"
settle "$WIN" win.png
# taskkill without /f posts WM_CLOSE to the program's windows. By image
# name: Wine 8's tasklist prints nothing, so there is no pid to give it.
wine taskkill /im mingcha.exe >/dev/null 2>&1 || die "taskkill (WM_CLOSE) failed"
for _ in $(seq 300); do kill -0 $APP_PID 2>/dev/null || break; sleep 0.1; done
kill -0 $APP_PID 2>/dev/null && die "the window did not close on WM_CLOSE"
wait $APP_PID || die "mingcha.exe exited with $? after WM_CLOSE"
APP_PID=""
[ -f "$db.closed" ] || { cat app.log; die "win: the database was not closed cleanly"; }
say "win: closed on WM_CLOSE, database closed cleanly"
cp "$db" lin-same.db   # the same data for the Linux reference
HOME=$PWD/home XDG_CONFIG_HOME=$PWD/home/.config FYNE_SCALE=1 LANG=C.UTF-8 window "$linux" --db lin-same.db
settle "$WIN" lin.png
kill -TERM $APP_PID; wait $APP_PID || true; APP_PID=""
# What this proves: the Windows build draws the window the Linux build
# draws — the same Chinese labels at the same places in the same fonts
# (Fyne renders text itself from the bundled fonts) — with the language
# taken from the settings: two different Chinese strings of the same
# length would differ in many pixels and fail. Step 5 reads the text.
wsize=$(identify -format '%wx%h' win.png) lsize=$(identify -format '%wx%h' lin.png)
[ "$wsize" = "$lsize" ] || die "window sizes differ: Windows $wsize, Linux $lsize"
diff=$(compare -metric AE -fuzz 8% win.png lin.png null: 2>&1 || true)
total=$(( ${wsize%x*} * ${wsize#*x} ))
say "win: screenshot $wsize, $diff of $total pixels differ from the Linux window (fuzz 8%)"
[ "$diff" -lt $(( total / 100 )) ] || {
  cp win.png lin.png "${E2E_KEEP:-/tmp}/" 2>/dev/null || true
  die "the Windows window differs from the Linux one in $diff pixels (kept in ${E2E_KEEP:-/tmp})"; }
# 5. The Windows window's text read back by OCR (tesseract, chi_sim): the
#    Chinese labels are there as text a person can read, not only as
#    pixels equal to the Linux window's (which would pass if both showed
#    the same wrong glyphs). Scaled up twice: tesseract reads 14 px CJK
#    text poorly. The labels wanted are the home screen's navigation and
#    button, taken from the zh-Hans translations (so a new wording does not
#    break this), and a screenful of Chinese characters.
convert win.png -resize 200% -colorspace Gray win-ocr.png
text=$(tesseract win-ocr.png - -l chi_sim --psm 3 2>/dev/null | tr -d ' \n')
zh=$(dirname "$here")/assets/translations/zh-Hans.json
found=""
for key in Inspections Units Templates Settings "Efficiency office" "New inspection"; do
  want=$(jq -r --arg k "$key" '.[$k]' "$zh")
  [[ $text == *"$want"* ]] || die "OCR of the Windows window does not find $want ($key); it read: $text"
  found="$found $want"
done
han=$(grep -oP '\p{Han}' <<<"$text" | wc -l)
[ "$han" -ge 150 ] || die "OCR of the Windows window read $han Chinese characters, want 150 or more: $text"
say "win: OCR of the window reads its labels$found and $han Chinese characters"
[ -z "${E2E_KEEP:-}" ] || cp win.png lin.png "$E2E_KEEP/"
say "OK"
