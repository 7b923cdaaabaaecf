# Sourced by the Wine scripts: the prefix and the variables every wine call
# needs. WINEPREFIX defaults to a prefix kept between runs.
export WINEPREFIX=${WINEPREFIX:-$HOME/.cache/mingcha-tools/wine-prefix}
export WINEARCH=win64 WINEDEBUG=-all
# The ProcessPrng stand-in in system32 (prefix.sh), not Wine's builtin.
export WINEDLLOVERRIDES="bcryptprimitives=n;winemenubuilder.exe=d"
