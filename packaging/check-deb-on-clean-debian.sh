#!/usr/bin/env bash
# Install the .deb on a clean, minimal Debian 12 (a debootstrap chroot) and check it:
#   sudo packaging/check-deb-on-clean-debian.sh dist/station-kiosk_<version>_amd64.deb [DIR]
# Needs root, debootstrap (apt-get install debootstrap) and a Debian mirror ($MIRROR,
# default deb.debian.org); about 5-10 minutes and 600 MB. Checks that apt resolves every
# dependency, the kiosk user and data folder exist, the session is enabled for boot, the
# unit passes systemd-analyze verify, every bundled library finds its dependencies, and
# the kiosk initialises a station, checks a badge in and renders a Chinese screen as the
# kiosk user. Not in CI (time and network); run it before publishing a release.
set -euo pipefail
DEB=$(realpath "$1")
ROOT="${2:-/tmp/station-kiosk-clean-debian}"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
[ "$(id -u)" -eq 0 ] || { echo "run as root (debootstrap, chroot)" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "apt-get install debootstrap" >&2; exit 2; }
started=$SECONDS

if [ ! -x "$ROOT/usr/bin/apt-get" ]; then
  say "debootstrap --variant=minbase bookworm $ROOT"
  debootstrap --variant=minbase bookworm "$ROOT" "$MIRROR" >/dev/null
fi
mount -t proc proc "$ROOT/proc"
trap 'umount "$ROOT/proc" 2>/dev/null || true' EXIT
in_root() { chroot "$ROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }
cp "$DEB" "$ROOT/tmp/"
say "apt-get install ./$(basename "$DEB")"
in_root apt-get update -qq
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "/tmp/$(basename "$DEB")" \
  > "$ROOT/tmp/apt.log" 2>&1 || { tail -n 30 "$ROOT/tmp/apt.log"; exit 1; }

say "user, data folder, boot target"
in_root id kiosk
in_root stat -c '%U:%G %a %n' /var/lib/station-kiosk
in_root test -L /etc/systemd/system/graphical.target.wants/station-kiosk.service
in_root systemd-analyze verify /lib/systemd/system/station-kiosk.service

say "ldd of every bundled library"
if in_root sh -c 'cd /opt/station-kiosk && find . -type f -name "*.so*" -exec env \
    LD_LIBRARY_PATH=/opt/station-kiosk/_internal ldd {} \; 2>/dev/null' | grep "not found"; then
  echo "some libraries are missing (above)" >&2
  exit 1
fi

say "the kiosk as the kiosk user"
in_root kiosk --version
in_root kiosk init --station-name 干净系统测试站
in_root sh -c 'kiosk --json person add --name 张三 --trade 环卫 > /tmp/person.json'
id=$(sed 's/.*"id": "\([^"]*\)".*/\1/' "$ROOT/tmp/person.json")
in_root kiosk badge issue "$id" --out /var/lib/station-kiosk/card.png
in_root kiosk scan-image /var/lib/station-kiosk/card.png | grep -q "欢迎回家"
in_root kiosk screenshot --screen home --out /var/lib/station-kiosk/home.png
cp "$ROOT/var/lib/station-kiosk/home.png" "$(dirname "$DEB")/clean-debian-home.png"
say "all checks passed in $((SECONDS - started)) s; the home screen is in" \
  "$(dirname "$DEB")/clean-debian-home.png (look at it: Chinese, not boxes)"
