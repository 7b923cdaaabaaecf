#!/usr/bin/env bash
# Makes a 64-bit Wine prefix for the Windows tests at $WINEPREFIX (created
# once, reused): wineboot, then the ProcessPrng stand-in that Go programs
# need and Wine 8 lacks (processprng.c). Prints nothing on success.
set -euo pipefail
: "${WINEPREFIX:?set WINEPREFIX}"
here=$(cd "$(dirname "$0")" && pwd)
export WINEARCH=win64 WINEDEBUG=-all
dll="$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  mkdir -p "$WINEPREFIX"
  wineboot -i >/dev/null 2>&1
  wineserver -w
fi
if [ ! -f "$dll" ] || [ "$here/processprng.c" -nt "$dll" ]; then
  x86_64-w64-mingw32-gcc -O2 -s -shared -o "$dll" "$here/processprng.c" "$here/processprng.def" -ladvapi32
fi
