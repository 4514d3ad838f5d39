"""工牌: a bureau badge sheet printed from the console is read by the kiosk's decoder and
greets its holder by name at a station that synced; a lost card replaced in one step is
refused there after the next sync."""

from __future__ import annotations

import subprocess
from pathlib import Path

import cv2
import pytest

from kiosk.core.badges import parse_token
from kiosk.core.checkin import Outcome
from kiosk.devices.decoding import KioskDecoder
from kiosk.hub import bureau_badges, stations
from kiosk.sync.client import SyncClient
from tests.hub.console.conftest import City
from tests.hub.console.helpers import Console, add_user
from tests.hub.console.sheets_data import xlsx

pytestmark = pytest.mark.skipif(
    subprocess.run(["which", "pdftoppm"], capture_output=True).returncode != 0,
    reason="needs poppler-utils (pdftoppm)",
)


def pdf_pages(data: bytes, tmp_path: Path, name: str, dpi: int = 150) -> list[Path]:
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(tmp_path / name)], check=True)
    return sorted(tmp_path.glob(f"{name}-*.png"))


def decode(png: Path) -> list[str]:
    return KioskDecoder().decode(cv2.imread(str(png)))


def sync(station) -> None:  # type: ignore[no-untyped-def]
    client = SyncClient(station)
    client.sync_once()
    client.close()


@pytest.fixture
def keyed(city: City, tmp_path: Path) -> City:
    city.hub.app.state.badge_key_path = tmp_path / "keys" / "bureau.pem"
    return city


def import_wang(admin: Console, city: City) -> str:
    admin.get("/console/people/import")
    r = admin.http.post(
        "/console/people/import/preview",
        data={"csrf_token": admin.csrf, "station": city.east_id},
        files={"file": ("名单.xlsx", xlsx([["王五", "环卫", "一班", "是", "13800000001"]]))},
    )
    from tests.hub.console.test_people import confirm

    confirm(admin, r.text)
    with city.hub.db.read() as s:
        from sqlalchemy import select

        from kiosk.hub.models import HubPerson

        return s.scalar(select(HubPerson.id).where(HubPerson.name == "王五"))  # type: ignore[return-value]


def test_a_sheet_greets_by_name_and_a_replaced_card_is_refused(
    keyed: City, admin: Console, tmp_path: Path
):
    city = keyed
    wang = import_wang(admin, city)
    admin.get("/console/badges")
    r = admin.post("/console/badges/sheet", {"station": city.east_id})
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    pages = pdf_pages(r.content, tmp_path, "sheet", dpi=200)
    assert len(pages) == 1
    tokens = {parse_token(t).person_id: t for t in decode(pages[0])}
    assert set(tokens) == {wang, city.zhang_id}  # 东站's people: 王五 (home) and 张三 (visits)
    key_id = parse_token(tokens[wang]).key_id

    sync(city.east)  # the roster, the bureau key and the badges arrive
    greeted = city.east.scan(tokens[wang])
    assert greeted.outcome is Outcome.CHECKED_IN and greeted.person is not None
    assert greeted.person.name == "王五"
    # A station enrolled later gets the bureau key with its enrolment keyring.
    with city.hub.db.read() as s:
        assert key_id in {k.key_id for k in stations.keyring(s)}
        assert bureau_badges.bureau_keys(s)[0].station_name == "城管局"

    # Lost card: revoke and replace in one step; the old card is refused after sync.
    admin.get(f"/console/people/{wang}")
    r = admin.post(f"/console/people/{wang}/badge", {"replace": "1"})
    assert r.headers["content-type"] == "application/pdf"
    [new] = decode(pdf_pages(r.content, tmp_path, "single", dpi=200)[0])
    assert parse_token(new).serial > parse_token(tokens[wang]).serial
    sync(city.east)
    old = city.east.scan(tokens[wang])
    assert old.outcome is Outcome.REFUSED and old.reason == "revoked"
    assert city.east.scan(new).outcome is not Outcome.REFUSED
    page = admin.get(f"/console/people/{wang}").text
    assert page.count("已作废") == 1 and "城管局 #" in page


def test_a_keeper_prints_only_their_stations(keyed: City, console):
    add_user(keyed.db_url, "east-keeper", "keeper", "东站")
    keeper: Console = console()
    keeper.login("east-keeper")
    keeper.get("/console/badges")
    assert keeper.post("/console/badges/sheet", {"station": keyed.west_id}).status_code == 403
    assert keeper.post(f"/console/people/{keyed.li_id}/badge").status_code == 403
    ok = keeper.post(f"/console/people/{keyed.zhang_id}/badge")
    assert ok.headers["content-type"] == "application/pdf"


def test_the_key_file_is_private_and_reused(tmp_path: Path):
    path = tmp_path / "k" / "bureau.pem"
    first = bureau_badges.BureauKey.load_or_create(path)
    assert (path.stat().st_mode & 0o777) == 0o600
    assert bureau_badges.BureauKey.load_or_create(path).key_id == first.key_id


def test_a_hostile_name_prints_as_text(keyed: City, admin: Console, tmp_path: Path):
    import uuid

    from kiosk.events.schema import PersonUpserted
    from kiosk.hub import projections
    from tests.hub.console.helpers import HUB_NOW

    script = "<script>alert(1)</script>"
    person_id = str(uuid.uuid4())
    with keyed.hub.db.write() as s:
        info = PersonUpserted(
            person_id=person_id, name=script, trade="环卫", active=True, updated_at=HUB_NOW
        )
        projections.upsert_person(s, info, keyed.east_id, HUB_NOW)
    admin.get("/console/badges")
    r = admin.post("/console/badges/sheet", {"station": keyed.east_id})
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(r.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert script in text
