#!/usr/bin/env bash
# Checks the Windows zip in DIST with tools that are not ours: its files,
# and mingcha.exe's PE headers and resources (python3-pefile): console
# subsystem, x86-64, version information from FyneApp.toml, icon, manifest.
#   scripts/check-zip.sh DIST VERSION
set -euo pipefail
dist=$(realpath "${1:?usage: check-zip.sh DIST VERSION}") version=${2:?}
here=$(cd "$(dirname "$0")" && pwd)
build=$("$here/fyneapp.sh" Build) id=$("$here/fyneapp.sh" ID)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say() { echo "check-zip: $*"; }
die() { echo "check-zip: FAIL: $*"; exit 1; }

# Windows zip.
zip=$dist/Mingcha-$version-windows-x64.zip
[ -f "$zip" ] || die "$zip is missing"
unzip -q "$zip" -d "$work/zip"
top=$work/zip/Mingcha-$version-windows-x64
for f in mingcha.exe mingcha.ico README.zh-CN.txt licenses/LICENSE-wqy-microhei.txt; do
  [ -s "$top/$f" ] || die "the zip lacks $f"
done
grep -q '统信 UOS' "$top/README.zh-CN.txt" || die "README.zh-CN.txt is not the Chinese README"
# Debian's python3, which has python3-pefile (a pyenv python3 may come first in PATH).
/usr/bin/python3 - "$top/mingcha.exe" "$version" "$build" <<'PY'
import sys, pefile
path, version, build = sys.argv[1:]
pe = pefile.PE(path)
def fail(msg):
    print("check-zip: FAIL: mingcha.exe: " + msg); sys.exit(1)
if pe.FILE_HEADER.Machine != 0x8664: fail("not x86-64")
# A console program (IMAGE_SUBSYSTEM_WINDOWS_CUI): see console_windows.go.
if pe.OPTIONAL_HEADER.Subsystem != 3: fail("subsystem %d, want 3 (console)" % pe.OPTIONAL_HEADER.Subsystem)
strings = {}
for fi in getattr(pe, "FileInfo", []):
    for entry in fi:
        for st in getattr(entry, "StringTable", []):
            for k, v in st.entries.items():
                strings[k.decode()] = v.decode()
want = {"ProductVersion": version, "FileVersion": version + "." + build, "OriginalFilename": "mingcha.exe"}
for k, v in want.items():
    if strings.get(k) != v: fail("%s is %r, want %r" % (k, strings.get(k), v))
if "明察" not in strings.get("ProductName", ""): fail("ProductName %r lacks 明察" % strings.get("ProductName"))
ffi = pe.VS_FIXEDFILEINFO[0]
fixed = "%d.%d.%d.%d" % (ffi.FileVersionMS >> 16, ffi.FileVersionMS & 0xffff, ffi.FileVersionLS >> 16, ffi.FileVersionLS & 0xffff)
if fixed != version + "." + build: fail("fixed file version %s" % fixed)
types = [e.id for e in pe.DIRECTORY_ENTRY_RESOURCE.entries]
for rt, name in ((3, "icon"), (14, "icon group"), (16, "version"), (24, "manifest")):
    if rt not in types: fail("no %s resource" % name)
print("check-zip: mingcha.exe: console x86-64, %s %s, FileVersion %s, icon and manifest" % (strings["ProductName"], strings["ProductVersion"], strings["FileVersion"]))
PY

say "OK"
