"""Printing results: one JSON object per line with ``--json``, a readable line otherwise."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


@dataclass
class Output:
    as_json: bool

    def emit(self, record: dict[str, Any], human: str | None = None) -> None:
        if self.as_json or human is None:
            line = json.dumps(record, ensure_ascii=False, default=_default)
        else:
            line = human
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
