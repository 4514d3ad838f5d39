"""The hub schema comes from its own alembic revisions and matches its models; an older
hub database upgrades in place and projects the events it already held."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, text

from kiosk.hub.db import (
    HubDatabase,
    alembic_config,
    current_revision,
    head_revision,
    open_hub_database,
    upgrade,
)
from kiosk.hub.models import HubBase, HubChange, HubMeta, HubPerson, HubVisit
from kiosk.hub.stats import hub_stats


def test_hub_migrations_match_the_models(hub_url_db: str) -> None:
    db = HubDatabase(hub_url_db)
    upgrade(db.engine)
    upgrade(db.engine)  # idempotent
    assert current_revision(db.engine) == head_revision()
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": "hub_alembic_version"})
        assert compare_metadata(context, HubBase.metadata) == []
    db.close()


def test_a_hub_with_events_from_before_the_projections_catches_up(hub_url_db: str) -> None:
    db = HubDatabase(hub_url_db)
    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    t0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
    naive = t0.replace(tzinfo=None)
    events = [
        ("person.upserted", {"person_id": "p1", "name": "张三", "trade": "环卫",
                             "active": True, "updated_at": t0.isoformat()}),
        ("visit.checked_in", {"visit_id": "v1", "person_id": "p1", "trade": "环卫",
                              "method": "camera", "checked_in_at": t0.isoformat()}),
        ("visit.checked_out", {"visit_id": "v1", "person_id": "p1", "rest_seconds": 3600,
                               "checked_out_at": (t0 + timedelta(hours=1)).isoformat()}),
    ]  # fmt: skip
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO hub_stations (id, name, created_at, clock_flagged) "
                "VALUES ('s1', '东站', :t, false)"
            ),
            {"t": naive},
        )
        for seq, (type_, payload) in enumerate(events, start=1):
            conn.execute(
                text(
                    "INSERT INTO hub_events (event_id, station_id, seq, type, schema_version, "
                    "payload, device_time, received_at, clock_offset_seconds, clock_flagged) "
                    "VALUES (:id, 's1', :seq, :type, 1, :payload, :t, :t, 0, false)"
                ),
                {
                    "id": str(uuid.uuid4()),
                    "seq": seq,
                    "type": type_,
                    "payload": json.dumps(payload),
                    "t": naive,
                },
            )
    db.close()

    db = open_hub_database(hub_url_db)  # migrates to head and projects the old events
    with db.read() as s:
        assert s.get(HubMeta, "projection") is None
        person = s.get(HubPerson, "p1")
        assert person is not None and person.name == "张三"
        [visit] = s.scalars(select(HubVisit))
        assert visit.rest_seconds == 3600 and visit.checked_in_at == t0
        kinds = [c.kind for c in s.scalars(select(HubChange))]
        assert kinds == ["person"]
        stats = hub_stats(s, None, None, ZoneInfo("Asia/Shanghai"))
        assert stats.overall.visits == 1 and stats.overall.rest_seconds == 3600
    db.close()


def test_unverified_visits_from_before_the_hub_checked_badges_are_left_out(
    hub_url_db: str,
) -> None:
    """Issue 10: an older station sent no token with an unverified visit, so the hub can
    never check it: after the upgrade it is kept, flagged unverifiable, and in no figure."""
    db = HubDatabase(hub_url_db)
    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0006")
    t0 = datetime(2026, 11, 2, 1, 0)
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO hub_stations (id, name, created_at, clock_flagged) "
                "VALUES ('s1', '东站', :t, false)"
            ),
            {"t": t0},
        )
        for visit_id, unverified in (("v1", False), ("v2", True)):
            conn.execute(
                text(
                    "INSERT INTO hub_visits (station_id, visit_id, person_id, method, "
                    "checked_in_at, auto_closed, unverified, overlap) "
                    "VALUES ('s1', :v, 'p1', 'camera', :t, false, :u, false)"
                ),
                {"v": visit_id, "t": t0, "u": unverified},
            )
    db.close()

    db = open_hub_database(hub_url_db)
    with db.read() as s:
        rows = {v.visit_id: v.verification for v in s.scalars(select(HubVisit))}
        stats = hub_stats(s, None, None, ZoneInfo("Asia/Shanghai"))
    db.close()
    assert rows == {"v1": "station", "v2": "unverifiable"}
    assert stats.overall.visits == 1 and stats.excluded == {"unverifiable": 1}


def test_people_from_before_the_search_keys_are_found_after_the_upgrade(hub_url_db: str) -> None:
    """Migration 0010_search fills ``hub_person_keys`` for the roster the hub already had."""
    from kiosk.hub import person_search

    db = HubDatabase(hub_url_db)
    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0009_i14_console")
    t0 = datetime(2026, 11, 2, 1, 0)
    with db.engine.begin() as conn:
        for pid, name in (("p1", "欧阳娜娜"), ("p2", "单田芳"), ("p3", "李四")):
            conn.execute(
                text(
                    "INSERT INTO hub_people (id, name, trade, party_member, active, updated_at) "
                    "VALUES (:id, :name, '环卫', false, true, :t)"
                ),
                {"id": pid, "name": name, "t": t0},
            )
    db.close()

    db = open_hub_database(hub_url_db)
    with db.read() as s:
        found = {
            q: [p.name for p in person_search.search(s, q, None, 0, 10)[1]]
            for q in ("oyn", "ouyang", "shan", "dantian", "li", "四", "zz")
        }
    db.close()
    assert found == {
        "oyn": ["欧阳娜娜"],
        "ouyang": ["欧阳娜娜"],
        "shan": ["单田芳"],
        "dantian": ["单田芳"],
        "li": ["李四"],
        "四": ["李四"],
        "zz": [],
    }
