"""Signed badge tokens: what a worker's QR code carries.

A token is ``YZ1:`` followed by the unpadded RFC 4648 base32 of a 33-byte body and its
64-byte Ed25519 signature — 160 characters, all in QR's compact alphanumeric set. The body
holds only identifiers (never a name or phone number)::

    version u8 | key id 8 bytes | person UUID 16 bytes | serial u32 | issued u16 | expires u16

Dates are days since 2020-01-01; an expiry of 0 means none. The signature covers the
prefix and the body, so a token cannot be replayed under another format.

Letter case does not matter (base32 decodes both cases to the same bytes), but the 4 unused
bits of the last character must be zero: each badge has exactly one spelling up to case, so
no one can make a "different" token of the same badge by changing its last character.
"""

from __future__ import annotations

import base64
import binascii
import struct
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kiosk.core.results import BadgeProblem

PREFIX = "YZ1:"
VERSION = 1
_BODY = struct.Struct(">B8s16sIHH")
_SIG_LEN = 64
_EPOCH = date(2020, 1, 1)
_TOKEN_LEN = len(PREFIX) + 156
_MAX_TEXT = 512  # anything longer is not ours; don't even try to decode it


class BadgeError(Exception):
    def __init__(self, problem: BadgeProblem, detail: str = "") -> None:
        super().__init__(f"{problem.value}: {detail}" if detail else problem.value)
        self.problem = problem


@dataclass(frozen=True)
class BadgeToken:
    key_id: str
    person_id: str
    serial: int
    issued_on: date
    expires_on: date | None
    body: bytes
    signature: bytes

    def signed_message(self) -> bytes:
        return PREFIX.encode() + self.body

    @property
    def text(self) -> str:
        """The token's one canonical spelling (upper case), whatever case was scanned."""
        return _encode(self.body + self.signature)


def _encode(raw: bytes) -> str:
    return PREFIX + base64.b32encode(raw).decode("ascii").rstrip("=")


def _days(d: date) -> int:
    n = (d - _EPOCH).days
    if not 0 <= n <= 0xFFFF:
        raise ValueError(f"date {d} out of the badge's range")
    return n


def issue_token(
    private_key: Ed25519PrivateKey,
    key_id: str,
    person_id: str,
    serial: int,
    issued_on: date,
    expires_on: date | None = None,
) -> str:
    body = _BODY.pack(
        VERSION,
        bytes.fromhex(key_id),
        uuid.UUID(person_id).bytes,
        serial,
        _days(issued_on),
        0 if expires_on is None else _days(expires_on),
    )
    signature = private_key.sign(PREFIX.encode() + body)
    return _encode(body + signature)


def parse_token(text: str) -> BadgeToken:
    """Decode a token's structure (no signature check). Raises :class:`BadgeError`."""
    if not isinstance(text, str) or len(text) > _MAX_TEXT:
        raise BadgeError(BadgeProblem.NOT_A_BADGE, "not text or too long")
    candidate = text.strip().upper()  # wedge scanners with Caps Lock on send lower case
    if not candidate.startswith(PREFIX):
        if candidate.startswith("YZ") and candidate[2:3].isdigit():
            raise BadgeError(BadgeProblem.MALFORMED, "unsupported badge version")
        raise BadgeError(BadgeProblem.NOT_A_BADGE)
    if len(candidate) != _TOKEN_LEN:
        raise BadgeError(BadgeProblem.MALFORMED, "wrong length")
    encoded = candidate[len(PREFIX) :]
    try:
        raw = base64.b32decode(encoded + "=" * (-len(encoded) % 8))
    except (binascii.Error, ValueError):
        raise BadgeError(BadgeProblem.MALFORMED, "not base32") from None
    if _encode(raw) != candidate:
        raise BadgeError(BadgeProblem.MALFORMED, "unused bits set in the last character")
    body, signature = raw[: _BODY.size], raw[_BODY.size :]
    if len(signature) != _SIG_LEN:
        raise BadgeError(BadgeProblem.MALFORMED, "truncated")
    version, key_id, person, serial, issued, expires = _BODY.unpack(body)
    if version != VERSION:
        raise BadgeError(BadgeProblem.MALFORMED, f"unsupported version {version}")
    return BadgeToken(
        key_id=key_id.hex(),
        person_id=str(uuid.UUID(bytes=person)),
        serial=serial,
        issued_on=_EPOCH + timedelta(days=issued),
        expires_on=None if expires == 0 else _EPOCH + timedelta(days=expires),
        body=body,
        signature=signature,
    )


def verify_signature(token: BadgeToken, public_key_raw: bytes) -> None:
    """Raise :class:`BadgeError` unless the token was signed by this key."""
    try:
        Ed25519PublicKey.from_public_bytes(public_key_raw).verify(
            token.signature, token.signed_message()
        )
    except (InvalidSignature, ValueError):
        raise BadgeError(BadgeProblem.BAD_SIGNATURE) from None


@dataclass(frozen=True)
class BadgeCheck:
    token: BadgeToken
    key_known: bool  # False: valid structure under a key this kiosk has not learned yet


def check_badge(text: str, keyring: Mapping[str, bytes], today: date) -> BadgeCheck:
    """Offline verification against the keyring (``key_id -> raw public key``).

    Revocation is the caller's job: it needs the database.
    """
    token = parse_token(text)
    public = keyring.get(token.key_id)
    if public is not None:
        verify_signature(token, public)
    if token.expires_on is not None and today > token.expires_on:
        raise BadgeError(BadgeProblem.EXPIRED)
    return BadgeCheck(token=token, key_known=public is not None)


def looks_signed(text: str, keyring: Mapping[str, bytes]) -> bool:
    """True when ``text`` verifies under a known key: lets the scanner accept it at once."""
    try:
        token = parse_token(text)
        public = keyring.get(token.key_id)
        if public is None:
            return False
        verify_signature(token, public)
        return True
    except BadgeError:
        return False
