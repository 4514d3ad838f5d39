"""总览 and station pages show what ``kiosk-hub stats`` reports for the same days."""

from __future__ import annotations

from kiosk.hub.console import charts
from tests.hub.console.conftest import City
from tests.hub.console.helpers import Console, add_user, cli_figures, cli_json, page_figures

PERIODS = {
    "today": ("2026-11-03", "2026-11-03"),
    "week": ("2026-11-02", "2026-11-03"),
    "month": ("2026-11-01", "2026-11-03"),
}


def test_dashboard_figures_equal_kiosk_hub_stats(city: City, admin: Console):
    text = admin.get("/console/").text
    for period, (start, end) in PERIODS.items():
        assert page_figures(text, period) == cli_figures(city.db_url, start, end), period
    month = page_figures(text, "month")
    assert month["visits"] == "4" and month["distinct_people"] == "2"  # the test has data
    assert page_figures(text, "today")["visits"] == "2"
    assert page_figures(text, "today")["study_hours"] == "1.5"
    # By station and by trade, as the command's lines for the month.
    rows = cli_json(city.db_url, "stats", "--from", "2026-11-01", "--to", "2026-11-03")
    for r in rows:
        if r["scope"] in ("station", "trade"):
            assert (
                f"<td>{r['key']}</td><td>{r['visits']}</td><td>{r['distinct_people']}</td><td>{r['rest_hours']}</td>"
                in text
            )


def test_a_keepers_dashboard_counts_only_their_station(city: City, console):
    add_user(city.db_url, "east-keeper", "keeper", "东站")
    keeper: Console = console()
    keeper.login("east-keeper")
    month = page_figures(keeper.get("/console/").text, "month")
    rows = cli_json(city.db_url, "stats", "--from", "2026-11-01", "--to", "2026-11-03")
    east = next(r for r in rows if r["scope"] == "station" and r["key"] == "东站")
    assert month["visits"] == str(east["visits"]) and month["rest_hours"] == str(east["rest_hours"])
    assert month["distinct_people"] == str(east["distinct_people"])


def test_station_page_shows_its_own_figures(city: City, admin: Console):
    text = admin.get(f"/console/stations/{city.west_id}").text
    rows = cli_json(city.db_url, "stats", "--from", "2026-11-03", "--to", "2026-11-03")
    west = next(r for r in rows if r["scope"] == "station" and r["key"] == "西站")
    today = page_figures(text, "today")
    assert today["visits"] == str(west["visits"]) == "1" and today["rest_hours"] == "1.0"


def test_chart_bars_are_drawn_to_scale():
    chart = charts.rows([("东站", 3), ("西站", 1)])
    east, west = chart.bars
    assert east.label == "东站" and abs(east.width / west.width - 3) < 1e-9
    days = charts.columns([("11-01", 0), ("11-02", 4)])
    assert days.bars[0].height == 0 and days.bars[1].height > 0
