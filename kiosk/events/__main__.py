"""``python -m kiosk.events --markdown [--update docs/events.md]``: the event table."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.events import markdown


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m kiosk.events", description=__doc__)
    ap.add_argument("--markdown", action="store_true", help="print the table of event types")
    ap.add_argument("--update", metavar="FILE", type=Path, help="rewrite FILE's generated block")
    args = ap.parse_args(argv)
    if args.update is not None:
        try:
            changed = markdown.update(args.update)
        except (OSError, ValueError) as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        print(f"{args.update}: {'updated' if changed else 'up to date'}")
        return 0
    if args.markdown:
        print(markdown.table())
        return 0
    ap.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
