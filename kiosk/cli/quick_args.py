"""The default command's arguments without argparse, for a fast cold start.

``kiosk`` / ``kiosk run [--demo] [--camera SRC] [--windowed] [--lang zh|en] [--headless]``
plus the global options is what a kiosk runs at every boot. Importing and building the
whole argparse tree for it costs ~17 ms of CPU before the first paint, so :func:`parse_run`
reads exactly this grammar and returns what :func:`kiosk.cli.parser.parse_args` would.
Anything else (another command, ``--help``, abbreviations, a value that looks like an option,
a mistake) gives ``None``, and the caller falls back to the full parser, which also reports
the errors. Part of the boot path (``kiosk/ui/boot.py``); kept after measuring it against
the full parser (docs/performance.md, "Cold start: the boot path and the quick argument
parser"); ``tests/ui/test_cold_start.py`` holds its answers to argparse's.
"""

from __future__ import annotations

from types import SimpleNamespace


class UsageError(Exception):
    """Bad command-line usage: reported in one line, exit status 2."""


_GLOBAL_FLAGS = {"--json": "json", "-v": "verbose", "--verbose": "verbose"}
_GLOBAL_VALUES = {"--data-dir": "data_dir"}
_RUN_FLAGS = {"--demo": "demo", "--windowed": "windowed", "--headless": "headless"}
_RUN_VALUES = {"--camera": "camera", "--lang": "lang"}
_CHOICES = {"lang": ("zh", "en")}
_DEFAULTS = {
    "command": "run",
    "demo": False,
    "camera": None,
    "windowed": False,
    "lang": "zh",
    "headless": False,
    "data_dir": None,
    "json": False,
    "verbose": False,
}


def parse_run(argv: list[str]) -> SimpleNamespace | None:
    """The ``run`` command's namespace, or ``None`` when ``argv`` needs the full parser."""
    values = dict(_DEFAULTS)
    in_run = False
    i = 0
    while i < len(argv):
        token = argv[i]
        i += 1
        if token == "run" and not in_run:
            in_run = True
            continue
        name, has_value, value = token.partition("=")
        flags = {**_GLOBAL_FLAGS, **(_RUN_FLAGS if in_run else {})}
        options = {**_GLOBAL_VALUES, **(_RUN_VALUES if in_run else {})}
        if name in flags and not has_value:
            values[flags[name]] = True
        elif name in options:
            if not has_value:
                if i >= len(argv) or argv[i].startswith("-"):
                    return None
                value, i = argv[i], i + 1
            key = options[name]
            if key in _CHOICES and value not in _CHOICES[key]:
                return None
            values[key] = value
        else:
            return None
    return SimpleNamespace(**values)
