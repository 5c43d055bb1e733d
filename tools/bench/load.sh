#!/bin/sh
# load.sh: how long `blue-align --validate` takes on large generated packs.
#
# Generates packs of many slides (all in one file, and split over files of 1,000 and of 100 slides)
# and a pack.json with very many keys into a temporary folder, validates each under /usr/bin/time
# and prints a table of CPU seconds (user + system), peak memory and seconds per MB. Loading should
# be linear in bytes: ten times the content, about ten times the time.
#
#   tools/bench/load.sh [BINARY]      (default: build/blue-align; BA_BENCH_TIMEOUT caps each run, 600 s)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../../build/blue-align}
limit=${BA_BENCH_TIMEOUT:-600}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

run_case() { # label, generator arguments...
    label=$1
    shift
    dir=$work/case
    rm -rf "$dir"
    mkdir -p "$dir"
    python3 "$here/gen_pack.py" "$1" "$dir/packs" "$2" ${3:+"$3"}
    bytes=$(du -sb "$dir/packs" | cut -f1)
    if timeout "$limit" /usr/bin/time -f '%U %S %M' -o "$dir/time" "$bin" --validate "$dir/packs" \
        >"$dir/out" 2>&1; then
        set -- $(cat "$dir/time")
        awk -v l="$label" -v b="$bytes" -v u="$1" -v s="$2" -v m="$3" -v r="$(tail -n 1 "$dir/out")" 'BEGIN {
            cpu = u + s; mb = b / 1e6
            printf "| %-34s | %6.1f MB | %8.2f s | %7.3f s/MB | %4d MiB | %s |\n", l, mb, cpu, cpu / mb, m / 1024, r }'
    else
        printf '| %-34s | %6.1f MB | over %s s (or failed) | | | |\n' "$label" "$(echo "$bytes" | awk '{print $1/1e6}')" "$limit"
    fi
}

echo "| case | size | CPU | per MB | peak RSS | result |"
echo "| --- | --- | --- | --- | --- | --- |"
run_case "5,000 slides in one file" slides 5000 5000
run_case "50,000 slides in one file" slides 50000 50000
run_case "50,000 slides, 1,000 a file" slides 50000 1000
run_case "50,000 slides, 100 a file" slides 50000 100
run_case "10,000 keys in one object" keys 10000
run_case "100,000 keys in one object" keys 100000
