#!/bin/sh
# Coverage-guided fuzzing of every fuzz target (docs/fuzzing.md): builds them with clang and
# -fsanitize=fuzzer,address,undefined in build-fuzz/, then runs each for SECONDS (default 60).
# Each target starts from its kept corpus (tests/fuzz/corpus/TARGET, ignored by git, so everything
# found before is replayed first) and its seeds from content/ and tests/; new inputs go to the kept
# corpus and crashes to build-fuzz/crashes/. Exits non-zero when any target crashed.
# Usage: tools/fuzz.sh [SECONDS] [TARGET...]
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-"fuzz_json_doc fuzz_pack_load fuzz_kiosk_settings fuzz_pictures fuzz_script"}

tools/setup.sh # clang and libFuzzer's runtime come from Debian, like everything else

cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBA_FUZZ=ON >/dev/null
# shellcheck disable=SC2086 # the list is meant to split into words
nice cmake --build build-fuzz -j 2 --target $targets

# Seeds: flat folders of files, rebuilt each time from what is in the tree.
seeds=build-fuzz/seeds
# Names are stable, so two runs started side by side copy the same files.
mkdir -p "$seeds/json" "$seeds/pictures" "$seeds/kiosk" build-fuzz/crashes
n=0
for f in $(find content tests/fixtures tests/packs tests/hostile-names -name '*.json' -type f); do
    n=$((n + 1))
    cp "$f" "$seeds/json/$n.json"
done
for f in $(find content tests/fixtures tests/packs tests/fuzz/pictures -type f \
           \( -name '*.png' -o -name '*.jpg' -o -name '*.svg' -o -name '*.wav' \) -size -64k); do
    n=$((n + 1))
    cp "$f" "$seeds/pictures/$n.${f##*.}"
done
cp tests/kiosk/*.json tests/fixtures-kiosk/*.json "$seeds/kiosk/"

status=0
for t in $targets; do
    case $t in
        fuzz_json_doc) inputs="$seeds/json" dict=-dict=tests/fuzz/json.dict ;;
        fuzz_pack_load) inputs="tests/fuzz/pack_load $seeds/json" dict=-dict=tests/fuzz/json.dict ;;
        fuzz_kiosk_settings) inputs="$seeds/kiosk" dict=-dict=tests/fuzz/json.dict ;;
        fuzz_pictures) inputs="$seeds/pictures" dict= ;;
        fuzz_script) inputs="tests/scripts tests/fuzz/script" dict= ;;
        *) echo "fuzz: no such target $t" >&2; exit 2 ;;
    esac
    corpus=tests/fuzz/corpus/$t
    mkdir -p "$corpus"
    echo "== $t for ${seconds}s"
    # shellcheck disable=SC2086 # inputs and dict are word lists
    if ! ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
        LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0" \
        nice "build-fuzz/tests/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 -max_len=16384 \
            -print_final_stats=1 -artifact_prefix="build-fuzz/crashes/$t-" $dict "$corpus" $inputs \
            2>"build-fuzz/$t.log"; then
        echo "fuzz: $t found a problem; see build-fuzz/$t.log and build-fuzz/crashes/" >&2
        status=1
    fi
    grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|stat::number_of_executed_units|ERROR|SUMMARY' "build-fuzz/$t.log" || true
done
exit "$status"
