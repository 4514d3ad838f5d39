"""The station's hub API token, kept in a 0600 file beside the signing key.

Not in the database, so it never reaches the outbox, a database export or a log line; it
is written atomically so a crash never leaves half a token.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.core.station import StationService

TOKEN_FILENAME = "hub-token"


def token_store(station: StationService) -> TokenStore:
    """The station's token file (beside its signing key); cheap, no HTTP stack imported."""
    return TokenStore(station.paths.private_key.parent)


class TokenStore:
    def __init__(self, keys_dir: Path) -> None:
        self.path = keys_dir / TOKEN_FILENAME

    def read(self) -> str | None:
        try:
            return self.path.read_text(encoding="ascii").strip() or None
        except FileNotFoundError:
            return None

    def write(self, token: str) -> None:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(token)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)

    def __repr__(self) -> str:  # never show the token itself
        return f"TokenStore({self.path})"
