"""A console user's browser without a browser: httpx against the real hub on 127.0.0.1,
with the login form's token and each page's CSRF token read from the HTML."""

from __future__ import annotations

import html
import io
import re
import sys
from datetime import UTC, datetime, timedelta

import httpx

from kiosk.hub.cli import main as hub_main

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_LOGIN = re.compile(r'name="login_token" value="([^"]+)"')


class SteppingClock:
    """The hub's clock in tests: set, and moved forward by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


HUB_NOW = datetime(2026, 11, 3, 6, 0, tzinfo=UTC)  # 14:00 in Shanghai, a Tuesday


def add_user(
    db_url: str, username: str, role: str, *stations: str, password: str = PASSWORD
) -> int:
    """``kiosk-hub user add`` with the password on stdin, as an operator would run it."""
    argv = ["--db", db_url, "user", "add", username, "--role", role]
    for station in stations:
        argv += ["--station", station]
    saved = sys.stdin
    sys.stdin = io.StringIO(password + "\n")
    try:
        return hub_main(argv)
    finally:
        sys.stdin = saved


class Console:
    def __init__(self, base_url: str, **headers: str) -> None:
        self.http = httpx.Client(base_url=base_url, headers={"Accept": "text/html", **headers})
        self.csrf = ""

    def close(self) -> None:
        self.http.close()

    def login(self, username: str, password: str = PASSWORD) -> httpx.Response:
        form = self.http.get("/console/login")
        token = _LOGIN.search(form.text)
        assert token is not None, form.text
        return self.http.post(
            "/console/login",
            data={"username": username, "password": password, "login_token": token.group(1)},
            follow_redirects=True,
        )

    def get(self, path: str, **kw: object) -> httpx.Response:
        response = self.http.get(path, **kw)  # type: ignore[arg-type]
        found = (
            _CSRF.search(response.text)
            if response.headers.get("content-type", "").startswith("text/html")
            else None
        )
        if found:
            self.csrf = html.unescape(found.group(1))
        return response

    def post(
        self, path: str, data: dict[str, str] | None = None, csrf: bool = True, **kw: object
    ) -> httpx.Response:
        if not self.csrf and csrf:
            self.get("/console/")
        form = dict(data or {})
        if csrf:
            form["csrf_token"] = self.csrf
        kw.setdefault("follow_redirects", True)
        return self.http.post(path, data=form, **kw)  # type: ignore[arg-type]


def cli_json(db_url: str, *argv: str) -> list[dict[str, object]]:
    """``kiosk-hub --json ARGV`` in-process; its output lines as records."""
    import contextlib
    import json

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert hub_main(["--db", db_url, "--json", *argv]) == 0
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


def cli_figures(db_url: str, start: str, end: str) -> dict[str, object]:
    """What ``kiosk-hub stats`` reports for the days: 人次, people, rest and study hours."""
    rows = cli_json(db_url, "stats", "--from", start, "--to", end)
    overall = next(r for r in rows if r["scope"] == "overall")
    study = next(r for r in rows if r["scope"] == "study")
    return {
        "visits": str(overall["visits"]),
        "distinct_people": str(overall["distinct_people"]),
        "rest_hours": str(overall["rest_hours"]),
        "study_hours": str(study["study_hours"]),
    }


def page_figures(text: str, period: str) -> dict[str, str]:
    """The figures a 总览 or station page shows in one period's card."""
    card = text.split(f'data-period="{period}"', 1)[1].split('class="card"', 1)[0]
    return dict(re.findall(r'data-figure="(\w+)">([^<]*)<', card))
