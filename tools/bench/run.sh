#!/bin/sh
# Benchmarks to re-run by hand (not part of the tests: these machines are shared and noisy).
# Under Xvfb, measures whole processes from /proc and /usr/bin/time:
#   1. start-up to the first frame, blue-align against a bare SDL program (median of 10 runs);
#   2. CPU while the home screen sits still;
#   3. memory (PSS) of the home screen, against the bare SDL program's window;
#   4. CPU and memory while the breathing pacer runs, and while an exercise step counts down, against
#      Chromium in kiosk mode showing the same (tools/bench/pacer.html, countdown.html), when Chromium
#      is installed (apt-get install chromium).
# The X server's own CPU is reported beside each, since drawing costs land there too.
# Usage: tools/bench/run.sh [build-dir]   (default: build)
#        BENCH_PARTS=animations tools/bench/run.sh   measures only the pacer and the countdown (part 4)
set -eu
cd "$(dirname "$0")/../.."
build=${1:-build}
app="$build/blue-align"
[ -x "$app" ] || { echo "build first: cmake -S . -B $build && cmake --build $build" >&2; exit 1; }
cc -O2 -o "$build/bare_sdl" tools/bench/bare_sdl.c $(pkg-config --cflags --libs sdl2)

display=${BENCH_DISPLAY:-:97}
Xvfb $display -screen 0 1280x800x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null' EXIT
sleep 1
export DISPLAY=$display SDL_AUDIODRIVER=dummy

# Nanoseconds on a CPU used so far by the given pids (from the scheduler: finer than clock ticks,
# which at 100 a second cannot tell 0.05% from nothing over 20 s).
cpu_of() {
    total=0
    for pid in "$@"; do
        [ -r /proc/$pid/schedstat ] || continue
        t=$(awk '{print $1}' /proc/$pid/schedstat)
        total=$((total + t))
    done
    echo "$total"
}
# Proportional set size in MiB summed over pids.
pss_of() {
    total=0
    for pid in "$@"; do
        [ -r /proc/$pid/smaps_rollup ] || continue
        k=$(awk '/^Pss:/ {print $2}' /proc/$pid/smaps_rollup)
        total=$((total + k))
    done
    echo "$((total / 1024))"
}
percent() { awk -v t="$1" -v s="$2" 'BEGIN { printf "%.1f%%", 100 * t / 1e9 / s }'; }
percent2() { awk -v t="$1" -v s="$2" 'BEGIN { printf "%.2f%%", 100 * t / 1e9 / s }'; }

median_start() {
    for i in 1 2 3 4 5 6 7 8 9 10; do
        /usr/bin/time -f "%e" "$@" 2>&1 >/dev/null | tail -n 1
    done | sort -n | sed -n 5p
}

echo "| measurement | blue-align | comparison |"
echo "| --- | --- | --- |"
if [ "${BENCH_PARTS:-all}" = all ]; then
a=$(median_start "$app" --content tests/packs/every-feature --quit-after-first-frame)
b=$(median_start "$build/bare_sdl")
echo "| start-up to first frame, median of 10 (s) | $a | bare SDL program: $b |"
rss=$(/usr/bin/time -f "%M" "$app" --content tests/packs/every-feature --quit-after-first-frame 2>&1 >/dev/null | tail -n 1)
echo "| peak memory of that start-up (MiB RSS) | $((rss / 1024)) | |"

period=10
"$app" --content tests/packs/every-feature >/dev/null 2>&1 &
pid=$!
sleep 3
c0=$(cpu_of $pid); x0=$(cpu_of $xvfb)
sleep $period
c1=$(cpu_of $pid); x1=$(cpu_of $xvfb)
home_pss=$(pss_of $pid)
echo "| CPU on a still home screen over ${period} s | $(percent $((c1 - c0)) $period) (X server $(percent $((x1 - x0)) $period)) | |"
kill $pid; wait $pid 2>/dev/null || true
"$build/bare_sdl" --stay >/dev/null 2>&1 &
pid=$!
sleep 2
echo "| memory of the home screen (MiB PSS) | $home_pss | bare SDL window: $(pss_of $pid) |"
kill $pid; wait $pid 2>/dev/null || true

fi

period=20
# CPU of the app over the period while a script plays (after 3 s to settle), and its PSS.
measure_app() {
    # Muted, as the pages are silent: sound cues keep an audio device (and its thread) running.
    "$app" --windowed --mute --size 1280x800 --content "$1" --script "$2" >/dev/null 2>&1 &
    pid=$!
    sleep 3
    c0=$(cpu_of $pid); x0=$(cpu_of $xvfb)
    sleep $period
    c1=$(cpu_of $pid); x1=$(cpu_of $xvfb)
    mem=$(pss_of $pid)
    wait $pid 2>/dev/null || true
    echo "$(percent2 $((c1 - c0)) $period) (X server $(percent2 $((x1 - x0)) $period)), ${mem} MiB PSS"
}
# The same for Chromium in kiosk mode showing a page.
measure_browser() {
    command -v chromium >/dev/null 2>&1 || { echo "Chromium not installed"; return; }
    profile=$(mktemp -d)
    chromium --kiosk --no-sandbox --no-first-run --disable-background-networking --disable-component-update \
        --disable-sync --user-data-dir="$profile" --window-size=1280,800 "file://$PWD/tools/bench/$1" >/dev/null 2>&1 &
    sleep 6
    pids=$(pgrep -f "user-data-dir=$profile" | tr '\n' ' ')
    c0=$(cpu_of $pids); x0=$(cpu_of $xvfb)
    sleep $period
    pids=$(pgrep -f "user-data-dir=$profile" | tr '\n' ' ')
    c1=$(cpu_of $pids); x1=$(cpu_of $xvfb)
    mem=$(pss_of $pids)
    pkill -f "user-data-dir=$profile" || true
    sleep 1
    rm -rf "$profile"
    echo "Chromium kiosk: $(percent2 $((c1 - c0)) $period) (X server $(percent2 $((x1 - x0)) $period)), ${mem} MiB PSS"
}
a=$(measure_app tests/packs/render-cases tools/bench/pacer.script)
b=$(measure_browser pacer.html)
echo "| breathing pacer running, over ${period} s (CPU of one core; memory) | $a | $b |"
a=$(measure_app tests/packs/every-feature tools/bench/countdown.script)
b=$(measure_browser countdown.html)
echo "| exercise countdown running, over ${period} s (CPU of one core; memory) | $a | $b |"
