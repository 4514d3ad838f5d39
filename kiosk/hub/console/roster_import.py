"""A roster file checked row by row: every row's problems are listed before anything is
written, and the import is all or nothing (one transaction through
:func:`kiosk.hub.roster.import_people`, the function ``kiosk-hub person import`` uses).

Columns are found by their header, in Chinese or as in the CSV of ``kiosk person import``:
姓名/name, 工种/trade, 班组/team, 党员/party_member, 电话/phone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from kiosk.core.roster import MAX_NAME_LENGTH
from kiosk.core.trades import Trade, parse_trade
from kiosk.hub import roster
from kiosk.hub.console.auth import person_stations

HEADERS = {
    "name": ("姓名", "name", "名字"),
    "trade": ("工种", "trade"),
    "team": ("班组", "team", "队伍", "所属班组"),
    "party_member": ("党员", "party_member", "是否党员"),
    "phone": ("电话", "phone", "手机", "手机号", "联系电话"),
}
TRUE = {"1", "true", "yes", "y", "是", "党员", "x", "✓", "√"}
FALSE = {"", "0", "false", "no", "n", "否", "群众"}
_PHONE = re.compile(r"^\+?[0-9][0-9 -]{2,28}$")
MAX_TEAM = 100


@dataclass
class Row:
    line: int
    name: str
    trade: str
    team: str
    party_member: bool
    phone: str
    problems: list[str] = field(default_factory=list)
    existing: bool = False  # updates a person already on the hub (same name and phone)

    def values(self) -> dict[str, object]:
        return {
            "name": self.name,
            "trade": Trade(self.trade),
            "team": self.team or None,
            "party_member": self.party_member,
            "phone": self.phone or None,
        }


@dataclass
class Preview:
    rows: list[Row]
    problems: list[str]  # about the file as a whole (a missing column)

    @property
    def ok(self) -> bool:
        return not self.problems and not any(r.problems for r in self.rows) and bool(self.rows)


def _columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    found: dict[str, int] = {}
    for i, title in enumerate(header):
        key = title.strip().lower()
        for column, names in HEADERS.items():
            if key in names and column not in found:
                found[column] = i
    missing = [HEADERS[c][0] for c in ("name", "trade") if c not in found]
    problems = (
        [f"缺少列：{'、'.join(missing)}（第一行应为表头：姓名、工种、班组、党员、电话）"]
        if missing
        else []
    )
    return found, problems


def check_row(line: int, get: dict[str, str]) -> Row:
    """One row's values cleaned, and what is wrong with it (in Chinese)."""
    name = " ".join(get.get("name", "").split())
    trade_text = get.get("trade", "").strip()
    team = get.get("team", "").strip()
    party_text = get.get("party_member", "").strip().lower()
    phone = get.get("phone", "").strip()
    problems = []
    if not name:
        problems.append("缺少姓名")
    elif len(name) > MAX_NAME_LENGTH:
        problems.append(f"姓名超过 {MAX_NAME_LENGTH} 个字")
    trade = trade_text  # shown as typed when it is not a trade
    try:
        trade = parse_trade(trade_text).value
    except ValueError:
        choices = "、".join(t.value for t in Trade)
        problems.append(
            f"工种“{trade_text}”不认识（可填：{choices}）" if trade_text else "缺少工种"
        )
    if len(team) > MAX_TEAM:
        problems.append(f"班组超过 {MAX_TEAM} 个字")
    if party_text not in TRUE | FALSE:
        problems.append(f"党员一栏应填“是”或“否”，不是“{party_text}”")
    if phone and not _PHONE.match(phone):
        problems.append(f"电话“{phone}”格式不对")
    return Row(line, name, trade, team, party_text in TRUE, phone, problems)


def preview(session: Session, table: list[list[str]], stations: frozenset[str] | None) -> Preview:
    """Check every row; ``stations``: the importer's stations (None: all), so a keeper's
    file cannot change someone of another station."""
    if not table:
        return Preview([], ["文件是空的。"])
    columns, problems = _columns(table[0])
    if problems:
        return Preview([], problems)
    rows: list[Row] = []
    seen: dict[tuple[str, str], int] = {}
    for line, cells in enumerate(table[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        get = {col: cells[i] if i < len(cells) else "" for col, i in columns.items()}
        rows.append(check_row(line, get))
    if not rows:
        return Preview([], ["表格里没有人员数据。"])
    for row in rows:
        if row.phone and row.name:
            key = (row.name, row.phone)
            if key in seen:
                row.problems.append(f"与第 {seen[key]} 行重复（姓名和电话相同）")
            seen.setdefault(key, row.line)
    known = roster._known(session, [r.values() for r in rows if not r.problems and r.phone])
    for row in rows:
        person = known.get((row.name, row.phone)) if row.phone else None
        if person is not None:
            row.existing = True
            if stations is not None and not person_stations(session, person.id) & stations:
                row.problems.append("此人已登记在其他驿站，只有管理员能修改")
    return Preview(rows, [])
