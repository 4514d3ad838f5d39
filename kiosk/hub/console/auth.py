"""Who is asking, and may they: sessions, CSRF, login throttling, and the permission every
console route declares.

A session is a random cookie (HttpOnly, SameSite=Strict, Secure over TLS, path /console);
the database keeps only its SHA-256, so a copy of the database cannot log in. It ends after
:data:`IDLE` without a request, after :data:`LIFETIME` in any case, at logout, and when the
account is disabled or its password changed (the account is read on every request).

Every route depends on :func:`need` (or :func:`public`). The dependency carries its
:class:`Permission` as an attribute, so ``tests/hub/console/test_permissions.py`` can list
every route of the app and fail when a console route has none. State-changing requests
must carry the session's CSRF token (form field ``csrf_token`` or header ``X-CSRF-Token``)
and, when the browser sends one, an ``Origin`` of this host.

Throttling lives in the database (hub processes are stateless): :data:`ACCOUNT_LIMIT` wrong
passwords for one account, or :data:`ADDRESS_LIMIT` from one address, within
:data:`WINDOW` refuse further attempts, right or wrong, until the window has passed.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from kiosk.hub.console import trusted
from kiosk.hub.console.accounts import Role
from kiosk.hub.console.audit import Actor
from kiosk.hub.models import (
    ConsoleLoginFailure,
    ConsolePersonStation,
    ConsoleSession,
    ConsoleUser,
    ConsoleUserStation,
    HubPerson,
    HubVisit,
)

COOKIE = "kiosk_console"
LOGIN_COOKIE = "kiosk_console_login"  # double-submit token of the login form
COOKIE_PATH = "/console"
IDLE = timedelta(minutes=30)
LIFETIME = timedelta(hours=12)
TOUCH_EVERY = timedelta(minutes=1)  # last_seen_at is written at most this often
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20
WINDOW = timedelta(minutes=15)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
RANK = {Role.VIEWER: 0, Role.KEEPER: 1, Role.ADMIN: 2}


class NotLoggedIn(Exception):
    """No valid session: pages redirect to the login form, other requests get 401."""


class Forbidden(Exception):
    """Logged in, but not allowed (role, station, CSRF); the message is shown in Chinese."""

    def __init__(self, message: str = "您没有权限进行此操作。") -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Permission:
    role: Role | None  # None: public (the login form, static files)
    station_param: str | None = None  # a path parameter naming a station
    person_param: str | None = None  # a path parameter naming a person

    def describe(self) -> str:
        scope = self.station_param or self.person_param
        return f"{self.role or 'public'}" + (f" on {scope}" if scope else "")


@dataclass(frozen=True)
class Principal:
    user_id: int
    username: str
    role: Role
    stations: frozenset[str] | None  # None: every station
    csrf_token: str
    address: str
    session_id: str

    @property
    def actor(self) -> Actor:
        return Actor(self.user_id, self.username, self.address)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def can_change(self) -> bool:
        return self.role in (Role.ADMIN, Role.KEEPER)

    def sees(self, station_id: str | None) -> bool:
        return self.stations is None or station_id in self.stations


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def client_address(request: Request) -> str:
    """The peer uvicorn reports (it honours X-Forwarded-For from FORWARDED_ALLOW_IPS only)."""
    return (request.client.host if request.client else "") or "unknown"


def now_of(request: Request) -> datetime:
    return request.app.state.clock()


# -- sessions ---------------------------------------------------------------------------------


def start_session(session: Session, user: ConsoleUser, address: str, now: datetime) -> str:
    """A new session for ``user``; returns the cookie value (stored only as its hash)."""
    token = secrets.token_urlsafe(32)
    session.add(
        ConsoleSession(
            id=digest(token),
            user_id=user.id,
            csrf_token=secrets.token_urlsafe(32),
            address=address[:64],
            created_at=now,
            last_seen_at=now,
            expires_at=now + LIFETIME,
        )
    )
    return token


def end_session(session: Session, token: str) -> None:
    session.execute(delete(ConsoleSession).where(ConsoleSession.id == digest(token)))


def _stations_of(session: Session, user: ConsoleUser) -> frozenset[str] | None:
    if user.role == Role.ADMIN:
        return None
    ids = frozenset(
        session.scalars(
            select(ConsoleUserStation.station_id).where(ConsoleUserStation.user_id == user.id)
        )
    )
    if user.role == Role.VIEWER and not ids:
        return None  # a viewer without stations reads the whole city
    return ids


def principal_for(db: Any, token: str | None, address: str, now: datetime) -> Principal:
    """The account behind a session cookie. Read in a read transaction; a write happens only
    to end a stale session or to note activity (at most every :data:`TOUCH_EVERY`), so page
    views do not queue on SQLite's write lock behind stations' pushes."""
    if not token or len(token) > 100:
        raise NotLoggedIn
    key = digest(token)
    with db.read() as s:
        row = s.get(ConsoleSession, key)
        user = None if row is None else s.get(ConsoleUser, row.user_id)
        if row is None or user is None:
            raise NotLoggedIn
        stale = now >= row.expires_at or now - row.last_seen_at >= IDLE or not user.active
        touch = now - row.last_seen_at >= TOUCH_EVERY
        me = Principal(
            user.id,
            user.username,
            Role(user.role),
            _stations_of(s, user),
            row.csrf_token,
            address,
            row.id,
        )
    if stale:
        with db.write() as s:
            s.execute(delete(ConsoleSession).where(ConsoleSession.id == key))
        raise NotLoggedIn
    if touch:
        with db.write() as s:
            found = s.get(ConsoleSession, key)
            if found is None:  # ended meanwhile (logout, disabled, new password)
                raise NotLoggedIn
            found.last_seen_at = max(found.last_seen_at, now)
    return me


# -- throttling -------------------------------------------------------------------------------


def throttled(
    session: Session, username: str, address: str, now: datetime, device: str | None = None
) -> bool:
    """Too many recent failures: of this trusted browser (``device``, see ``trusted.py``), or
    else of this account from untrusted browsers, or of this address."""
    recent = (
        select(func.count())
        .select_from(ConsoleLoginFailure)
        .where(ConsoleLoginFailure.at >= now - WINDOW)
    )
    if device is not None:
        mine = session.scalar(recent.where(ConsoleLoginFailure.address == device))
        return (mine or 0) >= ACCOUNT_LIMIT
    by_account = session.scalar(
        recent.where(
            ConsoleLoginFailure.username == username,
            ~ConsoleLoginFailure.address.startswith(trusted.PREFIX, autoescape=True),
        )
    )
    by_address = session.scalar(recent.where(ConsoleLoginFailure.address == address))
    return (by_account or 0) >= ACCOUNT_LIMIT or (by_address or 0) >= ADDRESS_LIMIT


def record_failure(session: Session, username: str, where: str, now: datetime) -> None:
    """A failed login from an address, or from a trusted browser (``device:<id>``)."""
    session.execute(delete(ConsoleLoginFailure).where(ConsoleLoginFailure.at < now - WINDOW))
    session.add(ConsoleLoginFailure(username=username[:40], address=where[:64], at=now))


def clear_failures(session: Session, username: str, device: str | None = None) -> None:
    """After a good login: that browser's failures, or the account's untrusted ones. A
    trusted browser's success does not wipe what strangers tried against the account."""
    failures = delete(ConsoleLoginFailure)
    if device is not None:
        session.execute(failures.where(ConsoleLoginFailure.address == device))
        return
    session.execute(
        failures.where(
            ConsoleLoginFailure.username == username,
            ~ConsoleLoginFailure.address.startswith(trusted.PREFIX, autoescape=True),
        )
    )


