"""The schema comes from alembic revisions and matches the models; old databases upgrade."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from kiosk.core.station import StationService
from kiosk.paths import StationPaths
from kiosk.store import migrate
from kiosk.store.db import Database
from kiosk.store.models import Base


def test_empty_database_reaches_head_matching_the_models(tmp_path: Path) -> None:
    db = Database(tmp_path / "s.sqlite3")
    migrate.upgrade(db.engine)
    assert migrate.current_revision(db.engine) == migrate.head_revision()
    with db.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    db.close()


def test_database_from_previous_schema_upgrades_in_place(tmp_path: Path) -> None:
    path = tmp_path / "station.sqlite3"
    db = Database(path)
    migrate.upgrade(db.engine, "0001")
    with sqlite3.connect(path) as raw:  # data as the previous version wrote it
        raw.execute(
            "INSERT INTO keyring VALUES ('00112233aabbccdd', x'00', NULL, NULL, 'own', "
            "'2026-01-01 00:00:00')"
        )
        raw.execute(
            "INSERT INTO visits (id, person_id, trade, method, checked_in_at, auto_closed, "
            "unverified) VALUES ('v1', NULL, '环卫', 'trade', '2026-01-01 08:00:00', 0, 0)"
        )
    db.close()

    service = StationService(StationPaths(tmp_path))  # start-up migrates
    assert migrate.current_revision(service.db.engine) == migrate.head_revision()
    assert "00112233aabbccdd" in service.keyring()
    from datetime import date

    assert service.figures(date(2026, 1, 1)).anonymous_by_trade == {"环卫": 1}
    with sqlite3.connect(path) as raw:
        indexes = {r[1] for r in raw.execute("PRAGMA index_list('visits')")}
    assert "ix_visits_person_open" in indexes
    service.close()


def test_pragmas_are_durable(tmp_path: Path) -> None:
    db = Database(tmp_path / "s.sqlite3")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    db.close()
