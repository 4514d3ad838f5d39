"""Device cookies: a browser that has logged in as a user is not locked out with strangers.

Throttling by account and by address (``auth.throttled``) stops guessing, but it also lets a
stranger lock people out: 20 wrong passwords from an office's one NAT address, or 5 against
the admin's name from anywhere, and the clerks who log in every day are refused too. OWASP's
answer ("Slow Down Online Guessing Attacks with Device Cookies") is used here:

* after a successful login the browser gets a signed cookie naming that user;
* a login attempt that shows a valid cookie for the same username is counted and throttled
  on its own (5 failures in 15 minutes lock only that browser), and the account and address
  counters, which strangers fill, do not apply to it;
* everyone else is throttled as before.

The cookie proves only that this browser once knew the password: the password is still
checked every time. Its signature uses a random key kept in ``hub_meta``; a forged, altered,
expired or other user's cookie counts as none. Failures of a trusted browser are stored with
``device:<id>`` in place of the address, so they never fill the account's count.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kiosk.hub.models import HubMeta

DEVICE_COOKIE = "kiosk_console_device"
LIFETIME = timedelta(days=180)
PREFIX = "device:"
_KEY = "console_device_key"


def _key(session: Session) -> bytes:
    row = session.get(HubMeta, _KEY)
    if row is None:
        try:
            with session.begin_nested():
                row = HubMeta(key=_KEY, value=secrets.token_hex(32))
                session.add(row)
        except IntegrityError:  # another hub process made it first
            row = session.get(HubMeta, _KEY)
            assert row is not None
    return bytes.fromhex(row.value)


def _mac(key: bytes, body: str) -> str:
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()[:32]


def issue(session: Session, username: str, now: datetime) -> str:
    """The cookie value for a browser that has just logged in as ``username``."""
    name = base64.urlsafe_b64encode(username.encode()).decode().rstrip("=")
    body = f"{name}.{secrets.token_urlsafe(12)}.{int(now.timestamp())}"
    return f"{body}.{_mac(_key(session), body)}"


def device(session: Session, cookie: str | None, username: str, now: datetime) -> str | None:
    """``device:<id>`` when ``cookie`` is a valid device cookie for ``username``, else None."""
    parts = (cookie or "").split(".")
    if len(parts) != 4 or len(cookie or "") > 300:
        return None
    name, nonce, issued, mac = parts
    body = f"{name}.{nonce}.{issued}"
    if not hmac.compare_digest(mac, _mac(_key(session), body)):
        return None
    try:
        owner = base64.urlsafe_b64decode(name + "=" * (-len(name) % 4)).decode()
        age = now.timestamp() - int(issued)
    except ValueError:
        return None
    if owner != username or not 0 <= age <= LIFETIME.total_seconds():
        return None
    return PREFIX + hashlib.sha256(nonce.encode()).hexdigest()[:16]
