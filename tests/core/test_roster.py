from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.core.errors import StationError
from kiosk.core.messages import salutation, surname
from kiosk.core.station import StationService


@pytest.fixture
def roster(station: StationService) -> StationService:
    for name, trade in [
        ("张三", "环卫"),
        ("赵四", "市政"),
        ("张思远", "绿化"),
        ("单雄", "河道"),
        ("曾红梅", "停车"),
        ("王强", "交警"),
        ("欧阳明", "执法"),
    ]:
        station.add_person(name=name, trade=trade)
    return station


def names(station: StationService, query: str) -> list[str]:
    return [p.name for p in station.find_people(query)]


def test_initials_find_both_people(roster) -> None:
    found = names(roster, "zs")
    assert set(found[:2]) == {"张三", "赵四"}  # exact initials first
    assert found[2:] == ["张思远"]  # then longer names whose initials start with them


def test_longer_initials_narrow_the_search(roster) -> None:
    assert names(roster, "zsy") == ["张思远"]


def test_full_pinyin_and_characters(roster) -> None:
    assert names(roster, "zhangsan") == ["张三"]
    assert names(roster, "Zhang San") == ["张三"]
    assert names(roster, "张")[:2] == ["张三", "张思远"]
    assert names(roster, "红梅") == ["曾红梅"]


@pytest.mark.parametrize("query", ["sx", "shanxiong", "dx", "danxiong"])
def test_surname_with_several_readings_single(roster, query) -> None:
    assert "单雄" in names(roster, query)


@pytest.mark.parametrize("query", ["zhm", "zenghongmei", "chm", "ceng"])
def test_surname_with_several_readings_zeng(roster, query) -> None:
    assert "曾红梅" in names(roster, query)


def test_results_are_ranked_and_limited(station) -> None:
    for i in range(30):
        station.add_person(name=f"张{'一二三四五六七八九十'[i % 10]}{i}", trade="环卫")
    assert len(station.find_people("z", limit=12)) == 12
    assert station.find_people("  ") == []


def test_inactive_people_are_not_found(roster) -> None:
    wang = roster.find_people("wq")[0]
    roster.set_person_active(wang.id, False)
    assert names(roster, "wq") == []
    assert [p.name for p in roster.people(include_inactive=True) if not p.active] == ["王强"]


def test_csv_import_in_gb18030_from_excel(station, tmp_path: Path) -> None:
    csv = tmp_path / "roster.csv"
    csv.write_bytes(
        "name,trade,team,party_member,phone\n李秀英,环卫,一班,是,13800000000\n王五,快递外卖,,,\n".encode(
            "gb18030"
        )
    )
    summary = station.import_people(csv)
    assert summary.imported and [(r.name, r.action) for r in summary.rows] == [
        ("李秀英", "added"),
        ("王五", "added"),
    ]
    people = {p.name: p for p in station.people()}
    assert people["李秀英"].party_member and not people["王五"].party_member


def outbox_count(station: StationService) -> int:
    from sqlalchemy import func, select

    from kiosk.store.models import OutboxEvent

    with station.db.read() as s:
        return s.scalar(select(func.count()).select_from(OutboxEvent))


def test_importing_again_updates_by_name_and_phone_and_says_what_it_did(
    station, tmp_path: Path
) -> None:
    csv = tmp_path / "roster.csv"
    csv.write_text(
        "name,trade,team,party_member,phone\n"
        "李秀英,环卫,一班,是,13800000000\n"
        "王五,快递外卖,,,\n"
        "张三,市政,二班,,13900000000\n",
        encoding="utf-8",
    )
    station.import_people(csv)
    events = outbox_count(station)
    zhang = next(p for p in station.people() if p.name == "张三")
    station.set_person_active(zhang.id, False)
    csv.write_text(
        "name,trade,team,party_member,phone\n"
        "李秀英,环卫,一班,是,13800000000\n"  # the same: unchanged
        "王五,快递外卖,,,\n"  # no phone: cannot be matched, a second 王五
        "张三,绿化,二班,,13900000000\n"  # a new trade, and active again
        "张三,市政,三班,,13700000000\n",  # another phone: another 张三
        encoding="utf-8",
    )
    summary = station.import_people(csv)
    assert [(r.line, r.name, r.action) for r in summary.rows] == [
        (2, "李秀英", "unchanged"),
        (3, "王五", "added"),
        (4, "张三", "updated"),
        (5, "张三", "added"),
    ]
    assert summary.rows[2].person_id == zhang.id
    assert (summary.count("added"), summary.count("updated"), summary.count("unchanged")) == (
        2,
        1,
        1,
    )
    people = station.people()
    assert sorted(p.name for p in people) == ["张三", "张三", "李秀英", "王五", "王五"]
    assert next(p for p in people if p.id == zhang.id).trade == "绿化"
    assert outbox_count(station) == events + 1 + 3  # deactivation, then 1 update + 2 added


def test_csv_with_bad_rows_imports_nothing_and_names_every_bad_row(station, tmp_path: Path) -> None:
    csv = tmp_path / "roster.csv"
    csv.write_text("name,trade\n李秀英,环卫\n王五,厨师\n,环卫\n赵六,交警\n", encoding="utf-8")
    events = outbox_count(station)
    summary = station.import_people(csv)
    assert not summary.imported
    assert [(r.line, r.name, r.action) for r in summary.rows] == [
        (3, "王五", "refused"),
        (4, "", "refused"),
    ]
    assert "厨师" in (summary.rows[0].reason or "") and "name" in (summary.rows[1].reason or "")
    assert station.people() == [] and outbox_count(station) == events


def test_csv_without_required_columns(station, tmp_path: Path) -> None:
    csv = tmp_path / "roster.csv"
    csv.write_text("姓名,工种\n李秀英,环卫\n", encoding="utf-8")
    with pytest.raises(StationError, match="columns"):
        station.import_people(csv)


def test_salutations() -> None:
    assert surname("欧阳明") == "欧阳"
    assert surname("张三") == "张"
    from kiosk.core.results import Outcome, ScanResult

    assert salutation(ScanResult(Outcome.CHECKED_IN), full_name=False) == "师傅"


def test_demo_station_prints_the_same_cards_on_every_start(station_dir, tmp_path) -> None:
    from kiosk.core.demo import ensure_demo_station
    from kiosk.paths import StationPaths

    demo = StationService(StationPaths(station_dir.parent / "demo"))
    try:
        first = ensure_demo_station(demo, tmp_path / "cards")
        again = ensure_demo_station(demo, tmp_path / "cards")
        assert [b.token for b in again] == [b.token for b in first]
        assert [b.serial for b in again] == [1, 2, 3, 4, 5, 6]
        demo.revoke_badges(first[0].person_id)
        replaced = ensure_demo_station(demo)[0]
        assert replaced.serial == 7 and replaced.token != first[0].token
    finally:
        demo.close()
