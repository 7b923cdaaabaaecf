#!/usr/bin/env bash
# The Windows release artefacts, made of one staged folder:
#   Mingcha-<version>-windows-x64.zip        unzip and run
#   Mingcha-<version>-windows-x64-setup.exe  NSIS installer (packaging/windows/mingcha.nsi)
# Both hold mingcha.exe (icon and version resource inside), the icon file,
# the Chinese README and the embedded fonts' licences. Names in the zip
# are ASCII: Explorer's zip reader decodes names in the OEM code page on
# older Windows 10.
#   [MINGCHA_VERSION=X.Y.Z] scripts/windows-dist.sh MINGCHA.EXE OUTDIR
set -euo pipefail
exe=${1:?usage: windows-dist.sh EXE OUTDIR} outdir=${2:?}
root=$(cd "$(dirname "$0")/.." && pwd)
app() { "$root/scripts/fyneapp.sh" "$1"; }
# MINGCHA_VERSION names the artefacts another version (check-setup.sh makes
# an "older" installer of the same files to install over).
version=${MINGCHA_VERSION:-$(app Version)} build=$(app Build) name=$(app Name) id=$(app ID)
IFS=. read -r major minor patch <<<"$version"
base=$name-$version-windows-x64
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stage=$work/$base
mkdir -p "$stage/licenses" "$outdir"
outdir=$(realpath "$outdir")
cp "$exe" "$stage/mingcha.exe"
convert "$root/$(app Icon)" -define icon:auto-resize=256,64,48,32,16 "$stage/mingcha.ico"
# UTF-8 with a byte order mark and CRLF, so that every Notepad shows it.
{ printf '\xef\xbb\xbf'; sed 's/$/\r/' "$root/packaging/README.zh-CN.md"; } >"$stage/README.zh-CN.txt"
for f in "$root"/assets/fonts/LICENSE-*.txt; do sed 's/$/\r/' "$f" >"$stage/licenses/$(basename "$f")"; done

zip=$outdir/$base.zip
rm -f "$zip"
(cd "$work" && TZ=UTC zip -qrX "$zip" "$base")
echo "$zip"

# The installer installs and removes exactly the staged files: one line
# per file, written here so that the list cannot drift from the zip's.
win() { printf '%s' "${1//\//\\}"; } # relative path with backslashes
(cd "$stage" && find . -type d ! -name . | sort) | sed 's|^\./||' >"$work/dirs"
(cd "$stage" && find . -type f | sort) | sed 's|^\./||' >"$work/files"
{
  echo "SetOutPath \"\$INSTDIR\""
  while read -r f; do [[ $f == */* ]] || echo "File \"$stage/$f\""; done <"$work/files"
  while read -r d; do
    echo "SetOutPath \"\$INSTDIR\\$(win "$d")\""
    while read -r f; do [ "$(dirname "$f")" = "$d" ] && echo "File \"$stage/$f\""; done <"$work/files"
  done <"$work/dirs"
} >"$work/files.nsh"
{
  while read -r f; do echo "Delete \"\$INSTDIR\\$(win "$f")\""; done <"$work/files"
  sort -r "$work/dirs" | while read -r d; do echo "RMDir \"\$INSTDIR\\$(win "$d")\""; done
} >"$work/unfiles.nsh"
setup=$outdir/$base-setup.exe
makensis -V2 -INPUTCHARSET UTF8 -DNAME="$name" -DID="$id" -DVERSION="$version" -DBUILD="$build" \
  -DMAJOR="$major" -DMINOR="$minor" -DPATCH="${patch:-0}" -DSTAGE="$stage" \
  -DFILES="$work/files.nsh" -DUNFILES="$work/unfiles.nsh" -DOUTFILE="$setup" \
  "$root/packaging/windows/mingcha.nsi" >"$work/makensis.log" ||
  { cat "$work/makensis.log"; echo "windows-dist.sh: makensis failed" >&2; exit 1; }
echo "$setup"
