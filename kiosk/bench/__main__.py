"""``python -m kiosk.bench [decode|commit|all] [options]``; options go to the decode benchmark."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m kiosk.bench", description=__doc__)
    ap.add_argument("which", nargs="?", choices=("decode", "commit", "all"), default="all")
    args, rest = ap.parse_known_args(argv)
    status = 0
    if args.which in ("decode", "all"):
        from kiosk.bench import decode

        status |= decode.run(rest)
    if args.which in ("commit", "all"):
        from kiosk.bench import commit

        status |= commit.run()
    return status


if __name__ == "__main__":
    sys.exit(main())
