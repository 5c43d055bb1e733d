#!/bin/sh
# The kiosk in a real window under Xvfb, driven from outside as a visitor or a window manager would:
# Escape, Alt+F4, Ctrl+Q and the window's close request must not end it; SIGTERM must end it cleanly
# with status 0. Run by ctest inside xvfb-run: kiosk_xvfb.sh BLUE_ALIGN X11_CLOSE CONTENT SETTINGS
set -u
app=$1 close_tool=$2 content=$3 settings=$4
log=$(mktemp)
fail() { echo "FAIL: $*"; echo "--- app log:"; cat "$log"; exit 1; }

# Waits for the app's window and gives it the keyboard focus (there is no window manager to do it).
focus_window() {
    for i in $(seq 1 300); do # up to 30 s: a loaded machine is slow to show a window
        window=$(xdotool search --onlyvisible --name "Blue Align" 2>/dev/null | tail -n 1)
        [ -n "$window" ] && break
        sleep 0.1
    done
    [ -n "$window" ] || return 1
    xdotool windowfocus --sync "$window" 2>/dev/null
    sleep 0.3
}
alive() { kill -0 "$pid" 2>/dev/null; }
# Waits up to 15 s for the app to end (a loaded machine may take a moment); true when it did.
ended() {
    for i in $(seq 1 150); do
        alive || return 0
        sleep 0.1
    done
    return 1
}

# Control: the same key and close request end an ordinary window, so they do reach the app.
SDL_AUDIODRIVER=dummy "$app" --windowed --content "$content" --size 800x480 >"$log" 2>&1 &
pid=$!
focus_window || fail "the ordinary window did not appear"
xdotool key ctrl+q
ended || fail "control: Ctrl+Q did not reach an ordinary window, so this test would prove nothing"
echo "ok   control: Ctrl+Q ends an ordinary window"
SDL_AUDIODRIVER=dummy "$app" --windowed --content "$content" --size 800x480 >"$log" 2>&1 &
pid=$!
focus_window || fail "the ordinary window did not appear"
"$close_tool" "Blue Align" >/dev/null
ended || fail "control: the close request did not reach an ordinary window"
echo "ok   control: the close request ends an ordinary window"

SDL_AUDIODRIVER=dummy "$app" --kiosk --settings "$settings" --content "$content" --size 1024x640 >"$log" 2>&1 &
pid=$!
focus_window || fail "the kiosk window did not appear"
for keys in Escape alt+F4 ctrl+q ctrl+w alt+Tab; do
    xdotool key "$keys"
    sleep 0.3
    alive || fail "the kiosk ended after $keys"
    echo "ok   still running after $keys"
done
"$close_tool" "Blue Align" >/dev/null || fail "no window to send the close request to"
sleep 0.5
alive || fail "the kiosk ended after the window's close request"
echo "ok   still running after the close request"

kill -TERM "$pid"
wait "$pid"
status=$?
[ "$status" -eq 0 ] || fail "SIGTERM ended it with status $status, not 0"
grep -q "asked to stop; ending cleanly" "$log" || fail "no clean-stop message in the log"
echo "ok   SIGTERM ended it cleanly with status 0"
echo "9 passed, 0 failed"
rm -f "$log"
