#!/usr/bin/env bash
# Builds mingcha for Linux amd64 or arm64 against glibc 2.28 (UOS 20,
# Kylin V10 and newer), with zig cc as the C compiler: zig brings glibc
# stubs of any version, and Debian's (multiarch) X11 and OpenGL
# development libraries supply the rest.
#   scripts/build-linux.sh amd64|arm64 OUT
set -euo pipefail
arch=${1:?usage: build-linux.sh amd64|arm64 OUT} out=${2:?usage: build-linux.sh amd64|arm64 OUT}
root=$(cd "$(dirname "$0")/.." && pwd)
zig=${ZIG:?set ZIG (make sets it; installed by make deps-cross)}
case $arch in
  amd64) target=x86_64-linux-gnu.2.28 lib=/usr/lib/x86_64-linux-gnu ;;
  arm64) target=aarch64-linux-gnu.2.28 lib=/usr/lib/aarch64-linux-gnu ;;
  *) echo "build-linux.sh: unknown architecture $arch" >&2; exit 2 ;;
esac
[ -e "$lib/libGL.so" ] || { echo "build-linux.sh: $lib/libGL.so is missing (make deps-cross)" >&2; exit 1; }
cd "$root"
# mingcha version: FyneApp.toml's version and build (cmd/mingcha/cmd_version.go).
ldflags="-s -w -X main.version=$(scripts/fyneapp.sh Version) -X main.build=$(scripts/fyneapp.sh Build)"
CGO_ENABLED=1 GOOS=linux GOARCH=$arch \
  CC="$zig cc -target $target" CXX="$zig c++ -target $target" \
  CGO_CFLAGS="-O2 -idirafter /usr/include" CGO_LDFLAGS="-L$lib" \
  go build -trimpath -ldflags "$ldflags" -o "$out" ./cmd/mingcha
