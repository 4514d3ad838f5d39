"""Study packages on the hub: publish, withdraw, and serve them to stations in ranges.

A package is checked with the station's own strict importer (``kiosk.core.study.importer``)
before anything is stored, then published as a zip built from the validated copy (sorted
entries, fixed times: the same content gives the same zip). The zip lives in the database
in slices (``hub_material_chunks``), so several hub processes can serve one database and a
download reads only the slices its range needs. Only the newest version is kept; every
publish and withdrawal is a ``material`` change in the feed.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kiosk.core.study.package import Manifest, PackageError
from kiosk.core.study.store import MaterialStore
from kiosk.hub import feed
from kiosk.hub.db import HubDatabase
from kiosk.hub.models import HubMaterial, HubMaterialChunk
from kiosk.sync.protocol import MaterialInfo

CHUNK_BYTES = 1024 * 1024
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class MaterialError(Exception):
    """A publish or withdrawal the hub refuses; the message is one line."""


class RangeNotSatisfiable(Exception):
    """A Range header that asks for bytes the package does not have (416)."""


@dataclass(frozen=True)
class Prepared:
    """A validated package, ready to publish."""

    manifest: Manifest
    content_sha256: str
    data: bytes  # the zip stations download


@dataclass(frozen=True)
class Published:
    material: MaterialInfo
    action: Literal["published", "upgraded", "unchanged"]
    previous_version: int | None = None


def zip_folder(root: Path) -> bytes:
    """A zip of a (validated) package folder, the same bytes for the same files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(path.relative_to(root).as_posix(), date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())
    return buffer.getvalue()


def prepare(path: Path) -> Prepared:
    """Validate a package folder or zip exactly as a station would; zip the checked copy."""
    with tempfile.TemporaryDirectory(prefix="kiosk-hub-") as tmp:
        store = MaterialStore(Path(tmp))
        try:
            package = store.stage(path)
        except PackageError as e:
            raise MaterialError(f"{path}: refused: {e}") from None
        except OSError as e:
            raise MaterialError(f"{path}: cannot read: {e.strerror or e}") from None
        try:
            return Prepared(package.manifest, package.sha256, zip_folder(package.root))
        finally:
            store.discard(package)


def material_info(row: HubMaterial) -> MaterialInfo:
    return MaterialInfo(
        id=row.id,
        version=row.version,
        title=row.title,
        category=row.category,
        sha256=row.sha256,
        size=row.size,
        content_sha256=row.content_sha256,
        published_at=row.published_at,
        withdrawn=row.withdrawn_at is not None,
    )


def _announce(session: Session, row: HubMaterial, now: datetime) -> None:
    feed.append(session, "material", None, material_info(row).model_dump(mode="json"), now)


def publish(session: Session, prepared: Prepared, now: datetime) -> Published:
    m = prepared.manifest
    return publish_bytes(
        session,
        prepared.data,
        material_id=m.id,
        version=m.version,
        title=m.title,
        category=m.category,
        content_sha256=prepared.content_sha256,
        now=now,
    )


