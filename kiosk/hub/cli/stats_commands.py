"""``kiosk-hub stats``: 人次, people, rest hours, study hours and quiz pass rates."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from kiosk.cli.output import Output
from kiosk.hub.cli.common import parse_date, parse_zone

if TYPE_CHECKING:
    from kiosk.hub.stats import StudyFigures


def add_parsers(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    common: argparse.ArgumentParser,
    parser_class: type[argparse.ArgumentParser],
) -> None:
    stats = sub.add_parser(
        "stats", help="人次, people, rest hours, study hours, quiz pass rates", parents=[common]
    )
    stats.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
    stats.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")
    stats.add_argument("--tz", default="Asia/Shanghai", help="where a day begins")


def _stats(args: argparse.Namespace, out: Output) -> int:
    from kiosk.hub.db import open_hub_database
    from kiosk.hub.stats import hub_stats, study_stats

    date_from, date_to, tz = (
        parse_date(args.date_from),
        parse_date(args.date_to),
        parse_zone(args.tz),
    )
    db = open_hub_database(args.db)
    try:
        with db.read() as s:
            result = hub_stats(s, date_from, date_to, tz)
            study = study_stats(s, date_from, date_to, tz)
    finally:
        db.close()

    def line(scope: str, name: str, figures: dict[str, object]) -> None:
        out.emit(
            {"scope": scope, "key": name, **figures},
            f"{scope:8} {name:12} {figures['visits']} 人次, {figures['distinct_people']} people, "
            f"{figures['rest_hours']} rest hours"
            + (
                f", {figures['overlapping_visits']} overlapping"
                if figures["overlapping_visits"]
                else ""
            ),
        )

    line("overall", "all", result.overall.record())
    for name, fig in sorted(result.by_station.items()):
        line("station", name, fig.record())
    for trade, fig in sorted(result.by_trade.items()):
        line("trade", trade, fig.record())
    for day, fig in sorted(result.by_day.items()):
        line("day", day.isoformat(), fig.record())
    _excluded_lines(result.excluded, out)

    def study_line(scope: str, name: str, fig: StudyFigures) -> None:
        figures = fig.record()
        rate = figures["quiz_pass_rate"]
        out.emit(
            {"scope": scope, "key": name, **figures},
            f"{scope:14} {name:12} {figures['study_sessions']} sessions, "
            f"{figures['study_hours']} study hours, {figures['quiz_attempts']} quiz attempts, "
            f"{figures['quizzes_passed']} passed" + ("" if rate is None else f" ({rate}%)"),
        )

    study_line("study", "all", study.overall)
    for name, fig in sorted(study.by_station.items()):
        study_line("study-station", name, fig)
    for material_id, fig in sorted(study.by_material.items()):
        study_line("study-material", material_id, fig)
    return 0


def _excluded_lines(excluded: dict[str, int], out: Output) -> None:
    """How many visits no figure above counts, and why (badges that did not verify)."""
    from kiosk.hub.verification import REASONS

    total = sum(excluded.values())
    out.emit(
        {"scope": "excluded", "key": "all", "visits": total},
        f"excluded all          {total} visit(s) left out of every figure above",
    )
    for reason, count in sorted(excluded.items()):
        out.emit(
            {"scope": "excluded", "key": reason, "visits": count},
            f"excluded {reason:12} {count} visit(s): {REASONS.get(reason, reason)}",
        )


HANDLERS = {"stats": _stats}
