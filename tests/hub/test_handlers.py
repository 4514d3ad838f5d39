"""One declaration per event type: every type has its hub handler and its docs entry, and
the merged roster model keeps the hub's two levels of checking (stored vs. projected)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from kiosk.events import markdown
from kiosk.events.__main__ import main as events_main
from kiosk.events.schema import AS_STORED, EventType, PersonUpserted, current_version, declared
from kiosk.hub.handlers import HANDLERS
from kiosk.sync.protocol import PushEvent, PushRequest
from kiosk.sync.transport import HubTransport
from tests.hub.harness import HubServer
from tests.hub.test_api import enrolled

DOC = Path(__file__).resolve().parents[2] / "docs" / "events.md"


def test_every_declared_type_has_a_model_and_a_hub_handler() -> None:
    assert {m.TYPE for m in declared()} == set(EventType)
    assert set(HANDLERS) == set(EventType)
    assert all(current_version(t) >= 1 for t in EventType)


def test_docs_events_md_is_the_generated_table() -> None:
    """Run ``python -m kiosk.events --update docs/events.md`` after changing a model."""
    doc = DOC.read_text(encoding="utf-8")
    assert markdown.table() in doc
    for model in declared():
        assert f"| `{model.TYPE.value}` | {model.VERSION} |" in doc


def test_the_command_rewrites_only_the_generated_block(tmp_path: Path, capsys) -> None:
    page = tmp_path / "events.md"
    page.write_text(f"# Prose\n\n{markdown.BEGIN}\nstale\n{markdown.END}\n\nMore prose.\n")
    assert events_main(["--update", str(page)]) == 0
    assert page.read_text() == f"# Prose\n\n{markdown.table()}\n\nMore prose.\n"
    assert events_main(["--update", str(page)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith("up to date")
    assert events_main(["--update", str(tmp_path / "missing.md")]) == 2


def person(phone: str) -> dict[str, object]:
    return {
        "person_id": str(uuid.uuid4()),
        "name": "王建国",
        "trade": "环卫",
        "team": None,
        "party_member": False,
        "phone": phone,
        "active": True,
        "updated_at": datetime.now(UTC).isoformat(),
    }


def test_roster_lengths_are_checked_on_projection_not_on_storing() -> None:
    too_long = person("1" * 31)
    assert PersonUpserted.model_validate(too_long, context=AS_STORED).phone == "1" * 31
    with pytest.raises(ValueError, match="at most 30 characters"):
        PersonUpserted.model_validate(too_long)


def test_a_person_the_roster_cannot_hold_is_stored_but_not_projected(
    hub: HubServer, hub_url_db: str, tmp_path: Path
) -> None:
    station_id, token = enrolled(hub, tmp_path)
    good, too_long = person("13800000000"), person("1" * 31)
    events = [
        PushEvent(
            id=str(uuid.uuid4()),
            seq=i,
            type=EventType.PERSON_UPSERTED,
            schema_version=1,
            payload=p,
            device_time=datetime.now(UTC).isoformat(),
        )
        for i, p in enumerate([good, too_long], start=1)
    ]
    t = HubTransport(hub.url, token)
    response = t.push(PushRequest(station_id=station_id, sent_at=datetime.now(UTC), events=events))
    t.close()
    assert [r.status.value for r in response.results] == ["accepted", "accepted"]
    engine = create_engine(hub_url_db)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT count(*) FROM hub_events")).scalar()
        people = conn.execute(text("SELECT id FROM hub_people")).scalars().all()
    engine.dispose()
    assert stored == 2
    assert people == [good["person_id"]]
