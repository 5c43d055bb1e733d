#!/bin/sh
# The kiosk fills the display it is on, whatever its size, with no window manager: run by ctest
# inside xvfb-run at a given screen size (kiosk_fill_xvfb.sh BLUE_ALIGN CONTENT SETTINGS WIDTH HEIGHT).
# A window at the wrong place or size would put part of the guide off the screen and make taps miss.
set -u
app=$1 content=$2 settings=$3 width=$4 height=$5
log=$(mktemp)
fail() { echo "FAIL: $*"; echo "--- app log:"; cat "$log"; kill "$pid" 2>/dev/null; exit 1; }
SDL_AUDIODRIVER=dummy "$app" --kiosk --settings "$settings" --content "$content" >"$log" 2>&1 &
pid=$!
window=""
for i in $(seq 1 300); do # up to 30 s: a loaded machine is slow to show a window
    window=$(xdotool search --onlyvisible --name "Blue Align" 2>/dev/null | tail -n 1)
    [ -n "$window" ] && break
    sleep 0.1
done
[ -n "$window" ] || fail "the kiosk window did not appear"
sleep 0.5
geometry=$(xdotool getwindowgeometry "$window")
echo "$geometry"
echo "$geometry" | grep -q "Position: 0,0 " || fail "the kiosk window is not at the screen's corner"
echo "$geometry" | grep -q "Geometry: ${width}x${height}" || fail "the kiosk window is not ${width}x${height}"
echo "ok   the kiosk fills the ${width}x${height} screen"
kill -TERM "$pid"
wait "$pid" || fail "the kiosk did not end cleanly on SIGTERM"
