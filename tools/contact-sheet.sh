#!/bin/sh
# Makes docs/contact-sheet.md: a screenshot of the first slide of every topic and of every routine (its
# safety card and its first step), drawn by the app itself with --screenshot, at 800x480 (the smallest
# screen the app supports). Re-run after changing the bundled content.
# Usage: tools/contact-sheet.sh [build-dir]   (default: build)
set -eu
cd "$(dirname "$0")/.."
app=${1:-build}/blue-align
out=docs/contact-sheet
[ -x "$app" ] || { echo "build first: cmake -S . -B build && cmake --build build" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out"
page=docs/contact-sheet.md
{
    echo "# Contact sheet"
    echo
    echo "Every topic's first slide and every routine's safety card and first step, as the app draws them at"
    echo "800x480. Made by \`tools/contact-sheet.sh\` from the bundled content."
    echo
    "$app" --screenshot "$out/home.png" --size 800x480 2>/dev/null
    echo "## Home"
    echo
    echo "![Home](contact-sheet/home.png)"
    echo
    section=""
    "$app" --list-items | sort -t "$(printf '\t')" -k3,3 -s | while IFS="$(printf '\t')" read -r ref kind sect title; do
        if [ "$sect" != "$section" ]; then
            section=$sect
            echo "## Section: $sect"
            echo
        fi
        name=$(echo "$ref" | tr '/' '_')
        if [ "$kind" = topic ]; then
            "$app" --screenshot "$out/$name.png" --size 800x480 --open "$ref:1" 2>/dev/null
            echo "### $title"
            echo
            echo "![$title]($(basename "$out")/$name.png)"
        else
            "$app" --screenshot "$out/$name-card.png" --size 800x480 --open "$ref" 2>/dev/null
            "$app" --screenshot "$out/$name-step1.png" --size 800x480 --open "$ref:1" 2>/dev/null
            echo "### $title ($kind routine)"
            echo
            echo "![$title: before you start]($(basename "$out")/$name-card.png) ![$title: first step]($(basename "$out")/$name-step1.png)"
        fi
        echo
    done
} > "$page"
echo "wrote $page and $(ls "$out" | wc -l) screenshots in $out"
