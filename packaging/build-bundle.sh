#!/usr/bin/env bash
# Build the station's one-folder bundle: dist/station-kiosk/kiosk (kiosk.spec).
#   packaging/build-bundle.sh [PYTHON]     (./dev bundle calls it with .venv/bin/python)
# PYTHONHASHSEED=0 and SOURCE_DATE_EPOCH make two builds of one commit byte-identical
# (checked with packaging/compare-bundles.sh; docs/station-setup.md#the-bundle).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${1:-.venv/bin/python}"
started=$SECONDS
rm -rf build/kiosk dist/station-kiosk
SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}"
export PYTHONHASHSEED=0 SOURCE_DATE_EPOCH
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build kiosk.spec
size=$(du -sm dist/station-kiosk | cut -f1)
printf '==> dist/station-kiosk: %s MB, built in %d s\n' "$size" $((SECONDS - started)) >&2
