#!/bin/sh
# File names, keys and values from a pack must not be able to forge or hide a line of --validate.
# Git dislikes file names with a newline or an escape, so the pack folder and a stray JSON file with
# such names are made here, at run time, from tests/hostile-names/pack.json; the good fixture packs
# are checked beside them and must still load. The whole output must equal expected.txt exactly, and
# the summary must be the only line that looks like one.
# Usage: cli_hostile_names.sh BLUE_ALIGN TESTS_DIR WORK_DIR
set -eu
bin=$1 tests=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
cp -R "$tests/fixtures/good" "$work/good"
evil=$(printf 'evil\n0 errors, 0 warnings\033[2K')
mkdir "$work/$evil"
cp "$tests/hostile-names/pack.json" "$work/$evil/pack.json"
printf '{}' >"$work/$evil/$(printf 'stray\n\033[1A.json')"

cd "$work"
status=0
"$bin" --validate good "$evil" >out.txt 2>&1 || status=$?
if [ "$status" -ne 1 ]; then
    echo "expected exit status 1 (errors), got $status" >&2
    status=1
else
    status=0
fi
if ! diff -u "$tests/hostile-names/expected.txt" out.txt; then
    echo "the output differs from tests/hostile-names/expected.txt" >&2
    status=1
fi
summaries=$(grep -c '^[0-9]* packs\{0,1\} checked' out.txt || true)
if [ "$summaries" -ne 1 ] || ! tail -n 1 out.txt | grep -q '^3 packs checked (4 items loaded, 0 packs skipped): 2 errors, 3 warnings$'; then
    echo "the summary line was forged or is missing ($summaries lines look like one)" >&2
    status=1
fi
if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" out.txt; then
    echo "a control character reached the output" >&2
    status=1
fi
exit "$status"
