"""``kiosk-hub user add|list|disable|password``: passwords from stdin only, audited."""

from __future__ import annotations

import io
import sys

import pytest
from sqlalchemy import select

from kiosk.hub.cli import main
from kiosk.hub.models import ConsoleAudit, ConsoleSession
from tests.hub.console.conftest import City
from tests.hub.console.helpers import Console, add_user, cli_json
from tests.hub.harness import HubServer


def run(
    db: str, *argv: str, stdin: str = "", capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    saved = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        capsys.readouterr()
        code = main(["--db", db, *argv])
    finally:
        sys.stdin = saved
    return code, capsys.readouterr().err


def test_add_list_disable(city: City, capsys: pytest.CaptureFixture[str]):
    db = city.db_url
    assert (
        run(
            db,
            "user",
            "add",
            "wang",
            "--role",
            "keeper",
            "--station",
            "东站",
            "--station",
            city.west_id,
            stdin="a long enough password\n",
            capsys=capsys,
        )[0]
        == 0
    )
    rows = cli_json(db, "user", "list")
    assert rows == [
        {"username": "wang", "role": "keeper", "active": True, "stations": ["东站", "西站"]}
    ]
    code, _ = run(db, "user", "disable", "wang", capsys=capsys)
    assert code == 0 and cli_json(db, "user", "list")[0]["active"] is False
    with city.hub.db.read() as s:
        assert list(s.scalars(select(ConsoleAudit.action))) == ["user.add", "user.disable"]


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (("user", "add", "a", "--role", "admin"), "a long enough password\n", "username"),
        (("user", "add", "kim", "--role", "admin"), "short\n", "shorter than"),
        (
            ("user", "add", "kim", "--role", "keeper"),
            "a long enough password\n",
            "needs at least one",
        ),
        (
            ("user", "add", "kim", "--role", "viewer", "--station", "北站"),
            "a long enough password\n",
            "no station",
        ),
        (("user", "add", "kim", "--role", "root"), "a long enough password\n", "invalid choice"),
        (("user", "disable", "nobody"), "", "no user"),
    ],
)
def test_refusals_are_one_line_and_status_2(
    hub: HubServer, hub_url_db: str, argv, stdin, message, capsys
):
    code, err = run(hub_url_db, *argv, stdin=stdin, capsys=capsys)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_there_is_no_password_argument(hub_url_db: str, capsys):
    code, err = run(
        hub_url_db, "user", "add", "kim", "--role", "admin", "--password", "x" * 12, capsys=capsys
    )
    assert code == 2 and "unrecognized arguments" in err


def test_a_new_password_ends_the_accounts_sessions(
    hub: HubServer, hub_url_db: str, console, capsys
):
    add_user(hub_url_db, "clerk", "viewer")
    c: Console = console()
    c.login("clerk")
    assert (
        run(
            hub_url_db, "user", "password", "clerk", stdin="another long password\n", capsys=capsys
        )[0]
        == 0
    )
    with hub.db.read() as s:
        assert s.scalar(select(ConsoleSession.id)) is None
    assert c.get("/console/").status_code == 303
    assert c.login("clerk", "another long password").status_code == 200