# -- scope ------------------------------------------------------------------------------------


def person_stations(session: Session, person_id: str) -> set[str]:
    """The stations a person belongs to: home stations set in the console, the station that
    last sent their record, and every station they visited."""
    found = set(
        session.scalars(
            select(ConsolePersonStation.station_id).where(
                ConsolePersonStation.person_id == person_id
            )
        )
    )
    origin = session.scalar(select(HubPerson.origin_station_id).where(HubPerson.id == person_id))
    if origin:
        found.add(origin)
    found.update(
        session.scalars(
            select(HubVisit.station_id).where(HubVisit.person_id == person_id).distinct()
        )
    )
    return found


def people_scope(stations: frozenset[str]) -> Any:
    """A WHERE clause on HubPerson: people of any of ``stations``."""
    return or_(
        HubPerson.origin_station_id.in_(stations),
        HubPerson.id.in_(
            select(ConsolePersonStation.person_id).where(
                ConsolePersonStation.station_id.in_(stations)
            )
        ),
        HubPerson.id.in_(
            select(HubVisit.person_id).where(
                HubVisit.station_id.in_(stations), HubVisit.person_id.is_not(None)
            )
        ),
    )


# -- the permission dependency ---------------------------------------------------------------


async def _csrf_ok(request: Request, expected: str) -> bool:
    sent = request.headers.get("x-csrf-token")
    if sent is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()  # cached: the route reads the same form
            value = form.get("csrf_token")
            sent = value if isinstance(value, str) else None
    return sent is not None and secrets.compare_digest(sent.encode(), expected.encode())


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is None:
        return True  # not a browser, or one that sends no Origin: the CSRF token decides
    if origin == "null":
        return False
    host = request.headers.get("host", "")
    return urlsplit(origin).netloc == host


def need(
    role: Role, *, station_param: str | None = None, person_param: str | None = None
) -> Callable[[Request], Awaitable[Principal]]:
    """A route dependency: a logged-in account of at least ``role``; with ``station_param``
    or ``person_param``, one whose stations include that station or person. State-changing
    methods also need the CSRF token."""
    permission = Permission(role, station_param, person_param)

    async def dependency(request: Request) -> Principal:
        db = request.app.state.db
        now = now_of(request)
        me = principal_for(db, request.cookies.get(COOKIE), client_address(request), now)
        if request.method not in SAFE_METHODS and not (
            _same_origin(request) and await _csrf_ok(request, me.csrf_token)
        ):
            raise Forbidden("页面已过期或来源不明，请刷新页面后重试。")
        if RANK[me.role] < RANK[role]:
            raise Forbidden()
        if station_param and not me.sees(request.path_params.get(station_param)):
            raise Forbidden("您只能查看自己驿站的信息。")
        if person_param and me.stations is not None:
            with db.read() as s:
                theirs = person_stations(s, str(request.path_params.get(person_param)))
            if not theirs & me.stations:
                raise Forbidden("您只能查看自己驿站的人员。")
        request.state.principal = me
        return me

    dependency.console_permission = permission  # type: ignore[attr-defined]
    return dependency


def public() -> Callable[[Request], None]:
    """A route anyone may open (the login form): declared, so the route test can tell it
    from a route that forgot its permission."""

    def dependency(request: Request) -> None:
        return None

    dependency.console_permission = Permission(None)  # type: ignore[attr-defined]
    return dependency
