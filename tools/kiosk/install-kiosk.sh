#!/bin/bash
# install-kiosk.sh: turns a Debian 12 machine into a Blue Align waiting-room kiosk.
#
# Installs cage and the build packages, creates the unprivileged "kiosk" user, builds and installs
# the app under /usr/local, writes /etc/blue-align/kiosk.json if there is none, and installs and
# enables blue-align-kiosk.service. Every step checks before it changes anything, so running the
# script again (after pulling a new version, say) only rebuilds, reinstalls and keeps the rest.
# It does not start the kiosk: that would take over tty1 under whoever is using it. See docs/kiosk.md.
#
# Usage: sudo tools/kiosk/install-kiosk.sh   (from anywhere; BUILD_DIR=... to build elsewhere)
set -euo pipefail

say() { printf 'install-kiosk: %s\n' "$*"; }
die() { printf 'install-kiosk: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run this as root, for example: sudo $0"

REPO=$(cd "$(dirname "$0")/../.." && pwd)
cd "$REPO"
if [ ! -f CMakeLists.txt ] || [ ! -f tools/kiosk/blue-align-kiosk.service ]; then
    die "$REPO does not look like the Blue Align source folder"
fi

PREFIX=/usr/local
# A build folder of its own, so a developer's build/ (Debug, sanitizers, tests) is left alone.
BUILD_DIR=${BUILD_DIR:-build-kiosk}
KIOSK_USER=kiosk
KIOSK_GROUPS="video input render audio"
SETTINGS_DIR=/etc/blue-align
SETTINGS=$SETTINGS_DIR/kiosk.json
UNIT=blue-align-kiosk.service
UNIT_DIR=/etc/systemd/system
DOC_DIR=$PREFIX/share/doc/blue_align

say "step 1 of 6: installing the Debian packages that are missing"
# tools/setup.sh installs what building and running the app needs, and only what is missing.
sh tools/setup.sh
# The kiosk's own needs: cage (the compositor), xwayland (for SDL's X11 fallback), libsystemd
# (the watchdog) and libsodium (the staff PIN).
missing=""
for p in cage xwayland libsystemd-dev libsodium-dev; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
if [ -n "$missing" ]; then
    say "  installing$missing"
    apt-get update -qq
    # shellcheck disable=SC2086 # the list is meant to split into words
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
else
    say "  cage, xwayland, libsystemd-dev and libsodium-dev are already installed"
fi

say "step 2 of 6: the '$KIOSK_USER' user"
if id "$KIOSK_USER" >/dev/null 2>&1; then
    say "  '$KIOSK_USER' exists"
else
    # An ordinary (not system) user, so logind gives it a full seat session; no login shell, since
    # nobody ever logs in as it: the unit starts its session.
    useradd --create-home --shell /usr/sbin/nologin --comment "Blue Align kiosk" "$KIOSK_USER"
    say "  created '$KIOSK_USER'"
fi
# No password: nobody can log in as the kiosk user, whatever was done to it before.
usermod --lock "$KIOSK_USER"
for g in $KIOSK_GROUPS; do
    if ! getent group "$g" >/dev/null; then
        say "  group '$g' does not exist on this machine; skipping it"
    elif id -nG "$KIOSK_USER" | tr ' ' '\n' | grep -qx "$g"; then
        say "  '$KIOSK_USER' is already in '$g'"
    else
        usermod --append --groups "$g" "$KIOSK_USER"
        say "  added '$KIOSK_USER' to '$g'"
    fi
done

say "step 3 of 6: building the app in $REPO/$BUILD_DIR and installing it under $PREFIX"
# Build as whoever owns the source folder, so root does not leave files its owner cannot delete;
# only the install needs root.
owner=$(stat -c %U "$REPO")
as_owner=()
if [ "$owner" != root ]; then
    as_owner=(runuser -u "$owner" --)
    say "  building as '$owner', the owner of the source folder"
fi
"${as_owner[@]}" cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_INSTALL_PREFIX="$PREFIX" -DBA_SANITIZE=OFF -DBA_BUILD_TESTS=OFF
"${as_owner[@]}" cmake --build "$BUILD_DIR" --parallel
cmake --install "$BUILD_DIR" --prefix "$PREFIX"
[ -x "$PREFIX/bin/blue-align" ] || die "the build did not install $PREFIX/bin/blue-align"
# The guide the unit's Documentation= points to.
install -D -m 0644 docs/kiosk.md "$DOC_DIR/kiosk.md"
say "  installed $PREFIX/bin/blue-align"

say "step 4 of 6: the settings file $SETTINGS"
install -d -m 0755 "$SETTINGS_DIR"
if [ -e "$SETTINGS" ]; then
    say "  $SETTINGS exists; leaving it as it is"
else
    # Only what a clinic is most likely to change; every other setting has its default
    # (docs/kiosk-settings.md). Readable by the kiosk user; only root may change it.
    (umask 022 && printf '{\n  "idle_prompt_seconds": 90\n}\n' >"$SETTINGS")
    say "  wrote $SETTINGS with the defaults"
fi
say "  staff mode stays off until a staff PIN is set; to set or change it:"
say "    sudo blue-align --set-pin $SETTINGS"

say "step 5 of 6: installing and enabling $UNIT"
install -m 0644 tools/kiosk/"$UNIT" "$UNIT_DIR/$UNIT"
# daemon-reload only makes sense on a running systemd (not in a chroot or an image build).
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload
fi
systemctl enable "$UNIT"
say "  $UNIT is enabled: it starts at boot"

say "step 6 of 6: checking how the machine boots"
# The unit is WantedBy=graphical.target; a machine that boots to multi-user would never start it.
default=$(systemctl get-default 2>/dev/null || echo unknown)
if [ "$default" != graphical.target ]; then
    systemctl set-default graphical.target
    say "  the machine booted to $default; it now boots to graphical.target"
else
    say "  the machine boots to graphical.target"
fi
# A desktop login screen would fight the kiosk for the screen. Leave removing it to a person.
# Debian points this link at the chosen display manager (gdm3, lightdm, ...) when one is installed.
if [ -e "$UNIT_DIR/display-manager.service" ]; then
    say "  WARNING: a display manager (a desktop login screen) is enabled; the kiosk and it would"
    say "  compete for the screen. Turn it off with: sudo systemctl disable display-manager.service"
fi

say "done. Start the kiosk now with 'sudo systemctl start $UNIT' (it takes over tty1), or reboot."
say "Its log: journalctl -u $UNIT"
