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


def test_cheap_head_and_current_agree_with_alembic(tmp_path: Path) -> None:
    """The start-up check reads revisions without alembic; it must give alembic's answers."""
    from alembic.script import ScriptDirectory

    from kiosk.hub.db import HUB_MIGRATIONS

    for migrations in (migrate.STATION_MIGRATIONS, HUB_MIGRATIONS):
        script = ScriptDirectory.from_config(migrations.config())
        assert migrations.head() == script.get_current_head()
    db = Database(tmp_path / "s.sqlite3")
    try:
        assert migrate.current_revision(db.engine) is None
        migrate.upgrade(db.engine, "0003")
        with db.engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() == "0003"
        assert migrate.current_revision(db.engine) == "0003"
        migrate.upgrade(db.engine)
        assert migrate.current_revision(db.engine) == migrate.head_revision()
    finally:
        db.close()


def test_opening_an_up_to_date_station_does_not_load_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    StationService(StationPaths(tmp_path)).close()  # creates and migrates the database
    code = (
        "import sys; from pathlib import Path\n"
        "from kiosk.core.station import StationService\nfrom kiosk.paths import StationPaths\n"
        f"StationService(StationPaths(Path({str(tmp_path)!r}))).close()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
