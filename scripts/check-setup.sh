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
# The uninstall entry as regedit exports it (UTF-16: reg query prints
# through the console code page, which turns 明察 into ??).
entry() {
  rm -f "$work/entry.reg"
  wine regedit /E "$(winepath -w "$work/entry.reg")" "HKEY_LOCAL_MACHINE${key#HKLM}" >/dev/null 2>&1 || true
  [ -s "$work/entry.reg" ] && iconv -f UTF-16 -t UTF-8 "$work/entry.reg" | tr -d '\r'
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
say "OK"
