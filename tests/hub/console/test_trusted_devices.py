"""Device cookies (kiosk/hub/console/trusted.py): strangers who fill the per-address or
per-account throttle cannot lock out a browser that has logged in as that user before."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from kiosk.hub.console import auth, trusted
from tests.hub.console.helpers import Console, SteppingClock, add_user
from tests.hub.harness import HubServer

MakeConsole = Callable[..., Console]


def _device_cookie(c: Console) -> str:
    return next(x.value for x in c.http.cookies.jar if x.name == trusted.DEVICE_COOKIE)


def _with_cookie(console: MakeConsole, value: str) -> Console:
    c = console()
    c.http.cookies.set(trusted.DEVICE_COOKIE, value, domain="127.0.0.1", path="/console")
    return c


def _fail(hub: HubServer, clock: SteppingClock, username: str, where: str, times: int) -> None:
    """Failed logins as the login route records them (each real one costs an argon2 hash)."""
    with hub.db.write() as s:
        for _ in range(times):
            auth.record_failure(s, username, where, clock.now)


def _fill_address(hub: HubServer, clock: SteppingClock, console: MakeConsole) -> None:
    """A stranger behind the office's one NAT address guesses names until it is locked."""
    stranger = console()
    assert stranger.login("guess", "wrong password!").status_code == 401
    _fail(hub, clock, "guess", "127.0.0.1", auth.ADDRESS_LIMIT - 1)
    assert stranger.login("guess", "wrong password!").status_code == 429


def test_a_known_browser_logs_in_while_strangers_locked_its_address(
    hub: HubServer, hub_url_db: str, console: MakeConsole, clock: SteppingClock
):
    add_user(hub_url_db, "clerk", "viewer")
    clerk = console()
    assert clerk.login("clerk").status_code == 200
    _fill_address(hub, clock, console)
    assert console().login("clerk").status_code == 429  # a new browser at that address
    assert clerk.login("clerk").status_code == 200


def test_strangers_guessing_an_account_do_not_lock_out_its_owner(
    hub: HubServer, hub_url_db: str, console: MakeConsole, clock: SteppingClock
):
    add_user(hub_url_db, "admin1", "admin")
    owner = console()
    assert owner.login("admin1").status_code == 200
    attacker = console()
    assert attacker.login("admin1", "guess guess guess").status_code == 401
    _fail(hub, clock, "admin1", "10.9.8.7", auth.ACCOUNT_LIMIT - 1)  # from elsewhere, too
    assert attacker.login("admin1").status_code == 429
    assert owner.login("admin1").status_code == 200
    assert attacker.login("admin1").status_code == 429  # the owner's success cleared nothing


def test_a_known_browser_that_guesses_locks_only_itself(
    hub: HubServer, hub_url_db: str, console: MakeConsole, clock: SteppingClock
):
    add_user(hub_url_db, "clerk", "viewer")
    shared = console()
    assert shared.login("clerk").status_code == 200
    for _ in range(auth.ACCOUNT_LIMIT):  # through the route: failures kept per device
        assert shared.login("clerk", "not the password").status_code == 401
    assert shared.login("clerk").status_code == 429
    assert console().login("clerk").status_code == 200  # the account is not locked
    clock.advance(minutes=16)
    assert shared.login("clerk").status_code == 200


def test_a_forged_borrowed_or_expired_device_cookie_counts_as_none(
    hub: HubServer, hub_url_db: str, console: MakeConsole, clock: SteppingClock
):
    add_user(hub_url_db, "clerk", "viewer")
    add_user(hub_url_db, "boss", "admin")
    clerk, boss = console(), console()
    assert clerk.login("clerk").status_code == 200 and boss.login("boss").status_code == 200
    good = _device_cookie(clerk)
    name, nonce, issued, mac = good.split(".")
    forged = [
        f"{name}.{nonce}.{issued}.{'0' * len(mac)}",
        f"{name}.{nonce}.{int(issued) + 1}.{mac}",
        _device_cookie(boss),  # another user's
        "x" * 400,
        "....",
    ]
    _fill_address(hub, clock, console)
    for value in forged:
        assert _with_cookie(console, value).login("clerk").status_code == 429, value
    assert _with_cookie(console, good).login("clerk").status_code == 200

    clock.advance(days=181)  # the cookie is too old; the address fills again
    _fill_address(hub, clock, console)
    assert _with_cookie(console, good).login("clerk").status_code == 429


def test_the_device_cookie_flags(hub: HubServer, hub_url_db: str, console: MakeConsole):
    add_user(hub_url_db, "clerk", "viewer")
    done: httpx.Response = console().login("clerk")
    [header] = [
        h for h in done.history[0].headers.get_list("set-cookie")
        if h.startswith(trusted.DEVICE_COOKIE)
    ]  # fmt: skip
    assert "HttpOnly" in header and "SameSite=strict" in header and "Path=/console" in header
    assert "Max-Age=15552000" in header
