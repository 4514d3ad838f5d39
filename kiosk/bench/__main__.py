"""``python -m kiosk.bench [decode|commit|all] [options]``; options go to the decode benchmark."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence


def _run_commit() -> int:
    try:
        commit = importlib.import_module("kiosk.bench.commit")
    except ModuleNotFoundError as exc:
        if exc.name != "kiosk.bench.commit":
            raise
        print("commit benchmark not available yet (kiosk/bench/commit.py is missing)")
        return 0
    return int(commit.run() or 0)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m kiosk.bench", description=__doc__)
    ap.add_argument("which", nargs="?", choices=("decode", "commit", "all"), default="all")
    args, rest = ap.parse_known_args(argv)
    status = 0
    if args.which in ("decode", "all"):
        from kiosk.bench import decode

        status |= decode.run(rest)
    if args.which in ("commit", "all"):
        status |= _run_commit()
    return status


if __name__ == "__main__":
    sys.exit(main())
