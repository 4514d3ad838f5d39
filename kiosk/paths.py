"""Where a station keeps its files. Qt-free; the data folder is chosen once, at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "station-kiosk"
DATA_DIR_ENV = "KIOSK_DATA_DIR"


def default_data_dir() -> Path:
    """``KIOSK_DATA_DIR`` if set, else the user's data folder (e.g. ~/.local/share/...)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs  # here: a kiosk started with --data-dir never needs it (cold start)

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_log_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class StationPaths:
    data_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / "station.sqlite3"

    @property
    def private_key(self) -> Path:
        return self.data_dir / "keys" / "badge-signing.pem"
