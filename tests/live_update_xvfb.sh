#!/bin/sh
# Live content updates on a running kiosk, as staff do them: a broken update leaves the last good version
# on screen, a fixed update appears, packs added later appear and deleted ones go, a half-copied folder
# settles into the full pack. Checked through the app's log. Run inside xvfb-run:
# live_update_xvfb.sh BLUE_ALIGN GOOD_PACK OTHER_PACK SETTINGS
set -u
app=$1 good=$2 other=$3 settings=$4
work=$(mktemp -d)
log=$work/app.log
fail() { echo "FAIL: $*"; echo "--- app log:"; cat "$log"; kill -TERM "$pid" 2>/dev/null; rm -rf "$work"; exit 1; }
mkdir "$work/content"
cp -r "$good" "$work/content/desk"
SDL_AUDIODRIVER=dummy "$app" --kiosk --settings "$settings" --content "$work/content" --size 800x480 >"$log" 2>&1 &
pid=$!
sleep 2
kill -0 "$pid" 2>/dev/null || fail "the kiosk did not start"

# Waits up to 15 s for the latest "now showing" line to contain (or, with -v, not contain) the words.
showing() {
    for i in $(seq 1 150); do
        line=$(grep "content: now showing" "$log" | tail -n 1)
        if [ "$1" = -v ]; then
            case "$line" in *"$2"*) ;; *) [ -n "$line" ] && return 0 ;; esac
        else
            case "$line" in *"$1"*) return 0 ;; esac
        fi
        sleep 0.1
    done
    return 1
}
count() { grep -c "$1" "$log"; }

cp "$work/content/desk/pack.json" "$work/good.json"
printf '{ "format": 1, "id": "desk-basics", ' > "$work/content/desk/pack.json"  # a broken save
for i in $(seq 1 150); do [ "$(count 'Kept the last good version')" -ge 1 ] && break; sleep 0.1; done
[ "$(count 'Kept the last good version')" -ge 1 ] || fail "a broken update did not keep the last good version"
showing "desk-basics 1.0" || fail "the last good version is not what is shown"
kill -0 "$pid" 2>/dev/null || fail "a broken update ended the kiosk"
echo "ok   a broken update leaves the last good version showing"

sed 's/"version": "1.0"/"version": "1.1"/' "$work/good.json" > "$work/content/desk/pack.json"
showing "desk-basics 1.1" || fail "the fixed update did not appear"
echo "ok   the fixed update appears"

cp -r "$other" "$work/content/breath"
showing "calm-breath" || fail "a pack added later did not appear"
echo "ok   a pack added later appears"
rm -rf "$work/content/breath"
showing -v "calm-breath" || fail "a deleted pack is still shown"
echo "ok   a deleted pack goes"

# A copy that arrives in pieces, as from a slow USB stick: the kiosk waits for it to settle.
mkdir "$work/content/late"
head -c 60 "$other/pack.json" > "$work/content/late/pack.json"
sleep 0.5
cat "$other/pack.json" > "$work/content/late/pack.json"
showing "calm-breath" || fail "a half-copied pack did not settle into the full pack"
echo "ok   a half-copied pack settles into the full pack"

mv "$work/content/late" "$work/content/renamed"
sleep 4
showing "calm-breath" || fail "a renamed pack went missing"
n=$(grep "content: now showing" "$log" | tail -n 1 | grep -o "calm-breath" | wc -l)
[ "$n" -eq 1 ] || fail "a renamed pack shows $n times"
echo "ok   a renamed pack shows once"

kill -TERM "$pid"
wait "$pid"
[ $? -eq 0 ] || fail "SIGTERM did not end it with status 0"
echo "ok   SIGTERM ends it with status 0"
rm -rf "$work"
echo "7 passed, 0 failed"
