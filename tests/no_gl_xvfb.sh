#!/bin/sh
# Under Xvfb there is no graphics card, so the app must draw in software without ever loading OpenGL:
# no libGL, libGLX, libEGL, Mesa DRI driver or LLVM may be mapped into the running process, on the
# home screen or with the breathing pacer moving. A control run with --renderer gpu shows that this
# check does see OpenGL when it is loaded. Run by ctest inside xvfb-run: no_gl_xvfb.sh BLUE_ALIGN CONTENT
set -u
app=$1 content=$2
log=$(mktemp)
fail() { echo "FAIL: $*"; echo "--- app log:"; cat "$log"; exit 1; }
gl_libraries() { grep -E 'libGL|libEGL|libOpenGL|_dri\.so|libLLVM|libgallium' "/proc/$1/maps" | awk '{print $6}' | sort -u; }
# Waits up to 30 s for the window to be on screen (a loaded machine can be slow to start it).
shown() {
    for i in $(seq 1 300); do
        xdotool search --onlyvisible --name "Blue Align" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    return 1
}
stop() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; }

# Control: the accelerated renderer asked for by name does load OpenGL (Mesa's software one here).
SDL_AUDIODRIVER=dummy "$app" --windowed --renderer gpu --content "$content" --size 800x480 >"$log" 2>&1 &
pid=$!
shown || fail "control: the window did not appear"
[ -n "$(gl_libraries $pid)" ] || fail "control: --renderer gpu mapped no OpenGL library, so this test would prove nothing"
stop $pid
echo "ok   control: --renderer gpu maps OpenGL"

SDL_AUDIODRIVER=dummy "$app" --windowed --content "$content" --size 800x480 --script "$(dirname "$0")/scripts/no_gl_window.script" >"$log" 2>&1 &
pid=$!
shown || fail "the window did not appear"
for moment in home pacer; do
    [ $moment = pacer ] && sleep 2.5
    kill -0 $pid 2>/dev/null || fail "the app ended before the $moment check"
    found=$(gl_libraries $pid)
    [ -z "$found" ] || fail "OpenGL mapped on the $moment screen: $found"
    echo "ok   no OpenGL library mapped ($moment)"
done
wait $pid || fail "the script failed"
grep -q "Drawing in software into the window" "$log" || fail "the app did not say it draws in software"
echo "ok   the app says why it draws in software"
