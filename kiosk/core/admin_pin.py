"""The admin PIN, kept only as a salted scrypt hash in a small file in the data folder.

Qt-free on purpose: the CLI can reset the PIN without a screen. A station that never set a
PIN accepts :data:`DEFAULT_PIN` (documented for the demo) until one is set.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PIN = "2580"
PIN_FILE = "admin-pin.json"
_N, _R, _P = 2**14, 8, 1  # ~16 MB, ~50 ms: slow enough for guessing, fast enough for a tap


class PinError(ValueError):
    pass


def hash_pin(pin: str, salt: bytes | None = None) -> dict[str, str | int]:
    if not (4 <= len(pin) <= 12 and pin.isdigit()):
        raise PinError("a PIN is 4 to 12 digits")
    import hashlib
    import secrets

    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return {"algo": "scrypt", "n": _N, "r": _R, "p": _P, "salt": salt.hex(), "hash": digest.hex()}


def verify_pin(pin: str, record: dict[str, str | int]) -> bool:
    import hashlib
    import hmac

    try:
        salt = bytes.fromhex(str(record["salt"]))
        expected = bytes.fromhex(str(record["hash"]))
        digest = hashlib.scrypt(
            pin.encode(),
            salt=salt,
            n=int(record["n"]),
            r=int(record["r"]),
            p=int(record["p"]),
            dklen=len(expected),
        )
    except (KeyError, ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, expected)


@dataclass(frozen=True)
class PinStore:
    """The PIN file of one station (``<data dir>/admin-pin.json``)."""

    path: Path

    @classmethod
    def in_dir(cls, data_dir: Path) -> PinStore:
        return cls(data_dir / PIN_FILE)

    def is_default(self) -> bool:
        return not self.path.exists()

    def check(self, pin: str) -> bool:
        import hmac  # here, not at import: it loads OpenSSL (kept off the first paint)

        if self.is_default():
            return hmac.compare_digest(pin.encode(), DEFAULT_PIN.encode())
        try:
            record = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return verify_pin(pin, record)

    def set(self, pin: str) -> None:
        record = hash_pin(pin)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(record), encoding="utf-8")
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)
