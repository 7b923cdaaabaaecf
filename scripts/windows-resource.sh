#!/usr/bin/env bash
# Writes the Windows resource of mingcha.exe (icon and version information,
# from FyneApp.toml) as a .syso object that go build links into the
# windows/amd64 program: scripts/windows-resource.sh OUT.syso
set -euo pipefail
out=${1:?usage: windows-resource.sh OUT.syso}
root=$(cd "$(dirname "$0")/.." && pwd)
app() { "$root/scripts/fyneapp.sh" "$1"; }
version=$(app Version) build=$(app Build)
IFS=. read -r major minor patch <<<"$version"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
convert "$root/$(app Icon)" -define icon:auto-resize=256,64,48,32,16 "$work/mingcha.ico"
sed -e "s/@MAJOR@/$major/g; s/@MINOR@/$minor/g; s/@PATCH@/${patch:-0}/g; s/@BUILD@/$build/g" \
  -e "s/@VERSION@/$version/g; s/@NAME@/$(app Name)/g; s/@ID@/$(app ID)/g" \
  "$root/packaging/windows/mingcha.rc.in" >"$work/mingcha.rc"
cp "$root/packaging/windows/mingcha.manifest" "$work/"
# -c 65001: the .rc is UTF-8 (明察 in the version strings).
(cd "$work" && x86_64-w64-mingw32-windres -c 65001 -O coff -i mingcha.rc -o mingcha.syso)
mv "$work/mingcha.syso" "$out"
