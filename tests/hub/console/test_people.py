"""人员: search, add and edit, import with a preview (all or nothing), refusals, export."""

from __future__ import annotations

import io
import json
import re

import openpyxl
from sqlalchemy import func, select

from kiosk.hub.console import sheets
from kiosk.hub.models import ConsolePersonStation, HubChange, HubPerson
from tests.hub.console.conftest import City
from tests.hub.console.helpers import Console, add_user
from tests.hub.console.sheets_data import climbing_zip, xlsx, zip_bomb
from tests.hub.harness import HubServer


def people_count(hub: HubServer) -> int:
    with hub.db.read() as s:
        return s.scalar(select(func.count()).select_from(HubPerson)) or 0


def upload(c: Console, filename: str, data: bytes, station: str = ""):  # type: ignore[no-untyped-def]
    c.get("/console/people/import")
    return c.http.post(
        "/console/people/import/preview",
        data={"csrf_token": c.csrf, "station": station},
        files={"file": (filename, data)},
    )


def confirm(c: Console, preview_html: str):  # type: ignore[no-untyped-def]
    form = preview_html.split('action="/console/people/import"', 1)[1]
    rows = re.search(r'name="rows" value="([^"]*)"', form).group(1)  # type: ignore[union-attr]
    station = re.search(r'name="station" value="([^"]*)"', form).group(1)  # type: ignore[union-attr]
    import html

    return c.post("/console/people/import", {"rows": html.unescape(rows), "station": station})


def test_search_by_name_pinyin_and_initials(city: City, admin: Console):
    for q in ("张", "zhangsan", "zs", "ZS"):
        text = admin.get(f"/console/people?q={q}").text
        assert "张三" in text and "李四" not in text, q
    assert "没有找到人员" in admin.get("/console/people?q=wangwu").text


def test_an_import_with_a_bad_row_writes_nothing_until_fixed(city: City, admin: Console):
    before = people_count(city.hub)
    bad = xlsx(
        [
            ["王五", "环卫", "一班", "是", "13800000001"],
            ["赵六", "厨师", "", "", "13800000002"],
            ["", "绿化", "", "", ""],
            ["钱七", "绿化", "", "也许", "138x"],
        ]
    )
    r = upload(admin, "名单.xlsx", bad, city.east_id)
    assert r.status_code == 400
    assert 'data-bad-rows="3"' in r.text and "什么都没有导入" in r.text
    assert "工种“厨师”不认识" in r.text and "缺少姓名" in r.text
    assert "党员一栏应填" in r.text and "电话“138x”格式不对" in r.text
    assert "确认导入" not in r.text and people_count(city.hub) == before

    good = xlsx(
        [
            ["王五", "环卫", "一班", "是", "13800000001"],
            ["赵六", "市政", "", "", "13800000002"],
            ["钱七", "绿化", "", "否", 13800000003],
        ]
    )  # a phone typed as a number
    r = upload(admin, "名单.xlsx", good, city.east_id)
    assert r.status_code == 200 and "确认导入 3 人" in r.text and 'class="bad"' not in r.text
    assert people_count(city.hub) == before  # a preview writes nothing
    done = confirm(admin, r.text)
    assert done.status_code == 200 and "已导入" in done.text
    assert people_count(city.hub) == before + 3
    with city.hub.db.read() as s:
        qian = s.scalar(select(HubPerson).where(HubPerson.name == "钱七"))
        assert qian is not None and qian.phone == "13800000003" and qian.trade == "绿化"
        assert s.get(ConsolePersonStation, (qian.id, city.east_id)) is not None
        feed = [
            c.data["name"] for c in s.scalars(select(HubChange).where(HubChange.kind == "person"))
        ]
    assert {"王五", "赵六", "钱七"} <= set(feed)  # every station gets them at its next sync
    again = upload(admin, "名单.xlsx", good, city.east_id)
    assert again.text.count("更新已有人员") == 3  # the same file again updates, adds nobody


def test_a_gb18030_csv_imports(city: City, admin: Console):
    data = "姓名,工种,班组,党员,电话\r\n孙八,河道,河道一队,是,13900000001\r\n".encode("gb18030")
    r = upload(admin, "roster.csv", data)
    assert r.status_code == 200 and "孙八" in r.text and "河道一队" in r.text
    confirm(admin, r.text)
    assert "孙八" in admin.get("/console/people?q=sunba").text


