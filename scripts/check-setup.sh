#!/usr/bin/env bash
# The Windows installer under Wine, as an administrator would run it
# silently on a Chinese Windows: setup.exe /S installs to Program Files
# with the Start-menu entry 明察 and an entry in Settings → Apps; the
# installed mingcha.exe runs (version; demo into the default data
# folder, %LOCALAPPDATA%); the uninstaller from that entry removes every file, the entry and the
# registry keys, and leaves the database.
#   scripts/check-setup.sh DIST VERSION
set -euo pipefail
say() { echo "check-setup: $*"; }
die() { echo "check-setup: FAIL: $*"; exit 1; }
dist=$(realpath "${1:?usage: check-setup.sh DIST VERSION}") version=${2:?}
here=$(cd "$(dirname "$0")" && pwd)
name=$("$here/fyneapp.sh" Name) id=$("$here/fyneapp.sh" ID) build=$("$here/fyneapp.sh" Build)
. "$here/wine/env.sh"
"$here/wine/prefix.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# As on a Chinese Windows: Wine takes the user's language from the Unix
# locale, so zh_CN.UTF-8 is compiled into a folder of ours (LOCPATH; the
# machine's locales stay as they are), for the whole run.
mkdir -p "$work/locale"
localedef -i zh_CN -f UTF-8 "$work/locale/zh_CN.UTF-8" || die "localedef zh_CN.UTF-8 (package locales)"
export LOCPATH=$work/locale LANG=zh_CN.UTF-8 LC_ALL=""
setup=$dist/$name-$version-windows-x64-setup.exe
[ -f "$setup" ] || die "$setup is missing"
/usr/bin/python3 - "$setup" "$version" "$build" <<'PY'
import sys, pefile
path, version, build = sys.argv[1:]
pe = pefile.PE(path)
def fail(msg):
    print("check-setup: FAIL: setup.exe: " + msg); sys.exit(1)
if pe.FILE_HEADER.Machine != 0x8664: fail("not x86-64")
strings = {k.decode(): v.decode() for fi in pe.FileInfo for e in fi
           for st in getattr(e, "StringTable", []) for k, v in st.entries.items()}
if strings.get("ProductVersion") != version: fail("ProductVersion %r" % strings.get("ProductVersion"))
if strings.get("FileVersion") != version + "." + build: fail("FileVersion %r" % strings.get("FileVersion"))
if "明察" not in strings.get("ProductName", ""): fail("ProductName %r" % strings.get("ProductName"))
PY

c=$WINEPREFIX/drive_c
dir="$c/Program Files/$name"
lnk="$c/ProgramData/Microsoft/Windows/Start Menu/Programs/明察.lnk"
key="HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\$id"
data=$(winepath -u "$(wine cmd /c echo %LOCALAPPDATA% | tr -d '\r')")/fyne/$id
# A registry key as regedit exports it, in UTF-8 (UTF-16: reg query prints
# through the console code page, which turns 明察 into ??); fails when the
# key does not exist.
regexport() {
  rm -f "$work/export.reg"
  wine regedit /E "$(winepath -w "$work/export.reg")" "$1" >/dev/null 2>&1 || true
  [ -s "$work/export.reg" ] && iconv -f UTF-16 -t UTF-8 "$work/export.reg" | tr -d '\r'
}
# The uninstall entry.
entry() { regexport "HKEY_LOCAL_MACHINE${key#HKLM}"; }
# How many entries of Settings → Apps are named 明察 (all uninstall keys).
entries() {
  regexport 'HKEY_LOCAL_MACHINE\Software\Microsoft\Windows\CurrentVersion\Uninstall' |
    grep -cxF "\"DisplayName\"=\"明察 $name\""
}
rm -rf "$dir" "$lnk" "$data"
wine reg delete "$key" /f >/dev/null 2>&1 || true   # a failed run's

start=$(date +%s)
wine "$setup" /S || die "setup.exe /S exited with $?"
wineserver -w
say "installed in $(( $(date +%s) - start )) s: $(cd "$dir" && find . -type f | sort | tr '\n' ' ')"
for f in mingcha.exe mingcha.ico README.zh-CN.txt uninstall.exe licenses/LICENSE-wqy-microhei.txt; do
  [ -s "$dir/$f" ] || die "Program Files\\$name lacks $f"
done
cmp -s "$dir/mingcha.exe" <(unzip -p "$dist/$name-$version-windows-x64.zip" "$name-$version-windows-x64/mingcha.exe") ||
  die "the installed mingcha.exe is not the zip's"
[ -s "$lnk" ] || die "no Start-menu entry 明察.lnk"
# A shell link keeps its target as a (UTF-16 or ANSI) path string.
grep -qiF "C:\\Program Files\\$name\\mingcha.exe" <<<"$(strings -el "$lnk"; strings "$lnk")" ||
  die "明察.lnk does not point at Program Files\\$name\\mingcha.exe"
# The installer spoke Chinese: the link's description is the Chinese one.
/usr/bin/python3 -c 'import sys; sys.exit("机关服务效能明查暗访".encode("utf-16-le") not in open(sys.argv[1], "rb").read())' "$lnk" ||
  die "明察.lnk lacks the Chinese description: the installer did not pick Chinese on a Chinese system"
