#!/usr/bin/env bash
# Build dist/station-kiosk_<version>_amd64.deb from the bundle in dist/station-kiosk/
# (./dev bundle first; ./dev deb does both). Plain dpkg-deb, no debhelper:
#   /opt/station-kiosk/          the bundle, plus session/stop-kiosk and the set-up guide
#   /usr/bin/kiosk               the keeper's command (runs as the kiosk user)
#   /lib/systemd/system/station-kiosk.service, /etc/pam.d/station-kiosk
#   /etc/default/station-kiosk   local choices (rotation, camera), a conffile
# The kiosk user and /var/lib/station-kiosk are made by postinst; preinst backs the
# database up before an upgrade. Depends: packaging/deb/system-libs.txt (what `ldd` of the
# bundle needs from the system, checked by tests/bundle) plus the session's programs.
set -euo pipefail
cd "$(dirname "$0")/.."
BUNDLE="${BUNDLE:-dist/station-kiosk}"   # tests point it at a small stand-in
OUT_DIR="${OUT_DIR:-dist}"
DEB=packaging/deb
[ -x "$BUNDLE/kiosk" ] || { echo "no $BUNDLE/kiosk: run ./dev bundle first" >&2; exit 1; }
VERSION=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' kiosk/__init__.py)
ARCH=amd64
OUT="$OUT_DIR/station-kiosk_${VERSION}_${ARCH}.deb"
ROOT="$(mktemp -d "${TMPDIR:-/tmp}/station-kiosk-deb.XXXXXX")/station-kiosk_${VERSION}_${ARCH}"
trap 'rm -rf "$(dirname "$ROOT")"' EXIT
started=$SECONDS

# The session's programs and data files, beyond the libraries the bundle links to.
RUNTIME=(
  cage xwayland            # the Wayland kiosk compositor; Debian's cage aborts without Xwayland
  libgl1-mesa-dri libegl-mesa0   # the GPU drivers behind libGL/libEGL
  fontconfig-config fonts-wqy-microhei xkb-data   # fonts.conf, a CJK font, keyboard maps
  speech-dispatcher        # the spoken greeting
  dbus libpam-systemd systemd procps   # a logind session for cage; pkill in ExecStop
)
LIBS=$(grep -v '^#' "$DEB/system-libs.txt" | awk 'NF {print $2}')
DEPENDS=$(printf '%s\n' $LIBS "${RUNTIME[@]%%#*}" | grep -v '^$' | sort -u | paste -sd, | sed 's/,/, /g')

mkdir -p "$OUT_DIR"
install -d "$ROOT/DEBIAN" "$ROOT/opt" "$ROOT/usr/bin" "$ROOT/lib/systemd/system" \
  "$ROOT/etc/pam.d" "$ROOT/etc/default" "$ROOT/usr/share/doc/station-kiosk"
cp -a "$BUNDLE" "$ROOT/opt/station-kiosk"
install -d "$ROOT/opt/station-kiosk/session" "$ROOT/opt/station-kiosk/docs"
install -m 0755 "$DEB/session/stop-kiosk" "$ROOT/opt/station-kiosk/session/stop-kiosk"
install -m 0755 "$DEB/session/kiosk" "$ROOT/usr/bin/kiosk"
install -m 0644 "$DEB/systemd/station-kiosk.service" "$ROOT/lib/systemd/system/"
install -m 0644 "$DEB/systemd/pam-station-kiosk" "$ROOT/etc/pam.d/station-kiosk"
install -m 0644 "$DEB/default-station-kiosk" "$ROOT/etc/default/station-kiosk"
for doc in docs/station-setup.md docs/deployment.md; do
  [ -f "$doc" ] && install -m 0644 "$doc" "$ROOT/opt/station-kiosk/docs/"
done
printf 'station-kiosk %s: the 驿站终端 station kiosk. License: MIT.\n' "$VERSION" \
  > "$ROOT/usr/share/doc/station-kiosk/copyright"
for script in preinst postinst prerm postrm; do
  install -m 0755 "$DEB/maintainer/$script" "$ROOT/DEBIAN/$script"
done
printf '/etc/default/station-kiosk\n/etc/pam.d/station-kiosk\n' > "$ROOT/DEBIAN/conffiles"
SIZE_KB=$(du -sk --exclude=DEBIAN "$ROOT" | cut -f1)
cat > "$ROOT/DEBIAN/control" <<CONTROL
Package: station-kiosk
Version: $VERSION
Architecture: $ARCH
Maintainer: Station Kiosk team <kiosk@example.invalid>
Installed-Size: $SIZE_KB
Depends: $DEPENDS
Recommends: speech-dispatcher-espeak-ng, pulseaudio | pipewire-pulse
Section: misc
Priority: optional
Description: 驿站终端 — the touchscreen kiosk of a city workers' rest station
 Workers scan their QR badges and are greeted by name; the keeper runs the station
 by touch. Starts full screen on tty1 at boot (cage), restarts when it exits and
 reboots after repeated failures. Data: /var/lib/station-kiosk.
CONTROL
SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}"
export SOURCE_DATE_EPOCH
dpkg-deb --root-owner-group -Zgzip -z6 --build "$ROOT" "$OUT" >/dev/null
printf '==> %s: %s MB, built in %d s\n' "$OUT" "$(du -m "$OUT" | cut -f1)" $((SECONDS - started)) >&2
