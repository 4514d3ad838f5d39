"""Console accounts: roles, station scopes, argon2 password hashes.

Shared by ``kiosk-hub user …`` and the console's login. A password is never stored or
logged; argon2id (argon2-cffi's defaults: 64 MiB, 3 passes) makes a stolen copy of the
table slow to attack. Changing a password or disabling an account ends its sessions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kiosk.hub.models import ConsoleSession, ConsoleUser, ConsoleUserStation, HubStation

MIN_PASSWORD = 10
MAX_PASSWORD = 200
_USERNAME = re.compile(r"^[A-Za-z0-9_.-]{2,40}$")
_hasher = PasswordHasher()
# Verified against when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class Role(StrEnum):
    ADMIN = "admin"
    KEEPER = "keeper"
    VIEWER = "viewer"


ROLE_LABELS = {Role.ADMIN: "管理员", Role.KEEPER: "站长", Role.VIEWER: "只读"}


class AccountError(Exception):
    """A request about accounts that cannot be done; the message is one line."""


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    role: Role
    active: bool
    stations: tuple[str, ...]  # station ids; empty: all (admins and unscoped viewers)
    station_names: tuple[str, ...]


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"password shorter than {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"password longer than {MAX_PASSWORD} characters")
    return password


def hash_password(password: str) -> str:
    return _hasher.hash(check_password(password))


def verify_password(stored: str | None, password: str) -> bool:
    """Constant work whether or not the account exists."""
    try:
        return _hasher.verify(stored or _DUMMY_HASH, password[:MAX_PASSWORD]) and bool(stored)
    except (VerificationError, InvalidHashError):
        return False


def _resolve_stations(session: Session, names: list[str]) -> list[HubStation]:
    found = []
    for name in names:
        station = session.get(HubStation, name) or session.scalar(
            select(HubStation).where(HubStation.name == name).order_by(HubStation.created_at)
        )
        if station is None:
            raise AccountError(f"no station named {name!r}")
        found.append(station)
    return found


def add_user(
    session: Session, username: str, role: Role, password: str, stations: list[str], now: datetime
) -> ConsoleUser:
    if not _USERNAME.match(username):
        raise AccountError("a username is 2–40 letters, digits, '.', '_' or '-'")
    if session.scalar(select(ConsoleUser.id).where(ConsoleUser.username == username)):
        raise AccountError(f"user {username!r} already exists")
    if role is Role.KEEPER and not stations:
        raise AccountError("a keeper needs at least one --station")
    if role is Role.ADMIN and stations:
        raise AccountError("an admin sees every station; --station is for keepers and viewers")
    chosen = _resolve_stations(session, stations)
    user = ConsoleUser(
        username=username,
        password_hash=hash_password(password),
        role=role.value,
        active=True,
        created_at=now,
        password_changed_at=now,
    )
    session.add(user)
    session.flush()
    for station in chosen:
        session.add(ConsoleUserStation(user_id=user.id, station_id=station.id))
    session.flush()
    return user


def find_user(session: Session, username: str) -> ConsoleUser:
    user = session.scalar(select(ConsoleUser).where(ConsoleUser.username == username))
    if user is None:
        raise AccountError(f"no user {username!r}")
    return user


def end_sessions(session: Session, user_id: int) -> None:
    session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user_id))


def disable_user(session: Session, username: str) -> ConsoleUser:
    user = find_user(session, username)
    user.active = False
    end_sessions(session, user.id)
    return user


def set_password(session: Session, username: str, password: str, now: datetime) -> ConsoleUser:
    user = find_user(session, username)
    user.password_hash = hash_password(password)
    user.password_changed_at = now
    end_sessions(session, user.id)
    return user


def account(session: Session, user: ConsoleUser) -> Account:
    rows = session.execute(
        select(HubStation.id, HubStation.name)
        .join(ConsoleUserStation, ConsoleUserStation.station_id == HubStation.id)
        .where(ConsoleUserStation.user_id == user.id)
        .order_by(HubStation.name)
    ).all()
    return Account(
        user.id,
        user.username,
        Role(user.role),
        user.active,
        tuple(r[0] for r in rows),
        tuple(r[1] for r in rows),
    )


def list_accounts(session: Session) -> list[Account]:
    users = session.scalars(select(ConsoleUser).order_by(ConsoleUser.username))
    return [account(session, u) for u in users]
