"""The hub's HTTP API on a real server: enrolment, auth, validation, limits, cursors."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from kiosk.core.keys import generate_private_key, key_id_of, public_raw
from kiosk.hub.models import HubBase
from kiosk.sync.protocol import EnrollRequest, PushEvent, PushRequest
from kiosk.sync.transport import HubTransport, RequestRefused, StationRevoked
from tests.hub.harness import HubServer
from tests.hub.postgres import postgres_url


def new_key(tmp_path) -> tuple[str, str]:
    raw = public_raw(generate_private_key(tmp_path / f"{uuid.uuid4()}.pem"))
    return key_id_of(raw), raw.hex()


def enrolled(hub: HubServer, tmp_path, name: str = "东站") -> tuple[str, str]:
    _, code = hub.add_station(name)
    key_id, public = new_key(tmp_path)
    t = HubTransport(hub.url)
    response = t.enroll(EnrollRequest(code=code, key_id=key_id, public_key=public))
    t.close()
    return response.station_id, response.token


def event(type_: str = "setting.changed", payload: dict | None = None, seq: int = 1) -> PushEvent:
    return PushEvent(
        id=str(uuid.uuid4()),
        seq=seq,
        type=type_,
        schema_version=1,
        payload=payload if payload is not None else {"key": "a", "value": 1},
        device_time=datetime.now(UTC).isoformat(),
    )


def test_codes_are_single_use_and_keys_must_match(hub: HubServer, tmp_path):
    _, code = hub.add_station("东站")
    key_id, public = new_key(tmp_path)
    t = HubTransport(hub.url)
    with pytest.raises(RequestRefused) as wrong:
        t.enroll(EnrollRequest(code=code, key_id="0" * 16, public_key=public))
    assert wrong.value.status == 403
    first = t.enroll(EnrollRequest(code=code.lower(), key_id=key_id, public_key=public))
    assert first.token.startswith("ksk_") and first.keyring[0].key_id == key_id
    with pytest.raises(RequestRefused):
        t.enroll(EnrollRequest(code=code, key_id=key_id, public_key=public))
    t.close()


def test_tokens_are_stored_only_as_hashes(hub: HubServer, tmp_path):
    _, token = enrolled(hub, tmp_path)
    if hub.db.engine.dialect.name == "sqlite":
        path = Path(hub.db.engine.url.database)
        files = [path, path.with_name(path.name + "-wal")]
        raw = b"".join(f.read_bytes() for f in files if f.exists())
    else:  # every value of every hub table, as text
        with hub.db.read() as s:
            tables = [t.name for t in HubBase.metadata.sorted_tables]
            raw = "".join(
                str(row) for t in tables for row in s.execute(text(f"SELECT * FROM {t}"))
            ).encode()
    assert len(raw) > 0 and token.encode() not in raw


def test_a_station_writes_only_its_own_events(hub: HubServer, tmp_path):
    a_id, a_token = enrolled(hub, tmp_path, "东站")
    b_id, b_token = enrolled(hub, tmp_path, "西站")
    a, b = HubTransport(hub.url, a_token), HubTransport(hub.url, b_token)
    shared = event()
    now = datetime.now(UTC)
    with pytest.raises(RequestRefused) as foreign:
        b.push(PushRequest(station_id=a_id, sent_at=now, events=[event()]))
    assert foreign.value.status == 403 and not foreign.value.body_error
    assert (
        a.push(PushRequest(station_id=a_id, sent_at=now, events=[shared])).results[0].status
        == "accepted"
    )
    [stolen] = b.push(PushRequest(station_id=b_id, sent_at=now, events=[shared])).results
    assert stolen.status == "rejected" and stolen.reason == "event_id_taken"
    a.close()
    b.close()


def test_events_are_judged_one_by_one(hub: HubServer, tmp_path):
    station_id, token = enrolled(hub, tmp_path)
    t = HubTransport(hub.url, token)
    good = event()
    batch = [
        good,
        event("visit.checked_in", {"visit_id": "v"}),  # missing fields
        event("nonsense.type"),
        PushEvent(**{**event().model_dump(), "id": "not-a-uuid"}),
        PushEvent(**{**event().model_dump(), "device_time": "yesterday"}),
        good,  # the same event twice in one batch
    ]
    response = t.push(PushRequest(station_id=station_id, sent_at=datetime.now(UTC), events=batch))
    statuses = [r.status.value for r in response.results]
    assert statuses == ["accepted", "rejected", "rejected", "rejected", "rejected", "duplicate"]
    reasons = [r.reason or "" for r in response.results]
    assert reasons[1].startswith("bad_payload") and reasons[2].startswith("unknown_type")
    assert response.server_time and abs(response.clock_offset_seconds) < 60
    t.close()


def test_auth_validation_size_and_cursor_errors(hub: HubServer, tmp_path):
    station_id, token = enrolled(hub, tmp_path)
    auth = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=hub.url, timeout=10) as http:
        assert http.post("/v1/events", json={}).status_code == 401
        assert (
            http.post("/v1/events", json={}, headers={"Authorization": "Bearer x"}).status_code
            == 401
        )
        bad = http.post("/v1/events", content=b"{not json", headers=auth)
        assert bad.status_code == 422 and "x-server-time" in bad.headers
        assert http.post("/v1/events", json={"events": "no"}, headers=auth).status_code == 422
        too_many = {
            "station_id": station_id,
            "sent_at": datetime.now(UTC).isoformat(),
            "events": [event().model_dump()] * 501,
        }
        assert http.post("/v1/events", json=too_many, headers=auth).status_code == 422
        huge = b"{" + b" " * (2 * 1024 * 1024) + b"}"
        assert http.post("/v1/events", content=huge, headers=auth).status_code == 413
        assert http.get("/v1/changes", params={"cursor": "zz.1"}, headers=auth).status_code == 410
        page = http.get("/v1/changes", headers=auth).json()
        ahead = page["cursor"].split(".")[0] + ".999"
        assert http.get("/v1/changes", params={"cursor": ahead}, headers=auth).status_code == 410


def test_revoked_station_gets_401(hub: HubServer, tmp_path):
    from kiosk.hub import stations

    station_id, token = enrolled(hub, tmp_path)
    with hub.db.write() as s:
        stations.revoke_station(s, station_id, datetime.now(UTC))
    t = HubTransport(hub.url, token)
    with pytest.raises(StationRevoked):
        t.push(PushRequest(station_id=station_id, sent_at=datetime.now(UTC), events=[event()]))
    with pytest.raises(StationRevoked):
        t.changes(None)
    t.close()


@contextmanager
def database_gone(hub: HubServer) -> Iterator[None]:
    """The hub's database cannot be reached until the block ends.

    PostgreSQL: the database refuses connections and the hub's are terminated. SQLite: the
    hub's idle connections are closed and its folder is replaced by a plain file, so the
    next connection cannot open the database.
    """
    url = hub.db.engine.url
    if url.get_backend_name() == "postgresql":
        admin = create_engine(postgres_url() or "", isolation_level="AUTOCOMMIT")
        name = url.database
        try:
            with admin.connect() as conn:
                conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        " WHERE datname = :name"
                    ),
                    {"name": name},
                )
                yield
                conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        finally:
            admin.dispose()
        return
    folder = Path(str(url.database)).parent
    hub.db.engine.dispose()
    moved = folder.rename(folder.with_name(folder.name + ".away"))
    folder.write_text("not a folder")
    yield
    folder.unlink()
    moved.rename(folder)


def test_health_asks_the_database(hub_url_db: str, tmp_path: Path):
    if hub_url_db.startswith("sqlite"):  # the hub's file in a folder of its own
        hub_url_db = f"sqlite:///{tmp_path / 'hub-data' / 'hub.sqlite3'}"
    hub = HubServer(hub_url_db).start()
    try:
        with httpx.Client(base_url=hub.url, timeout=10) as http:
            up = http.get("/v1/health")
            assert up.status_code == 200 and up.json()["ok"] is True
            with database_gone(hub):
                down = http.get("/v1/health")
                assert down.status_code == 503 and "x-server-time" in down.headers
                body = down.json()
                assert body["ok"] is False and body["detail"] == "database unavailable"
                assert datetime.fromisoformat(body["server_time"]).tzinfo is not None
            back = http.get("/v1/health")
            assert back.status_code == 200 and back.json()["ok"] is True
    finally:
        hub.stop()


def test_the_hub_publishes_no_api_docs_or_schema(hub: HubServer):
    with httpx.Client(base_url=hub.url) as client:
        for path in ("/docs", "/redoc", "/openapi.json", "/docs/oauth2-redirect"):
            assert client.get(path).status_code == 404, path
        assert client.get("/v1/health").status_code == 200


def test_keeper_actions_reach_the_hub(hub: HubServer, tmp_path, station):
    """Issue 15: a keeper's check-out (``closed_by``) and its ``keeper.action`` audit event,
    straight from a real station's outbox, are accepted."""
    from sqlalchemy import select

    from kiosk.store.models import OutboxEvent

    person = station.add_person(name="张建国", trade="环卫")
    visit_id = station.checkin_person(person.id).visit_id
    assert station.keeper_check_out(visit_id)
    station.check_admin_pin("2580")
    with station.db.read() as s:
        rows = list(s.scalars(select(OutboxEvent).order_by(OutboxEvent.seq)))
        batch = [
            PushEvent(
                id=e.id,
                seq=e.seq,
                type=e.type,
                schema_version=e.schema_version,
                payload=e.payload,
                device_time=e.device_time.isoformat(),
            )
            for e in rows
        ]
    assert {"visit.checked_out", "keeper.action"} <= {e.type for e in batch}
    station_id, token = enrolled(hub, tmp_path)
    t = HubTransport(hub.url, token)
    response = t.push(PushRequest(station_id=station_id, sent_at=datetime.now(UTC), events=batch))
    assert [r.status.value for r in response.results] == ["accepted"] * len(batch)
    t.close()
