#!/usr/bin/env bash
# Checks the .deb packages in DIST with tools that are not ours: their
# metadata and contents (dpkg-deb), their binaries' glibc needs, and an
# install / run / remove round trip of each in a throwaway dpkg root that
# starts as a copy of this machine's package database (so Depends are
# checked for real); the arm64 binary runs under qemu-user-static.
#   scripts/check-deb.sh DIST VERSION
set -euo pipefail
dist=$(realpath "${1:?usage: check-deb.sh DIST VERSION}") version=${2:?}
here=$(cd "$(dirname "$0")" && pwd)
build=$("$here/fyneapp.sh" Build) id=$("$here/fyneapp.sh" ID)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say() { echo "check-deb: $*"; }
die() { echo "check-deb: FAIL: $*"; exit 1; }

# Debian packages.
for arch in amd64 arm64; do
  deb=$dist/mingcha_${version}_$arch.deb
  [ -f "$deb" ] || die "$deb is missing"
  info=$(dpkg-deb --info "$deb")
  for want in "Package: mingcha" "Version: $version" "Architecture: $arch"; do
    grep -qx " $want" <<<"$info" || die "$deb: no '$want' in its control"
  done
  depends=$(dpkg-deb --field "$deb" Depends)
  for lib in libc6 libgl1 libx11-6; do
    grep -q "\b$lib\b" <<<"$depends" || die "$deb: Depends lacks $lib: $depends"
  done
  contents=$(dpkg-deb --contents "$deb" | awk '{print $6}')
  for f in ./usr/bin/mingcha ./usr/share/applications/$id.desktop \
      ./usr/share/icons/hicolor/256x256/apps/mingcha.png ./usr/share/doc/mingcha/copyright; do
    grep -qx "$f" <<<"$contents" || die "$deb lacks $f"
  done
  x=$work/x-$arch
  dpkg-deb -x "$deb" "$x"
  desktop=$x/usr/share/applications/$id.desktop
  grep -qx 'Name\[zh_CN\]=明察' "$desktop" || die "$deb: the desktop entry lacks Name[zh_CN]=明察"
  grep -qx 'Exec=mingcha' "$desktop" && grep -qx 'Icon=mingcha' "$desktop" || die "$deb: desktop entry Exec/Icon"
  if command -v desktop-file-validate >/dev/null; then desktop-file-validate "$desktop"; fi
  "$here/glibc-gate.sh" "$x/usr/bin/mingcha"
  say "$(basename "$deb"): $(du -k "$deb" | cut -f1) KiB, Depends: $depends"

  # Round trip in a throwaway root.
  r=$work/root-$arch
  mkdir -p "$r/var/lib/dpkg/info" "$r/var/lib/dpkg/updates" "$r/var/lib/dpkg/triggers"
  cp /var/lib/dpkg/status "$r/var/lib/dpkg/status"
  [ -f /var/lib/dpkg/arch ] && cp /var/lib/dpkg/arch "$r/var/lib/dpkg/arch"
  touch "$r/var/lib/dpkg/available"
  dpkg --root="$r" --force-script-chrootless --log=/dev/null -i "$deb" >/dev/null 2>"$work/dpkg.log" || { cat "$work/dpkg.log"; false; } ||
    die "dpkg -i $deb into a throwaway root"
  dpkg --root="$r" -s mingcha | grep -qx 'Status: install ok installed' || die "$deb: not installed"
  run=""; [ "$arch" = arm64 ] && run=qemu-aarch64-static
  $run "$r/usr/bin/mingcha" demo --db "$work/$arch.db" >/dev/null || die "installed $arch binary: demo"
  $run "$r/usr/bin/mingcha" check --db "$work/$arch.db" >/dev/null || die "installed $arch binary: check"
  dpkg --root="$r" --force-script-chrootless --log=/dev/null --purge mingcha >/dev/null 2>"$work/dpkg.log" || { cat "$work/dpkg.log"; die "dpkg --purge ($arch)"; }
  left=$(cd "$r" && find . -path ./var/lib/dpkg -prune -o ! -type d -print)
  [ -z "$left" ] || die "files left after purge ($arch): $left"
  dpkg --root="$r" -s mingcha >/dev/null 2>&1 && die "$arch: still known to dpkg after purge"
  say "$arch: installed (Depends met), demo and check ran, purged without leftovers"
done
say "OK"
