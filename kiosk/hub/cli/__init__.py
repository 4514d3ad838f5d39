"""The ``kiosk-hub`` command: run the hub; manage stations, the roster, badges,
announcements and study packages; figures and exports. Commands are listed in docs/sync.md.

Follows the kiosk CLI's conventions: a global ``--db URL`` (or ``KIOSK_HUB_DB``, default an
SQLite file in the user data folder), ``--json`` for one JSON object per line, and bad
usage reported in one line with exit status 2.

The grammar is in ``parser.py``; each command lives in one module of this package, listed
once in ``commands.py`` (how to add one: docs/architecture.md). Each command imports what it
needs when it runs (``--help`` and ``station list`` do not load the package checker or
pinyin tables), so the command starts quickly.
"""

from __future__ import annotations

import sys

from kiosk.cli.output import Output
from kiosk.hub.cli.commands import HANDLERS
from kiosk.hub.cli.common import UsageError
from kiosk.hub.cli.parser import parse_args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        args = parse_args(argv)
        return HANDLERS[args.command](args, Output(as_json=args.json))
    except UsageError as e:
        print(e, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
