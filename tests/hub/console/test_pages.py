"""驿站, 导出, 通知, 讲习所 and the audit log, through the real hub."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import openpyxl
from sqlalchemy import select

from kiosk.hub.models import ConsoleAudit, HubChange, HubMaterial, HubStation
from tests.hub.console.conftest import City
from tests.hub.console.helpers import Console, cli_json
from tests.hub.harness import HubServer
from tests.sync.material_helpers import make_package


def test_a_new_stations_code_is_shown_once_and_enrols(
    hub: HubServer, admin: Console, tmp_path: Path
):
    r = admin.post("/console/stations", {"name": "南站"})
    code = re.search(r"data-code>([A-Z0-9-]{14})<", r.text)
    assert r.status_code == 200 and code is not None
    assert r.headers["cache-control"] == "no-store"
    listing = admin.get("/console/stations").text
    assert "南站" in listing and "等待注册" in listing and code.group(1) not in listing
    from kiosk.core.station import StationService
    from kiosk.paths import StationPaths
    from kiosk.sync.enrolment import enroll

    station = StationService(StationPaths(tmp_path / "南站"))
    station.init("南站")
    enroll(station, hub.url, code.group(1))
    station.close()
    assert "已注册" in admin.get("/console/stations").text
    with hub.db.read() as s:
        assert code.group(1) not in str(
            s.scalar(select(ConsoleAudit.detail).where(ConsoleAudit.action == "station.add"))
        )


def test_revoking_a_station(city: City, admin: Console):
    r = admin.post(f"/console/stations/{city.west_id}/revoke", {"key": "1"})
    assert "已撤销" in r.text
    with city.hub.db.read() as s:
        west = s.get(HubStation, city.west_id)
        assert west is not None and west.revoked_at is not None and west.key_revoked_at is not None
    assert cli_json(city.db_url, "station", "list")[1]["state"] == "revoked"


def test_exports_equal_kiosk_hub_export(city: City, admin: Console, tmp_path: Path):
    out = tmp_path / "cli.csv"
    cli_json(
        city.db_url,
        "export",
        "visits",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--out",
        str(out),
    )
    with out.open(encoding="utf-8-sig") as f:
        expected = [list(r.values()) for r in csv.DictReader(f)]
    r = admin.get("/console/exports/visits.csv?from=2026-11-01&to=2026-11-30")
    got = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert got[0][:2] == ["驿站", "驿站编号"] and got[1:] == expected and len(expected) == 4
    x = admin.get("/console/exports/visits.xlsx?from=2026-11-01&to=2026-11-30")
    sheet = openpyxl.load_workbook(io.BytesIO(x.content)).active
    rows = [
        [("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert rows[1:] == expected
    refused = admin.get("/console/exports/visits.csv?from=2026-11-30&to=2026-11-01")
    assert refused.status_code == 403 and "结束日期早于开始日期" in refused.text
    assert admin.get("/console/exports/visits.csv?from=2020-01-01&to=2026-11-30").status_code == 403


def test_a_notice_reaches_the_feed_and_can_be_withdrawn(hub: HubServer, admin: Console):
    r = admin.post("/console/notices", {"text": "明天停水，请自备饮用水。", "until": "2026-11-05"})
    assert "通知已发出" in r.text and "明天停水" in r.text
    notice_id = re.search(r"/console/notices/([0-9a-f-]{36})/withdraw", r.text).group(1)  # type: ignore[union-attr]
    r = admin.post(f"/console/notices/{notice_id}/withdraw")
    assert "已撤回" in r.text
    with hub.db.read() as s:
        changes = [
            c.data for c in s.scalars(select(HubChange).where(HubChange.kind == "announcement"))
        ]
    assert [c["withdrawn"] for c in changes] == [False, True]
    assert admin.post("/console/notices", {"text": "   "}).status_code == 403


def test_publishing_and_withdrawing_a_package(hub: HubServer, admin: Console, tmp_path: Path):
    folder = make_package(tmp_path / "pkg", "fire-safety", title="消防安全")
    archive = shutil.make_archive(str(tmp_path / "fire"), "zip", folder)
    admin.get("/console/materials")
    with open(archive, "rb") as f:
        r = admin.http.post(
            "/console/materials",
            data={"csrf_token": admin.csrf},
            files={"file": ("fire.zip", f.read())},
            follow_redirects=True,
        )
    assert r.status_code == 200 and "已发布" in r.text and "消防安全" in r.text
    listed = cli_json(str(hub.db.url), "materials", "list")
    assert listed[0]["id"] == "fire-safety" and listed[0]["withdrawn"] is False
    # A package the station's checker refuses is refused here too, with its reason.
    (folder / "manifest.json").write_text("{not json", encoding="utf-8")
    broken = shutil.make_archive(str(tmp_path / "broken"), "zip", folder)
    with open(broken, "rb") as f:
        r = admin.http.post(
            "/console/materials",
            data={"csrf_token": admin.csrf},
            files={"file": ("broken.zip", f.read())},
        )
    assert r.status_code == 400 and "未通过检查" in r.text and str(tmp_path) not in r.text
    r = admin.http.post(
        "/console/materials", data={"csrf_token": admin.csrf}, files={"file": ("x.txt", b"hello")}
    )
    assert r.status_code == 400 and ".zip" in r.text
    r = admin.post("/console/materials/fire-safety/withdraw")
    assert "已撤回" in r.text
    with hub.db.read() as s:
        row = s.get(HubMaterial, "fire-safety")
        assert row is not None and row.withdrawn_at is not None


def test_the_audit_log_shows_who_did_what_from_where(city: City, admin: Console):
    admin.post("/console/notices", {"text": "审计测试"})
    text = admin.get("/console/audit").text
    assert "notice.add" in text and "127.0.0.1" in text and "admin" in text and "login" in text
    users = admin.get("/console/users").text
    assert "admin" in users and "管理员" in users


def test_study_figures_by_material_and_station_equal_kiosk_hub_stats(city: City, admin: Console):
    text = admin.get("/console/materials").text
    rows = {(r["scope"], r["key"]): r for r in cli_json(city.db_url, "stats")}
    east = rows[("study-station", "东站")]
    assert (east["study_sessions"], east["study_hours"], east["quiz_pass_rate"]) == (1, 1.5, 100.0)
    assert (
        f'<td>东站</td><td class="num">{east["study_sessions"]}</td>'
        f'<td class="num">{east["study_hours"]}</td><td class="num">{east["quiz_attempts"]}</td>'
        f'<td class="num">{east["quizzes_passed"]}</td>'
        f'<td class="num">{east["quiz_pass_rate"]}%</td>'
    ) in text
