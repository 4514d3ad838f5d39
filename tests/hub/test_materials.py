"""Study packages and study figures on the hub (SQLite and PostgreSQL): ``kiosk-hub materials
publish|list|withdraw``, the ranged download endpoint, and ``kiosk-hub stats`` study lines
from real study records made on stations."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from kiosk.core.clock import ManualClock
from kiosk.core.study.package import load_content
from kiosk.core.study.records import SessionRecord
from kiosk.core.study.service import StudyService
from kiosk.hub import materials
from kiosk.hub.cli import main
from kiosk.resources import resource
from kiosk.store.models import OutboxEvent
from kiosk.sync.client import SyncClient, token_store
from tests.hub.harness import HubServer
from tests.image_bombs import write_png_bomb
from tests.sync.conftest import MakeStation, make_station  # noqa: F401 — shared fixture
from tests.sync.material_helpers import make_package


def hub_cli(db: str, capsys: pytest.CaptureFixture[str], *argv: str, expect: int = 0):
    capsys.readouterr()
    code = main(["--db", db, "--json", *argv])
    captured = capsys.readouterr()
    assert code == expect, captured.err
    if expect:
        return captured.err
    return [json.loads(line) for line in captured.out.splitlines() if line.strip()]


def test_publish_list_and_withdraw(
    hub_url_db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = make_package(tmp_path / "night-work", "night-work")
    [done] = hub_cli(hub_url_db, capsys, "materials", "publish", str(folder))
    assert (done["action"], done["id"], done["version"], done["withdrawn"]) == (
        "published",
        "night-work",
        1,
        False,
    )
    assert done["size"] > 0 and len(done["sha256"]) == 64

    # The same package as a zip (inside a top-level folder) is the same content: unchanged.
    archive = Path(shutil.make_archive(str(tmp_path / "pack"), "zip", tmp_path, "night-work"))
    [same] = hub_cli(hub_url_db, capsys, "materials", "publish", str(archive))
    assert same["action"] == "unchanged" and same["sha256"] == done["sha256"]

    broken = make_package(tmp_path / "broken", "broken-pack")
    manifest = json.loads((broken / "manifest.json").read_text(encoding="utf-8"))
    (broken / "manifest.json").write_text(
        json.dumps({**manifest, "colour": "red"}, ensure_ascii=False), encoding="utf-8"
    )
    older = make_package(tmp_path / "older", "night-work", version=1, title="另一个内容")
    for path, says in (
        (broken, "colour"),
        (tmp_path / "missing", "does not exist"),
        (older, "raise the version"),
    ):
        err = hub_cli(hub_url_db, capsys, "materials", "publish", str(path), expect=2)
        [line] = err.strip().splitlines()
        assert line.startswith("kiosk-hub: ") and "refused" in line and says in line

    [row] = hub_cli(hub_url_db, capsys, "materials", "list")
    assert (row["id"], row["version"], row["withdrawn"]) == ("night-work", 1, False)

    [gone] = hub_cli(hub_url_db, capsys, "materials", "withdraw", "night-work")
    assert gone == {"id": "night-work", "version": 1, "withdrawn": True}
    [row] = hub_cli(hub_url_db, capsys, "materials", "list")
    assert row["withdrawn"] is True
    hub_cli(hub_url_db, capsys, "materials", "withdraw", "no-such", expect=2)
    err = hub_cli(hub_url_db, capsys, "materials", "publish", str(folder), expect=2)
    assert "withdrawn; raise the version" in err
    v2 = make_package(tmp_path / "v2", "night-work", version=2)
    [back] = hub_cli(hub_url_db, capsys, "materials", "publish", str(v2))
    assert (back["action"], back["previous_version"], back["withdrawn"]) == ("upgraded", 1, False)

    capsys.readouterr()  # the readable form is one line too
    assert main(["--db", hub_url_db, "materials", "list"]) == 0
    [text] = capsys.readouterr().out.strip().splitlines()
    assert text.startswith("night-work  v2  安全")


def test_publish_refuses_an_image_bomb_in_one_line(
    hub_url_db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Issue 17: it used to end in a raw DecompressionBombError traceback (exit 1)."""
    folder = make_package(tmp_path / "bomb-pack", "bomb-pack")
    write_png_bomb(folder / "cover.png")
    capsys.readouterr()
    assert main(["--db", hub_url_db, "materials", "publish", str(folder)]) == 2
    captured = capsys.readouterr()
    [line] = captured.err.splitlines()
    assert line.startswith(f"kiosk-hub: {folder}: refused: cover.png: bad image: too large")
    assert "Traceback" not in captured.err and captured.out == ""
    assert hub_cli(hub_url_db, capsys, "materials", "list") == []