def test_bad_files_are_refused_with_a_clear_message(hub: HubServer, admin: Console):
    formula = xlsx([["王五", "环卫", "", "", "=1+1"]])
    cases = {
        ("公式.xlsx", formula): "含有公式",
        ("公式.csv", '姓名,工种\n=HYPERLINK("x"),环卫\n'.encode()): "含有公式",
        (
            "多.xlsx",
            xlsx([["某", "环卫", "", "", ""]] * (sheets.MAX_ROWS + 1)),
        ): f"超过 {sheets.MAX_ROWS} 行",
        ("炸弹.xlsx", zip_bomb()): "压缩炸弹",
        ("越界.xlsx", climbing_zip()): "越界路径",
        ("假的.xlsx", "姓名,工种\n王五,环卫\n".encode()): "内容不是 Excel 文件",
        ("假的.csv", xlsx([["王五", "环卫"]])): "内容不是文本",
        ("旧版.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100): "只能导入 .xlsx 或 .csv",
        ("空.csv", b""): "文件是空的",
        ("无表头.csv", "王五,环卫\n".encode()): "缺少列",
    }
    for (name, data), message in cases.items():
        r = upload(admin, name, data)
        assert r.status_code == 400, name
        assert message in r.text, (name, r.text[-1500:])
        assert "确认导入" not in r.text
    assert people_count(hub) == 0


def test_an_upload_over_the_limit_is_cut_off(hub: HubServer, admin: Console):
    r = upload(admin, "大.csv", b"a" * (6 * 1024 * 1024))
    assert r.status_code == 413 and "文件过大：最多 5 MB" in r.text


def test_a_keeper_imports_into_their_station_and_cannot_overwrite_others(city: City, console):
    add_user(city.db_url, "east-keeper", "keeper", "东站")
    keeper: Console = console()
    keeper.login("east-keeper")
    with city.hub.db.write() as s:  # 李四 of 西站 has a phone on record
        li = s.get(HubPerson, city.li_id)
        assert li is not None
        li.phone = "13700000000"
    r = upload(keeper, "名单.xlsx", xlsx([["李四", "绿化", "", "", "13700000000"]]), city.east_id)
    assert r.status_code == 400 and "此人已登记在其他驿站" in r.text
    r = upload(keeper, "名单.xlsx", xlsx([["周九", "停车", "", "", ""]]), city.west_id)
    assert r.status_code == 403  # not their station
    r = upload(keeper, "名单.xlsx", xlsx([["周九", "停车", "", "", ""]]), city.east_id)
    confirm(keeper, r.text)
    assert "周九" in keeper.get("/console/people").text


def test_a_forged_confirmation_is_checked_again(city: City, admin: Console):
    rows = json.dumps(
        [{"name": "", "trade": "厨师", "team": "", "party_member": False, "phone": ""}]
    )
    r = admin.post("/console/people/import", {"rows": rows, "station": ""})
    assert r.status_code == 403 and people_count(city.hub) == 2


def test_add_and_edit_a_person(city: City, admin: Console):
    r = admin.post(
        "/console/people",
        {"name": "吴十", "trade": "执法", "phone": "13600000000", "station": city.west_id},
    )
    assert r.status_code == 200 and "已添加" in r.text and "西站" in r.text
    person_url = str(r.url.path)
    r = admin.post(
        person_url,
        {"name": "吴十", "trade": "交警", "team": "二中队", "phone": "13600000000", "active": "1"},
    )
    assert "已保存" in r.text and "二中队" in r.text
    refused = admin.post("/console/people", {"name": "x" * 30, "trade": "执法"})
    assert refused.status_code == 400 and "姓名超过 20 个字" in refused.text


def test_export_is_a_real_workbook_and_formulas_stay_text(city: City, admin: Console):
    with city.hub.db.write() as s:
        li = s.get(HubPerson, city.li_id)
        assert li is not None
        li.team = '=HYPERLINK("http://evil")'
    r = admin.get("/console/people/export")
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("姓名", "工种") and {r[0] for r in rows[1:]} == {"张三", "李四"}
    team = next(
        c for row in sheet.iter_rows() for c in row if c.value and str(c.value).startswith("=HYP")
    )
    assert team.data_type == "s"
