#!/bin/sh
# home_reach.sh: --list-items and the home screen agree on a library of 1,000 topics in 70 packs.
#
# Usage: home_reach.sh BLUE_ALIGN DIR, where DIR is the library test_home_model generated. Checks that
# --list-items lists 1,000 distinct tiles, then drives the real home screen headless: it must say it
# holds the same 1,000 tiles, start with the first one listed and, at the end of its scrolling, end
# with the last one listed (so nothing past a cap is hidden below the last tile). Then the section
# index: Sections opens it, Escape closes it, and choosing "Group 0" shows that section's first tile.
set -eu
bin=$1
dir=$2
fail() { group0=$(awk -F '\t' '$3 == "group-0" { print $1; exit }' home-reach-list.txt)
# At 800x480 the Sections button is at about (598, 41) and "Group 0" is the second button of the index.
cat > home-reach.script <<SCRIPT
size 800x480
tap 598 41
expect home index sections=11
key Escape
expect home language=en sections=11 tiles=1000 focus=- shown=$first..
tap 598 41
tap 590 175
expect shown=$group0..
SCRIPT
"$bin" --content "$dir" --script home-reach.script || fail "the section index does not lead to the section chosen"
echo "home_reach: $*" >&2; exit 1; }

"$bin" --list-items --content "$dir" > home-reach-list.txt
count=$(wc -l < home-reach-list.txt)
[ "$count" -eq 1000 ] || fail "--list-items lists $count tiles, expected 1000"
distinct=$(cut -f1 home-reach-list.txt | sort -u | wc -l)
[ "$distinct" -eq 1000 ] || fail "--list-items lists $distinct distinct items, expected 1000"
first=$(head -n 1 home-reach-list.txt | cut -f1)
last=$(tail -n 1 home-reach-list.txt | cut -f1)

for size in 800x480 1920x1080; do
    cat > home-reach.script <<SCRIPT
size $size
expect home language=en sections=11 tiles=1000 focus=- shown=$first..
key End
expect ..$last
SCRIPT
    "$bin" --content "$dir" --script home-reach.script || fail "home at $size does not show what --list-items lists"
done
group0=$(awk -F '\t' '$3 == "group-0" { print $1; exit }' home-reach-list.txt)
# At 800x480 the Sections button is at about (598, 41) and "Group 0" is the second button of the index.
cat > home-reach.script <<SCRIPT
size 800x480
tap 598 41
expect home index sections=11
key Escape
expect home language=en sections=11 tiles=1000 focus=- shown=$first..
tap 598 41
tap 590 175
expect shown=$group0..
SCRIPT
"$bin" --content "$dir" --script home-reach.script || fail "the section index does not lead to the section chosen"
echo "home_reach: --list-items and home agree on 1000 tiles, from $first to $last"
