"""The admin PIN, kept only as a salted scrypt hash in a small file in the data folder.

Qt-free on purpose: the CLI can reset the PIN without a screen. A station that never set a
PIN accepts :data:`DEFAULT_PIN` (documented for the demo) until one is set.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
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
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return {"algo": "scrypt", "n": _N, "r": _R, "p": _P, "salt": salt.hex(), "hash": digest.hex()}


def verify_pin(pin: str, record: dict[str, str | int]) -> bool:
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


# -- lockout ------------------------------------------------------------------------------------

LOCK_AFTER = 5
"""Wrong PINs in a row that lock the pad."""
FIRST_LOCK_S = 60
MAX_LOCK_S = 3600
LOCK_FILE = "admin-pin-lock.json"


def lock_seconds(locks: int) -> int:
    """The n-th lock in a row lasts 1, 2, 4, 8 … minutes, at most an hour."""
    return min(FIRST_LOCK_S * 2 ** max(locks - 1, 0), MAX_LOCK_S)


@dataclass(frozen=True)
class PinCheck:
    ok: bool
    locked_seconds: int = 0  # > 0: the pad is locked for this long (nothing was checked)
    lock_started: bool = False  # this wrong PIN started a lock
    failures: int = 0  # wrong PINs in a row so far (0 after a lock starts)


@dataclass(frozen=True)
class PinGuard:
    """Counts wrong PINs in ``<data dir>/admin-pin-lock.json`` (survives a restart): after
    :data:`LOCK_AFTER` in a row the pad locks for :func:`lock_seconds`; each further lock
    before a right PIN lasts twice as long. Times are the station clock's epoch seconds."""

    path: Path

    @classmethod
    def in_dir(cls, data_dir: Path) -> PinGuard:
        return cls(data_dir / LOCK_FILE)

    def _state(self) -> dict[str, float]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return {k: float(data.get(k, 0)) for k in ("failures", "locks", "until")}
        except (OSError, ValueError, AttributeError):
            return {"failures": 0.0, "locks": 0.0, "until": 0.0}

    def _save(self, state: dict[str, float]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(state), encoding="utf-8")
        os.replace(tmp, self.path)

    def check(self, store: PinStore, pin: str, now: float) -> PinCheck:
        """Check ``pin`` unless locked; count a wrong one, start a lock at the fifth."""
        state = self._state()
        if state["until"] > now:
            return PinCheck(False, locked_seconds=int(state["until"] - now + 0.999))
        if store.check(pin):
            if state["failures"] or state["locks"]:
                self.path.unlink(missing_ok=True)
            return PinCheck(True)
        state["failures"] += 1
        if state["failures"] >= LOCK_AFTER:
            state["locks"] += 1
            seconds = lock_seconds(int(state["locks"]))
            state.update(failures=0, until=now + seconds)
            self._save(state)
            return PinCheck(False, locked_seconds=seconds, lock_started=True)
        self._save(state)
        return PinCheck(False, failures=int(state["failures"]))
