#!/bin/sh
# stop_signal.sh: SIGTERM ends the real app within a second, even while it is drawing a picture that
# is within every budget but slow (1500 large translucent circles, seconds of work at 1920x1080).
# Usage: stop_signal.sh BLUE_ALIGN. Runs headless (SDL's dummy video driver); the app draws the
# topic's slide (opened by a script), the test waits until the drawing child process exists, sends SIGTERM and expects
# the app gone, with status 0, within one second.
set -eu
app=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/slow/pictures"
python3 - "$work/slow" <<'PY'
import json, sys
d = sys.argv[1]
shape = "<circle cx='500' cy='500' r='450' fill='rgba(0,0,0,0.1)' stroke='red' stroke-width='9'/>"
open(d + "/pictures/slow.svg", "w").write("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1000 1000'>"
                                          + shape * 1500 + "</svg>\n")
pack = {"format": 1, "id": "slow", "title": "Slow", "version": "1.0", "language": "en",
        "author": "Blue Align Chiropractic", "updated": "2026-11-01",
        "items": [{"id": "heavy", "type": "topic", "title": "Heavy",
                   "slides": [{"heading": "H", "body": "b",
                               "picture": {"file": "pictures/slow.svg", "alt": "Many circles"}}]}]}
open(d + "/pack.json", "w").write(json.dumps(pack))
PY
"$app" --validate "$work/slow" >/dev/null

printf 'size 1920x1080\nopen heavy\nwait 20000\n' >"$work/open.script"
SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy "$app" --content "$work" --script "$work/open.script" \
    --data "$work/data" 2>"$work/log" &
pid=$!
# Wait (at most 10 s) for the drawing child, so the signal comes while the picture is being drawn.
tries=0
until pgrep -P "$pid" >/dev/null 2>&1; do
    tries=$((tries + 1))
    if [ "$tries" -gt 1000 ]; then
        echo "FAIL: the app never started drawing the picture" >&2
        kill "$pid"
        exit 1
    fi
    sleep 0.01
done
start=$(date +%s%N)
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "ended in ${elapsed_ms} ms with status $status"
if [ "$status" -ne 0 ] || [ "$elapsed_ms" -gt 1000 ]; then
    cat "$work/log" >&2
    echo "FAIL: SIGTERM must end the app with status 0 within 1000 ms" >&2
    exit 1
fi
