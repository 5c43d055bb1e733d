#!/bin/sh
# Builds Blue Align and starts it on the bundled content. Extra arguments go to the app.
set -eu
cd "$(dirname "$0")/.."
tools/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc 2>/dev/null || echo 2)"
exec build/blue-align "$@"
