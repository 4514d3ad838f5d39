#!/usr/bin/env bash
# Build the bundle twice from this commit and compare every file byte by byte.
#   packaging/compare-bundles.sh [PYTHON]
# Prints the files that differ (none expected) and exits 1 if any do. Not part of CI: it takes
# two builds; run it after changing kiosk.spec or the Python dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${1:-.venv/bin/python}"
first=$(mktemp -d /tmp/station-kiosk-build1.XXXXXX)
packaging/build-bundle.sh "$PYTHON"
cp -a dist/station-kiosk "$first/"
packaging/build-bundle.sh "$PYTHON"
( cd "$first/station-kiosk" && find . -type f -print0 | sort -z | xargs -0 sha256sum ) > "$first/a.sha256"
( cd dist/station-kiosk && find . -type f -print0 | sort -z | xargs -0 sha256sum ) > "$first/b.sha256"
if diff -u "$first/a.sha256" "$first/b.sha256"; then
  echo "==> identical: $(wc -l < "$first/a.sha256") files, sha256 of the lists: $(sha256sum < "$first/a.sha256" | cut -c1-16)"
  rm -rf "$first"
else
  echo "==> the two builds differ (first build kept in $first)" >&2
  exit 1
fi
