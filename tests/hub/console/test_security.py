"""Sessions, CSRF, station scope, escaping, throttling, disabled accounts, cookie flags."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import func, select

from kiosk.events.schema import PersonUpserted
from kiosk.hub import projections
from kiosk.hub.cli import main as hub_main
from kiosk.hub.console import auth
from kiosk.hub.models import ConsoleAudit, HubAnnouncement, HubStation
from tests.hub.console.conftest import City
from tests.hub.console.helpers import HUB_NOW, PASSWORD, Console, add_user
from tests.hub.harness import HubServer


def _count(hub: HubServer, model) -> int:  # type: ignore[no-untyped-def]
    with hub.db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_a_post_without_the_csrf_token_changes_nothing(hub: HubServer, admin: Console):
    before = _count(hub, HubAnnouncement)
    refused = admin.post("/console/notices", {"text": "无令牌"}, csrf=False)
    assert refused.status_code == 403 and "页面已过期" in refused.text
    wrong = admin.http.post("/console/notices", data={"text": "错令牌", "csrf_token": "x" * 43})
    assert wrong.status_code == 403
    header = admin.http.post(
        "/console/stations", data={"name": "x"}, headers={"X-CSRF-Token": "nope"}
    )
    assert header.status_code == 403
    assert _count(hub, HubAnnouncement) == before and _count(hub, HubStation) == 0
    accepted = admin.post("/console/notices", {"text": "有令牌"})
    assert accepted.status_code == 200 and _count(hub, HubAnnouncement) == before + 1


def test_a_post_from_another_origin_is_refused_even_with_the_token(hub: HubServer, admin: Console):
    admin.get("/console/notices")
    r = admin.http.post(
        "/console/notices",
        data={"text": "跨站", "csrf_token": admin.csrf},
        headers={"Origin": "http://evil.example"},
    )
    assert r.status_code == 403 and _count(hub, HubAnnouncement) == 0


def test_a_keeper_sees_only_their_station(city: City, console):
    assert add_user(city.db_url, "east-keeper", "keeper", "东站") == 0
    keeper: Console = console()
    assert keeper.login("east-keeper").status_code == 200
    assert keeper.get(f"/console/stations/{city.east_id}").status_code == 200
    assert keeper.get(f"/console/people/{city.zhang_id}").status_code == 200
    other_station = keeper.get(f"/console/stations/{city.west_id}")
    other_person = keeper.get(f"/console/people/{city.li_id}")
    assert other_station.status_code == 403 and "西站" not in other_station.text
    assert other_person.status_code == 403 and "李四" not in other_person.text
    edit = keeper.post(f"/console/people/{city.li_id}", {"name": "改名", "trade": "环卫"})
    assert edit.status_code == 403
    stations = keeper.get("/console/stations").text
    assert "东站" in stations and "西站" not in stations
    people = keeper.get("/console/people").text
    assert "张三" in people and "李四" not in people
    assert "西站" not in keeper.get("/console/").text
    csv = keeper.get("/console/exports/visits.csv?from=2026-11-01&to=2026-11-30").text
    assert "东站" in csv and "西站" not in csv and "李四" not in csv
    # Admin pages and admin actions are refused to a keeper.
    assert keeper.get("/console/audit").status_code == 403
    assert keeper.post("/console/stations", {"name": "新站"}).status_code == 403


def test_a_viewer_reads_but_cannot_change(city: City, console):
    assert add_user(city.db_url, "viewer", "viewer") == 0
    viewer: Console = console()
    viewer.login("viewer")
    assert viewer.get(f"/console/people/{city.li_id}").status_code == 200
    assert (
        viewer.post(f"/console/people/{city.li_id}", {"name": "改名", "trade": "环卫"}).status_code
        == 403
    )
    assert viewer.post("/console/notices", {"text": "x"}).status_code == 403
    assert "/console/badges" not in viewer.get("/console/").text
    assert viewer.get("/console/badges").status_code == 403
    assert viewer.post(f"/console/people/{city.li_id}/badge").status_code == 403


def test_hostile_names_show_as_text(city: City, admin: Console):
    script, drop = "<script>alert(1)</script>", "'; DROP TABLE hub_people; --"
    with city.hub.db.write() as s:  # as a station would send them (the protocol allows 50)
        for name in (script, drop):
            info = PersonUpserted(
                person_id=str(uuid.uuid4()),
                name=name,
                trade="环卫",
                active=True,
                updated_at=HUB_NOW,
            )
            projections.upsert_person(s, info, city.east_id, HUB_NOW)
    admin.post("/console/stations", {"name": script})
    for path in ("/console/people", "/console/stations", "/console/people?q=alert"):
        page = admin.get(path).text
        assert script not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    people = admin.get("/console/people?q=DROP").text
    assert "&#39;; DROP TABLE hub_people; --" in people  # and the table is still there
    assert (
        admin.get("/console/").headers["content-security-policy"].startswith("default-src 'self'")
    )


def test_wrong_passwords_are_throttled_per_account(hub: HubServer, hub_url_db: str, console, clock):
    add_user(hub_url_db, "clerk", "viewer")
    c: Console = console()
    for _ in range(auth.ACCOUNT_LIMIT):
        assert c.login("clerk", "wrong password!").status_code == 401
    throttled = c.login("clerk")  # the right password, too late
    assert throttled.status_code == 429 and "尝试次数过多" in throttled.text
    clock.advance(minutes=16)
    assert c.login("clerk").status_code == 200
    with hub.db.read() as s:
        actions = list(s.scalars(select(ConsoleAudit.action).order_by(ConsoleAudit.id)))
    assert actions.count("login.failed") == auth.ACCOUNT_LIMIT and "login.throttled" in actions


def test_wrong_passwords_are_throttled_per_address(hub: HubServer):
    with hub.db.write() as s:
        for i in range(auth.ADDRESS_LIMIT):
            auth.record_failure(s, f"guess{i}", "10.0.0.9", HUB_NOW)
        assert auth.throttled(s, "someone-else", "10.0.0.9", HUB_NOW)
        assert not auth.throttled(s, "someone-else", "10.0.0.10", HUB_NOW)


def test_a_disabled_account_is_logged_out_at_once(hub: HubServer, hub_url_db: str, console):
    add_user(hub_url_db, "leaver", "viewer")
    c: Console = console()
    c.login("leaver")
    assert c.get("/console/").status_code == 200
    assert hub_main(["--db", hub_url_db, "user", "disable", "leaver"]) == 0
    r = c.get("/console/")
    assert r.status_code == 303 and r.headers["location"].startswith("/console/login")
    assert c.login("leaver").status_code == 401


def test_sessions_expire_when_idle(hub: HubServer, admin: Console, clock):
    assert admin.get("/console/").status_code == 200
    clock.advance(minutes=29)
    assert admin.get("/console/").status_code == 200
    clock.advance(minutes=31)
    assert admin.get("/console/").status_code == 303


def test_cookie_flags_and_secure_behind_a_tls_proxy(hub: HubServer, hub_url_db: str, console):
    add_user(hub_url_db, "clerk", "viewer")
    plain = console().login("clerk")
    cookie = plain.history[0].headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/console" in cookie
    assert "Secure" not in cookie
    # uvicorn trusts X-Forwarded-Proto from 127.0.0.1 (FORWARDED_ALLOW_IPS), as from a proxy.
    tls: Console = console(**{"X-Forwarded-Proto": "https"})
    form = tls.http.get("/console/login")
    assert "Secure" in form.headers["set-cookie"]
    token = re.search(r'name="login_token" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    done = tls.http.post(
        "/console/login",
        data={"username": "clerk", "password": PASSWORD, "login_token": token},
        headers={"Cookie": f"kiosk_console_login={token}"},
    )
    assert done.status_code == 303 and "Secure" in done.headers["set-cookie"]


def test_logout_ends_the_session(admin: Console):
    admin.get("/console/")
    cookie = admin.http.cookies.get("kiosk_console", domain="", path="/console") or next(
        c.value for c in admin.http.cookies.jar if c.name == "kiosk_console"
    )
    assert admin.post("/console/logout").status_code == 200
    stolen = Console(str(admin.http.base_url))
    stolen.http.cookies.set("kiosk_console", cookie, path="/console")
    assert stolen.get("/console/").status_code == 303
    stolen.close()


def test_passwords_are_stored_as_argon2_only(hub: HubServer, hub_url_db: str):
    add_user(hub_url_db, "clerk", "viewer")
    with hub.db.read() as s:
        from kiosk.hub.models import ConsoleUser

        stored = s.scalar(select(ConsoleUser.password_hash))
    assert stored is not None and stored.startswith("$argon2id$") and PASSWORD not in stored