def test_download_serves_ranges_across_stored_slices(
    hub: HubServer,
    make_station: MakeStation,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(materials, "CHUNK_BYTES", 1000)  # many slices for a small package
    station = make_station("东站", hub)
    auth = {"Authorization": f"Bearer {token_store(station).read()}"}
    prepared = materials.prepare(make_package(tmp_path / "p", "night-work"))
    with hub.db.write() as s:
        info = materials.publish(s, prepared, datetime.now(UTC)).material
    data, size = prepared.data, len(prepared.data)
    assert size == info.size > 3000 and hashlib.sha256(data).hexdigest() == info.sha256
    url = f"{hub.url}/v1/materials/night-work/{info.sha256}"

    with httpx.Client(headers=auth) as http:
        full = http.get(url)
        assert full.status_code == 200 and full.content == data
        assert full.headers["accept-ranges"] == "bytes"
        assert full.headers["content-length"] == str(size)

        part = http.get(url, headers={"Range": "bytes=990-2010"})
        assert part.status_code == 206 and part.content == data[990:2011]
        assert part.headers["content-range"] == f"bytes 990-2010/{size}"
        rest = http.get(url, headers={"Range": "bytes=2500-"})
        assert rest.status_code == 206 and rest.content == data[2500:]
        tail = http.get(url, headers={"Range": "bytes=-100"})
        assert tail.status_code == 206 and tail.content == data[-100:]
        beyond = http.get(url, headers={"Range": f"bytes={size}-"})
        assert beyond.status_code == 416
        assert beyond.headers["content-range"] == f"bytes */{size}"
        ignored = http.get(url, headers={"Range": "bytes=9-3"})  # not a valid range: all
        assert ignored.status_code == 200 and ignored.content == data

        assert http.get(url.replace(info.sha256, "0" * 64)).status_code == 404
        assert http.get(url.replace(info.sha256, "not-a-sha")).status_code == 422
    assert httpx.get(url).status_code == 401
    with hub.db.write() as s:
        materials.withdraw(s, "night-work", datetime.now(UTC))
    assert httpx.get(url, headers=auth).status_code == 404


def _study(station, material_id: str, minutes: int, person: str | None = None) -> None:
    end = station.clock.now()
    rec = SessionRecord(material_id, 1, person, end - timedelta(minutes=minutes), end, 5, 5, True)
    StudyService(station).record_session(rec)


def _odd_session(station) -> None:
    """A payload a buggy station might send: rejected by the hub, never counted."""
    with station.db.write() as s:
        seq = (s.scalar(select(func.max(OutboxEvent.seq))) or 0) + 1
        s.add(
            OutboxEvent(
                seq=seq,
                id="6f1c1a3e-0000-4000-8000-000000000001",
                type="study.session_recorded",
                schema_version=1,
                payload={"session_id": "odd", "material_id": "heat-cold", "seconds": "lots"},
                device_time=station.clock.now(),
            )
        )


def _quiz(station, material_id: str, passed: bool, person: str | None = None) -> None:
    quiz = load_content(resource("materials", material_id)).quiz
    chosen = {
        q.id: (
            list(q.answer)
            if passed
            else [n for n in range(len(q.options)) if n not in q.answer][:1]
        )
        for q in quiz.questions
    }
    result = StudyService(station).submit_quiz(person, material_id, 1, quiz, chosen)
    assert result.passed is passed


def test_stats_gain_study_hours_and_quiz_pass_rates(
    hub: HubServer,
    hub_url_db: str,
    make_station: MakeStation,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    east = make_station("东站", hub, clock=ManualClock(datetime(2026, 11, 2, 1, 0, tzinfo=UTC)))
    west = make_station("西站", hub, clock=ManualClock(datetime(2026, 11, 3, 2, 0, tzinfo=UTC)))
    zhang = east.add_person(name="张三", trade="环卫").id
    _study(east, "heat-cold", 30, zhang)
    _study(east, "road-safety", 90)
    _quiz(east, "heat-cold", True, zhang)
    _quiz(east, "heat-cold", False)
    _study(west, "heat-cold", 60)
    _quiz(west, "road-safety", True)
    _odd_session(west)
    for station, rejected in ((east, 0), (west, 1)):  # west's odd session is quarantined
        client = SyncClient(station)
        assert client.push_once().rejected == rejected
        client.close()

    rows = {(r["scope"], r["key"]): r for r in hub_cli(hub_url_db, capsys, "stats")}
    figures = ("study_sessions", "study_hours", "quiz_attempts", "quizzes_passed", "quiz_pass_rate")

    def get(scope: str, key: str) -> tuple:
        return tuple(rows[(scope, key)][f] for f in figures)

    assert get("study", "all") == (3, 3.0, 3, 2, 66.7)
    assert get("study-station", "东站") == (2, 2.0, 2, 1, 50.0)
    assert get("study-station", "西站") == (1, 1.0, 1, 1, 100.0)
    assert get("study-material", "heat-cold") == (2, 1.5, 2, 1, 50.0)
    assert get("study-material", "road-safety") == (1, 1.5, 1, 1, 100.0)
    assert rows[("overall", "all")]["visits"] == 0  # the visit figures are unchanged

    later = {
        (r["scope"], r["key"]): r
        for r in hub_cli(hub_url_db, capsys, "stats", "--from", "2026-11-03")
    }
    assert later[("study", "all")]["study_hours"] == 1.0
    assert later[("study", "all")]["quiz_attempts"] == 1
    assert ("study-station", "东站") not in later
    none = {
        (r["scope"], r["key"]): r
        for r in hub_cli(hub_url_db, capsys, "stats", "--to", "2026-11-01")
    }
    assert none[("study", "all")]["quiz_pass_rate"] is None
