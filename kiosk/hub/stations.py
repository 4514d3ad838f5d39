"""Stations on the hub: creation with a one-time code, enrolment, tokens, revocation.

Codes and tokens are stored only as SHA-256 hashes: a copy of the hub database does not let
anyone enrol or push as a station. Codes are single-use and expire.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kiosk.core.keys import key_id_of
from kiosk.hub import feed, projections
from kiosk.hub.models import HubStation
from kiosk.sync.protocol import EnrollRequest, KeyInfo

CODE_LIFETIME = timedelta(days=7)
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud, typed by hand
TOKEN_PREFIX = "ksk_"


class EnrollError(Exception):
    """The code cannot be used (unknown, used, expired) or the key is unacceptable."""


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def normalize_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def new_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


@dataclass(frozen=True)
class StationRow:
    id: str
    name: str
    state: str  # waiting | enrolled | revoked
    created_at: datetime
    enrolled_at: datetime | None
    last_seen_at: datetime | None
    key_id: str | None
    clock_offset_seconds: float | None
    clock_flagged: bool
    key_revoked: bool = False
    # the last health report (POST /v1/station-health)
    app_version: str | None = None
    disk_free_mb: int | None = None
    disk_low: bool | None = None
    camera: str | None = None
    last_backup_at: str | None = None
    health_at: datetime | None = None

    @classmethod
    def of(cls, st: HubStation) -> StationRow:
        state = "revoked" if st.revoked_at else ("enrolled" if st.token_hash else "waiting")
        return cls(
            st.id,
            st.name,
            state,
            st.created_at,
            st.enrolled_at,
            st.last_seen_at,
            st.key_id,
            st.clock_offset_seconds,
            st.clock_flagged,
            st.key_revoked_at is not None,
            st.app_version,
            (st.health or {}).get("disk_free_mb"),
            (st.health or {}).get("disk_low"),
            (st.health or {}).get("camera"),
            (st.health or {}).get("last_backup_at"),
            st.health_at,
        )

    def health_text(self) -> str:
        """``v0.1.0  disk 812 MB  camera ok  backup 2026-12-02`` (empty before a report)."""
        if self.health_at is None:
            return ""
        disk = "-" if self.disk_free_mb is None else f"{self.disk_free_mb} MB"
        low = " LOW" if self.disk_low else ""
        backup = (self.last_backup_at or "never")[:10]
        return f"  v{self.app_version}  disk {disk}{low}  camera {self.camera}  backup {backup}"


def add_station(session: Session, name: str, now: datetime) -> tuple[HubStation, str]:
    """A new station waiting for enrolment, and its code (shown once, never stored)."""
    code = new_code()
    station = HubStation(
        id=str(uuid.uuid4()),
        name=name,
        created_at=now,
        code_hash=digest(normalize_code(code)),
        code_expires_at=now + CODE_LIFETIME,
        clock_flagged=False,
    )
    session.add(station)
    return station, code


def list_stations(session: Session) -> list[StationRow]:
    rows = session.scalars(select(HubStation).order_by(HubStation.created_at))
    return [StationRow.of(s) for s in rows]


def revoke_station(
    session: Session, station_id: str, now: datetime, revoke_key: bool = False
) -> HubStation | None:
    """Refuse the station's token; with ``revoke_key`` stations also refuse its badges."""
    station = session.get(HubStation, station_id)
    if station is None:
        return None
    if station.revoked_at is None:
        station.revoked_at = now
        station.code_hash = None  # an unused code dies with the station
    if revoke_key and station.key_id and station.key_revoked_at is None:
        station.key_revoked_at = now
        feed.append(session, "key", None, key_info(station).model_dump(mode="json"), now)
    return station


def key_info(station: HubStation) -> KeyInfo:
    assert station.key_id and station.public_key
    return KeyInfo(
        key_id=station.key_id,
        public_key=station.public_key,
        station_id=station.id,
        station_name=station.name,
        revoked_at=station.key_revoked_at,
    )


def keyring(session: Session) -> list[KeyInfo]:
    """Every enrolled station's key and the bureau's own (:mod:`kiosk.hub.bureau_badges`)."""
    from kiosk.hub.bureau_badges import bureau_keys

    enrolled = session.scalars(
        select(HubStation).where(HubStation.key_id.is_not(None)).order_by(HubStation.enrolled_at)
    )
    return [key_info(s) for s in enrolled] + bureau_keys(session)


def enroll(session: Session, req: EnrollRequest, now: datetime) -> tuple[HubStation, str]:
    """Exchange a code for a token; the station's key enters the change feed."""
    station = session.scalar(
        select(HubStation).where(HubStation.code_hash == digest(normalize_code(req.code)))
    )
    if station is None or station.revoked_at is not None or station.token_hash is not None:
        raise EnrollError("unknown or already used enrolment code")
    if station.code_expires_at is not None and now > station.code_expires_at:
        raise EnrollError("enrolment code expired; create a new station")
    if key_id_of(bytes.fromhex(req.public_key)) != req.key_id:
        raise EnrollError("key_id does not match the public key")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    station.code_hash = None
    station.token_hash = digest(token)
    station.enrolled_at = now
    station.key_id = req.key_id
    station.public_key = req.public_key
    station.local_station_id = req.local_station_id
    station.device_id = req.device_id
    try:
        session.flush()
    except IntegrityError:
        raise EnrollError("this badge key is already enrolled for another station") from None
    feed.append(session, "key", station.id, key_info(station).model_dump(mode="json"), now)
    # Badges of this station that others could not check, nor the hub until now.
    projections.key_arrived(session, req.key_id, now)
    return station, token


def station_for_token(session: Session, token: str) -> HubStation | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    return session.scalar(select(HubStation).where(HubStation.token_hash == digest(token)))
