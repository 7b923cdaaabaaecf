#!/usr/bin/env bash
# Mingcha-<version>-windows-x64.zip: mingcha.exe (icon and version resource
# inside), the icon file, the Chinese README and the embedded fonts'
# licences. Names in the zip are ASCII: Explorer's zip reader decodes
# names in the OEM code page on older Windows 10.
#   scripts/windows-zip.sh MINGCHA.EXE OUTDIR
set -euo pipefail
exe=${1:?usage: windows-zip.sh EXE OUTDIR} outdir=${2:?}
root=$(cd "$(dirname "$0")/.." && pwd)
version=$("$root/scripts/fyneapp.sh" Version)
name=Mingcha-$version-windows-x64
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/$name/licenses" "$outdir"
cp "$exe" "$work/$name/mingcha.exe"
convert "$root/$("$root/scripts/fyneapp.sh" Icon)" -define icon:auto-resize=256,64,48,32,16 "$work/$name/mingcha.ico"
# UTF-8 with a byte order mark and CRLF, so that every Notepad shows it.
{ printf '\xef\xbb\xbf'; sed 's/$/\r/' "$root/packaging/README.zh-CN.md"; } >"$work/$name/README.zh-CN.txt"
for f in "$root"/assets/fonts/LICENSE-*.txt; do sed 's/$/\r/' "$f" >"$work/$name/licenses/$(basename "$f")"; done
out=$(realpath "$outdir")/$name.zip
rm -f "$out"
(cd "$work" && TZ=UTC zip -qrX "$out" "$name")
echo "$out"