def publish_bytes(
    session: Session,
    data: bytes,
    *,
    material_id: str,
    version: int,
    title: str,
    category: str,
    content_sha256: str,
    now: datetime,
) -> Published:
    """Store a zip and announce it, in the caller's transaction. Call :func:`prepare` first:
    this does not look inside ``data`` (tests use it to publish a broken package).

    A newer version replaces the current one (its zip is deleted); an older version, or the
    same version with other content or after a withdrawal, is refused.
    """
    feed.lock_feed(session)  # serialises publishers on PostgreSQL: check and write as one
    row = session.get(HubMaterial, material_id)
    previous = None
    if row is not None:
        previous = row.version
        if version < row.version:
            raise MaterialError(
                f"{material_id}: version {row.version} is published; "
                f"version {version} is older and was not published"
            )
        if version == row.version:
            if row.content_sha256 == content_sha256 and row.withdrawn_at is None:
                return Published(material_info(row), "unchanged", previous)
            state = "withdrawn" if row.withdrawn_at is not None else "published with other content"
            raise MaterialError(
                f"{material_id}: version {version} was already {state}; raise the version"
            )
        _drop_chunks(session, material_id)
    else:
        row = HubMaterial(id=material_id)
        session.add(row)
    row.version, row.title, row.category = version, title, category
    row.sha256, row.size = hashlib.sha256(data).hexdigest(), len(data)
    row.content_sha256, row.published_at, row.withdrawn_at = content_sha256, now, None
    for start in range(0, len(data), CHUNK_BYTES):
        session.add(
            HubMaterialChunk(
                sha256=row.sha256,
                byte_offset=start,
                material_id=material_id,
                data=data[start : start + CHUNK_BYTES],
            )
        )
    session.flush()
    _announce(session, row, now)
    return Published(material_info(row), "upgraded" if previous else "published", previous)


def withdraw(session: Session, material_id: str, now: datetime) -> HubMaterial | None:
    """Withdraw a package: stations uninstall it if they got it through sync."""
    feed.lock_feed(session)
    row = session.get(HubMaterial, material_id)
    if row is None or row.withdrawn_at is not None:
        return row
    row.withdrawn_at = now
    _drop_chunks(session, material_id)
    _announce(session, row, now)
    return row


def _drop_chunks(session: Session, material_id: str) -> None:
    session.execute(delete(HubMaterialChunk).where(HubMaterialChunk.material_id == material_id))


def list_materials(session: Session) -> list[MaterialInfo]:
    rows = session.scalars(select(HubMaterial).order_by(HubMaterial.category, HubMaterial.id))
    return [material_info(row) for row in rows]


# -- serving ----------------------------------------------------------------------------------


def served_size(session: Session, material_id: str, sha256: str) -> int | None:
    """The size of a package stations may download now; None if it is not (or no longer)."""
    return session.scalar(
        select(HubMaterial.size).where(
            HubMaterial.id == material_id,
            HubMaterial.sha256 == sha256,
            HubMaterial.withdrawn_at.is_(None),
        )
    )


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """``(first, last)`` byte of a single ``bytes=`` range, or None to send everything.

    Headers this hub does not handle (other units, several ranges, bad syntax) are ignored,
    as HTTP allows; a range that starts past the end raises :class:`RangeNotSatisfiable`.
    """
    if not header:
        return None
    unit, _, spec = header.strip().partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first, dash, last = spec.strip().partition("-")
    if not dash or not (first.isdigit() or first == "") or not (last.isdigit() or last == ""):
        return None
    if first == "":
        if last == "":
            return None
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise RangeNotSatisfiable(header)
        return max(0, size - suffix), size - 1
    start = int(first)
    if last and int(last) < start:
        return None  # not a valid range
    if start >= size:
        raise RangeNotSatisfiable(header)
    return start, size - 1 if last == "" else min(int(last), size - 1)


def iter_bytes(db: HubDatabase, sha256: str, start: int, stop: int) -> Iterator[bytes]:
    """Bytes ``start`` up to ``stop`` of a stored zip, one slice per short read transaction.

    A package withdrawn meanwhile ends the body early; the station resumes or drops it.
    """
    position = start
    while position < stop:
        with db.read() as s:
            chunk = s.scalars(
                select(HubMaterialChunk)
                .where(
                    HubMaterialChunk.sha256 == sha256,
                    HubMaterialChunk.byte_offset <= position,
                )
                .order_by(HubMaterialChunk.byte_offset.desc())
                .limit(1)
            ).first()
            piece = b""
            if chunk is not None:
                skip = position - chunk.byte_offset
                piece = bytes(chunk.data[skip : skip + stop - position])
        if not piece:
            return
        yield piece
        position += len(piece)
