#!/bin/sh
# Installs the Debian packages that building, running and testing Blue Align need, and only those
# that are missing, so it is quick to run again. Uses sudo when not run as root.
set -eu

# libgl1-mesa-dri: the no-OpenGL test's control run must see OpenGL load when asked for by name.
PACKAGES="build-essential cmake pkg-config
libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev libcjson-dev
fontconfig libfontconfig-dev fonts-noto-core fonts-dejavu-core
libsodium-dev libsystemd-dev libx11-dev libsqlite3-dev tzdata
libxml2-dev zlib1g-dev
python3 python3-jsonschema
xvfb xauth xdotool libgl1-mesa-dri
clang libclang-rt-14-dev"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    echo "setup: all needed Debian packages are installed"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "setup: these packages are missing and this user cannot install them:$missing" >&2
    echo "setup: run this script as root, or install them with apt-get" >&2
    exit 1
fi

echo "setup: installing$missing"
$SUDO apt-get update -qq
# shellcheck disable=SC2086 # the list is meant to split into words
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
echo "setup: done"
