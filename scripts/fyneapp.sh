#!/usr/bin/env bash
# Prints one value of FyneApp.toml's [Details] (Name, ID, Version, Build,
# Icon): the single source of the program's name, id, version and icon.
set -euo pipefail
key=${1:?usage: fyneapp.sh Name|ID|Version|Build|Icon}
toml=$(dirname "$0")/../FyneApp.toml
v=$(sed -n '/^\[Details\]/,/^\[/{s/^'"$key"' *= *"\{0,1\}\([^"]*\)"\{0,1\} *$/\1/p}' "$toml")
[ -n "$v" ] || { echo "fyneapp.sh: no $key in FyneApp.toml" >&2; exit 1; }
echo "$v"
