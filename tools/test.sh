#!/bin/sh
# Builds and runs every test twice: once in a normal build, once with AddressSanitizer and
# UndefinedBehaviorSanitizer (leaks included), then runs every fuzz target briefly (tools/fuzz.sh, which
# installs clang through setup.sh when it is missing). Installs what it needs first.
set -eu
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

tools/setup.sh

echo "== normal build"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

echo "== sanitizer build (address, undefined)"
cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=Debug -DBA_SANITIZE=ON >/dev/null
cmake --build build-sanitize -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0" \
    ctest --test-dir build-sanitize --output-on-failure -j "$jobs"

echo "== fuzz targets (libFuzzer, 10 s each, after replaying the kept corpus)"
tools/fuzz.sh 10
