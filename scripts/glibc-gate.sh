#!/usr/bin/env bash
# Fails when a Linux binary needs a glibc newer than MAX (default 2.28, the
# oldest in UOS 20 and Kylin V10): reads the GLIBC_x.y versions its
# version-needs section asks for (readelf works for any architecture).
#   scripts/glibc-gate.sh BIN [MAX]
set -euo pipefail
bin=${1:?usage: glibc-gate.sh BIN [MAX]} max=${2:-2.28}
need=$(readelf -V -W "$bin" | sed -n 's/.*Name: GLIBC_\([0-9][0-9.]*\).*/\1/p' | sort -uV | tail -1)
[ -n "$need" ] || { echo "glibc-gate: $bin needs no versioned glibc symbol (not dynamic?)"; exit 1; }
if [ "$(printf '%s\n%s\n' "$need" "$max" | sort -V | tail -1)" != "$max" ]; then
  echo "glibc-gate: $bin needs GLIBC_$need, newer than $max"
  readelf --dyn-syms -W "$bin" | grep -F "@GLIBC_$need" | head -5
  exit 1
fi
echo "glibc-gate: $bin needs at most GLIBC_$need (limit $max)"
