#!/usr/bin/env bash
# Build the bundle twice from one commit and compare every file byte by byte.
#   packaging/compare-bundles.sh [PYTHON] [COMMIT]     (default: .venv/bin/python, HEAD)
# The commit is exported (git archive) to a temp folder and built there twice, so edits in
# the working tree cannot leak in. Prints the files that differ and exits 1 if any do. Not
# part of CI (two builds); run it after changing kiosk.spec or the Python dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${1:-.venv/bin/python}"
PYTHON="$(cd "$(dirname "$PYTHON")" && pwd)/$(basename "$PYTHON")"  # absolute, the venv's link
COMMIT="${2:-HEAD}"
work=$(mktemp -d /tmp/station-kiosk-repro.XXXXXX)
git archive "$COMMIT" | tar -x -C "$work/"
SOURCE_DATE_EPOCH="$(git log -1 --format=%ct "$COMMIT")"
export SOURCE_DATE_EPOCH
sums() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }
(cd "$work" && packaging/build-bundle.sh "$PYTHON")
sums "$work/dist/station-kiosk" > "$work/first.sha256"
(cd "$work" && packaging/build-bundle.sh "$PYTHON")
sums "$work/dist/station-kiosk" > "$work/second.sha256"
if diff -u "$work/first.sha256" "$work/second.sha256"; then
  echo "==> $COMMIT: two builds identical, $(wc -l < "$work/first.sha256") files;" \
    "sha256 of the file list: $(sha256sum < "$work/first.sha256" | cut -c1-16)"
  rm -rf "$work"
else
  echo "==> the two builds differ (kept in $work)" >&2
  exit 1
fi
