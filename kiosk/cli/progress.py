"""Progress of a long command: a bar on a terminal, a few plain lines otherwise.

The bar is tqdm's, on stderr, so stdout stays the command's results (``--json`` records can
be piped while the keeper watches the bar). When stderr is not a terminal (a log file, a
pipe, cron) a bar's carriage returns would be noise: one plain line per tenth instead.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO


class Progress:
    def __init__(self, total: int, label: str, stream: TextIO | None = None) -> None:
        self.total = total
        self.label = label
        self.stream = stream or sys.stderr
        self.done = 0
        self._next_line = 1
        self._bar = None
        if total > 1 and _is_terminal(self.stream):
            from tqdm import tqdm

            # A terminal that reports no size (a serial console) would hide tqdm's bar.
            size = shutil.get_terminal_size()
            self._bar = tqdm(
                total=total,
                desc=label,
                unit="张",
                file=self.stream,
                ncols=size.columns or 80,
                nrows=size.lines or 24,
                leave=True,
            )

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
            return
        if self.total <= 1:
            return
        tenth = self.done * 10 // self.total
        if tenth >= self._next_line or self.done == self.total:
            self._next_line = tenth + 1
            percent = self.done * 100 // self.total
            self.stream.write(f"{self.label}: {self.done}/{self.total} ({percent}%)\n")
            self.stream.flush()

    @contextmanager
    def printing(self) -> Iterator[None]:
        """Write to stdout without tearing the bar (it is cleared and redrawn)."""
        if self._bar is None:
            yield
            return
        with self._bar.external_write_mode(file=sys.stdout):
            yield

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