reg=$(entry) || die "no uninstall entry $key"
for want in "\"DisplayName\"=\"明察 $name\"" "\"DisplayVersion\"=\"$version\"" \
  '"UninstallString"="\"C:\\Program Files\\'"$name"'\\uninstall.exe\""' \
  '"QuietUninstallString"="\"C:\\Program Files\\'"$name"'\\uninstall.exe\" /S"'; do
  grep -qxF "$want" <<<"$reg" || die "uninstall entry lacks $want: $reg"
done
say "Start menu 明察.lnk (机关服务效能明查暗访) → Program Files\\$name\\mingcha.exe; Settings → Apps entry: $(sed -n 's/^"DisplayName"="\(.*\)"$/\1/p' <<<"$reg")"

exe="C:\\Program Files\\$name\\mingcha.exe"
out=$(wine "$exe" version | tr -d '\r') || die "installed mingcha.exe version: $out"
[ "${out%%（*}" = "明察 $version" ] || die "installed mingcha.exe version said: $out (want 明察 $version in Chinese)"
wine "$exe" demo >/dev/null || die "installed mingcha.exe demo (default data folder)"
[ -s "$data/mingcha.db" ] || die "demo wrote no database in %LOCALAPPDATA%\\fyne\\$id"
wine "$exe" check >/dev/null || die "installed mingcha.exe check"
say "installed mingcha.exe: $out; demo and check in %LOCALAPPDATA%\\fyne\\$id"

start=$(date +%s)
wine "C:\\Program Files\\$name\\uninstall.exe" /S || die "uninstall.exe /S exited with $?"
wineserver -w   # the uninstaller runs from a copy in %TEMP%
[ ! -e "$dir" ] || die "uninstall left $(cd "$dir" && find . | tr '\n' ' ')"
[ ! -e "$lnk" ] || die "uninstall left the Start-menu entry"
if entry >/dev/null; then die "uninstall left $key"; fi
[ -s "$data/mingcha.db" ] || die "uninstall removed the database"
say "uninstalled in $(( $(date +%s) - start )) s: no files, entry or keys left; the database stays"
rm -rf "$data"

# An upgrade into a folder of the administrator's choosing: an older
# version (the same files, installer and entry numbered 0.0.1) installed
# with /D= into a path with Chinese and a space and used (its database
# made); then this version's setup.exe /S without /D must find that folder
# (InstallDirRegKey), replace the program there, leave one uninstall entry
# naming the new version, and keep the database; its uninstaller empties
# the chosen folder.
old=0.0.1
unzip -p "$dist/$name-$version-windows-x64.zip" "$name-$version-windows-x64/mingcha.exe" >"$work/mingcha.exe"
MINGCHA_VERSION=$old "$here/windows-dist.sh" "$work/mingcha.exe" "$work/old" >/dev/null ||
  die "windows-dist.sh could not make the $old installer"
chosen='C:\明察 数据\Mingcha' cdir="$c/明察 数据/Mingcha"
rm -rf "$c/明察 数据"
# Through cmd as an administrator types it: /D= last and unquoted (NSIS
# takes the rest of the line); wine itself would quote the argument.
wine cmd /c "$(winepath -w "$work/old/$name-$old-windows-x64-setup.exe") /S /D=$chosen" ||
  die "the $old setup.exe /S /D=$chosen exited with $?"
wineserver -w
[ -s "$cdir/mingcha.exe" ] || die "/D=$chosen: nothing installed there"
[ ! -e "$dir" ] || die "/D=$chosen: installed into Program Files too"
grep -qxF "\"DisplayVersion\"=\"$old\"" <<<"$(entry)" || die "the $old install wrote no entry of $old"
wine "$chosen\\mingcha.exe" demo >/dev/null || die "mingcha.exe demo from $chosen"
[ -s "$data/mingcha.db" ] || die "the $old install made no database"
sum=$(sha256sum <"$data/mingcha.db")
printf 'stale' >"$cdir/mingcha.exe"   # so that the upgrade must write it again
wine "$setup" /S || die "the upgrade setup.exe /S exited with $?"
wineserver -w
[ ! -e "$dir" ] || die "the upgrade installed into Program Files, not the chosen folder"
cmp -s "$cdir/mingcha.exe" "$work/mingcha.exe" || die "the upgrade did not replace mingcha.exe in the chosen folder"
reg=$(entry) || die "no uninstall entry after the upgrade"
grep -qxF "\"DisplayVersion\"=\"$version\"" <<<"$reg" || die "after the upgrade the entry says: $reg"
n=$(entries) && [ "$n" = 1 ] || die "after the upgrade Settings → Apps lists 明察 $n times"
/usr/bin/python3 -c 'import sys; sys.exit(sys.argv[2].encode("utf-16-le") not in open(sys.argv[1], "rb").read())' \
  "$lnk" "$chosen\\mingcha.exe" || die "after the upgrade 明察.lnk does not point at $chosen\\mingcha.exe"
[ "$(sha256sum <"$data/mingcha.db")" = "$sum" ] || die "the upgrade changed the database"
out=$(wine "$chosen\\mingcha.exe" check | tr -d '\r') || die "check after the upgrade: $out"
say "upgrade $old → $version in $chosen: program replaced, one entry ($version), the database kept and checked"
wine "$chosen\\uninstall.exe" /S || die "uninstall from $chosen exited with $?"
wineserver -w
[ ! -e "$cdir" ] || die "uninstall left $(cd "$cdir" && find . | tr '\n' ' ')"
if entry >/dev/null; then die "uninstall from $chosen left $key"; fi
rm -rf "$data" "$c/明察 数据"
say "OK"
