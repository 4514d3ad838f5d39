"""``kiosk badge issue|revoke``: badges, their card files and printable A4 sheets.

``issue --all`` issues every active person's badge, 100 per transaction (in sheet order: team,
then name), then draws the cards: PNG files with ``--out-dir``, one A4 PDF with ``--sheet``
(``core/badge_sheet.py``), or both, with a progress bar on a terminal. The readable output is
a summary; ``--json`` keeps one record per card (``person_id``, ``token``, ``file``, and
``sheet`` and ``page`` with ``--sheet``), and ``-v`` prints a line per card too.
"""

from __future__ import annotations

import argparse
import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kiosk.cli.output import Output
from kiosk.cli.parser import UsageError
from kiosk.cli.progress import Progress
from kiosk.core.badge_card import CardSpec, write_card
from kiosk.core.badge_sheet import CARDS_PER_PAGE, SheetError, sheet_key, write_badge_sheet
from kiosk.core.errors import StationError
from kiosk.core.station import StationService

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Target:
    person_id: str
    team: str | None
    file: Path | None


def _targets(station: StationService, args: argparse.Namespace) -> list[_Target]:
    if args.all:
        if args.person_id or args.out or not (args.out_dir or args.sheet):
            raise UsageError("badge issue --all needs --out-dir DIR and/or --sheet FILE.pdf")
        people = sorted(station.people(), key=lambda p: (sheet_key(p.team, p.name), p.id))
        out_dir = Path(args.out_dir) if args.out_dir else None
        return [
            _Target(p.id, p.team, out_dir / f"{p.name}-{p.id[:8]}.png" if out_dir else None)
            for p in people
        ]
    if not args.person_id or args.out_dir or not (args.out or args.sheet):
        raise UsageError("badge issue needs PERSON_ID and --out FILE.png or --sheet FILE.pdf")
    person_id = station.resolve_person_id(args.person_id)
    team = next((p.team for p in station.people(include_inactive=True) if p.id == person_id), None)
    return [_Target(person_id, team, Path(args.out) if args.out else None)]


def cmd_badge(station: StationService, args: argparse.Namespace, out: Output) -> int:
    if args.badge_command == "revoke":
        count = station.revoke_badges(station.resolve_person_id(args.person_id))
        out.emit({"person_id": args.person_id, "revoked": count}, f"revoked {count} badge(s)")
        return 0
    try:
        expires = date.fromisoformat(args.expires) if args.expires else None
    except ValueError:
        raise UsageError(f"--expires needs a date (YYYY-MM-DD), not {args.expires!r}") from None
    sheet = Path(args.sheet) if args.sheet else None
    if sheet is not None and sheet.suffix.lower() != ".pdf":
        raise UsageError(f"--sheet needs a .pdf file name, not {sheet.name!r}")
    targets = _targets(station, args)
    if not targets:
        out.emit({"issued": 0}, "no active people: no badges issued")
        return 0
    progress = Progress(len(targets), "badges issued")
    try:
        issued = station.issue_badges(
            [t.person_id for t in targets], expires, lambda n: progress.advance(n - progress.done)
        )
    finally:
        progress.close()
    station_name = station.info().name
    cards = [
        CardSpec(b.token, b.name, b.trade, station_name, t.team)
        for b, t in zip(issued, targets, strict=True)
    ]
    log.info("issued %d badge(s)", len(cards))

    files = any(t.file is not None for t in targets)
    progress = Progress(len(cards), "badge cards" if files else "A4 sheet")
    pages = 0
    try:
        if files:
            for card, target in zip(cards, targets, strict=True):
                assert target.file is not None
                try:
                    write_card(target.file, card)
                except OSError as e:
                    raise StationError(f"cannot write {target.file}: {e.strerror}") from None
                if sheet is None:
                    _report(out, progress, args, card, target, None, None)
                progress.advance()
        if sheet is not None:
            if files:  # the sheet follows the files: a second bar
                progress.close()
                progress = Progress(len(cards), "A4 sheet")
            pages = _write_sheet(cards, targets, sheet, station_name, out, progress, args)
    finally:
        progress.close()
    if args.all and not out.as_json:
        where = [f"cards in {args.out_dir}"] if args.out_dir else []
        where += [f"sheet {sheet} ({pages} A4 pages)"] if sheet else []
        print(f"issued {len(cards)} badge(s); {', '.join(where)}", flush=True)
    elif sheet is not None and not out.as_json:
        print(f"sheet {sheet} ({pages} A4 page)", flush=True)
    return 0


def _write_sheet(
    cards: list[CardSpec],
    targets: list[_Target],
    sheet: Path,
    station_name: str,
    out: Output,
    progress: Progress,
    args: argparse.Namespace,
) -> int:
    def placed(n: int) -> None:
        _report(out, progress, args, cards[n - 1], targets[n - 1], sheet, _page(n))
        progress.advance()

    try:
        result = write_badge_sheet(cards, sheet, title=f"{station_name} 工牌", progress=placed)
    except SheetError as e:
        raise StationError(str(e)) from None
    return result.pages


def _page(n: int) -> int:
    return (n - 1) // CARDS_PER_PAGE + 1


def _report(
    out: Output,
    progress: Progress,
    args: argparse.Namespace,
    card: CardSpec,
    target: _Target,
    sheet: Path | None,
    page: int | None,
) -> None:
    """The per-card line: always with --json, with -v or for a single badge otherwise."""
    if not (out.as_json or args.verbose or not args.all):
        return
    record: dict[str, object] = {
        "person_id": target.person_id,
        "token": card.token,
        "file": target.file,
    }
    if sheet is not None:
        record.update(sheet=sheet, page=page)
    where = str(target.file) if target.file else f"{sheet} page {page}"
    with progress.printing():
        out.emit(record, f"{card.name}: {where}")


BADGE_HANDLERS = {"badge": cmd_badge}
