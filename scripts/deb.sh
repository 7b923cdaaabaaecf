#!/usr/bin/env bash
# Builds mingcha_<version>_<arch>.deb from a built binary: the program in
# /usr/bin, a desktop entry (Name[zh_CN]=明察) and the icon, the Chinese
# README, and Depends computed by dpkg-shlibdeps from the libraries the
# binary links (for arm64 from the arm64 multiarch packages' symbols).
#   scripts/deb.sh amd64|arm64 BIN OUTDIR
set -euo pipefail
arch=${1:?usage: deb.sh ARCH BIN OUTDIR} bin=${2:?} outdir=${3:?}
root=$(cd "$(dirname "$0")/.." && pwd)
app() { "$root/scripts/fyneapp.sh" "$1"; }
version=$(app Version)
website=$(sed -n 's/^Website *= *"\(.*\)"/\1/p' "$root/FyneApp.toml")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pkg=$work/pkg
install -D -m 0755 "$bin" "$pkg/usr/bin/mingcha"
install -D -m 0644 "$root/$(app Icon)" "$pkg/usr/share/icons/hicolor/256x256/apps/mingcha.png"
sed "s/@NAME@/$(app Name)/" "$root/packaging/linux/mingcha.desktop.in" >"$work/mingcha.desktop"
install -D -m 0644 "$work/mingcha.desktop" "$pkg/usr/share/applications/$(app ID).desktop"
install -D -m 0644 "$root/packaging/README.zh-CN.md" "$pkg/usr/share/doc/mingcha/README.zh-CN.md"
install -D -m 0644 "$root/packaging/linux/copyright" "$pkg/usr/share/doc/mingcha/copyright"
install -m 0644 "$root"/assets/fonts/LICENSE-*.txt "$pkg/usr/share/doc/mingcha/"
# dpkg-shlibdeps wants a source tree; it reads the libraries' symbols
# files of the host architecture it is told.
mkdir -p "$work/src/debian"
printf 'Source: mingcha\n\nPackage: mingcha\nArchitecture: any\n' >"$work/src/debian/control"
depends=$(cd "$work/src" && DEB_HOST_ARCH=$arch dpkg-shlibdeps -O "$pkg/usr/bin/mingcha" 2>"$work/shlibdeps.log" |
  sed -n 's/^shlibs:Depends=//p') || { cat "$work/shlibdeps.log" >&2; exit 1; }
[ -n "$depends" ] || { echo "deb.sh: no dependencies found for $bin" >&2; cat "$work/shlibdeps.log" >&2; exit 1; }
# libc6: the newest GLIBC_ version the binary's version-needs section asks
# for (what glibc-gate.sh reads). dpkg-shlibdeps says 2.34 for any binary
# that links libpthread.so.0 or libdl.so.2, merged into libc in 2.34.
glibc=$(readelf -V -W "$bin" | sed -n 's/.*Name: GLIBC_\([0-9][0-9.]*\).*/\1/p' | sort -uV | tail -1)
depends=$(sed "s/libc6 ([^)]*)/libc6 (>= $glibc)/" <<<"$depends")
# GLFW opens these with dlopen, so no linker records them.
depends="$depends, libxcursor1, libxrandr2, libxinerama1, libxi6, libxxf86vm1, libxrender1"
size=$(du -sk "$pkg" | cut -f1)
mkdir -p "$pkg/DEBIAN"
sed -e "s/@VERSION@/$version/; s/@ARCH@/$arch/; s/@SIZE@/$size/; s|@WEBSITE@|$website|" \
  -e "s/@DEPENDS@/$depends/" "$root/packaging/linux/control.in" >"$pkg/DEBIAN/control"
mkdir -p "$outdir"
deb="$outdir/mingcha_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$deb" >/dev/null
echo "$deb"
