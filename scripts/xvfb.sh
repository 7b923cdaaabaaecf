# Sourced by the scripts that need an X server: start_xvfb [WxHxD] starts
# Xvfb on a display no other server holds and returns once it accepts
# connections — Xvfb's -displayfd writes the display number then, so there
# is no fixed number two runs can collide on and no start-up wait to guess
# (a fixed :97 and a 5-second wait failed under load). Sets XVFB_PID and
# exports DISPLAY; fails with Xvfb's own log if it does not come up.
start_xvfb() {
  local geom=${1:-1280x800x24} dir n
  dir=$(mktemp -d)
  mkfifo "$dir/display"
  Xvfb -displayfd 3 -screen 0 "$geom" -nolisten tcp 3>"$dir/display" >"$dir/xvfb.log" 2>&1 &
  XVFB_PID=$!
  if ! read -r -t 120 n <"$dir/display" || [ -z "$n" ]; then
    echo "Xvfb did not start:" >&2
    cat "$dir/xvfb.log" >&2
    kill "$XVFB_PID" 2>/dev/null || true
    rm -rf "$dir"
    return 1
  fi
  rm -rf "$dir"
  export DISPLAY=":$n"
}
