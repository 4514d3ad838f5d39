"""Console person search benchmark: the SQL key range against the old whole-roster scan.

Run: ``python -m kiosk.bench.people [--people 100000] [--repeat 21] [--pg URL]``.

A fresh hub database gets ``--people`` people with realistic Chinese names (common surnames,
compound surnames, two- and three-character names) and their search keys, written directly.
Each query is then answered ``--repeat`` times both ways, one page of 50 and the total:

* ``sql``: :func:`kiosk.hub.person_search.search` (what the console runs now: index lookups);
* ``scan``: the first console's way, every person loaded and matched in Python (search keys
  cached per name, as it had them), measured in the same run as the baseline.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤单"  # noqa: E501
COMPOUND = ["欧阳", "司马", "诸葛", "上官", "长孙", "慕容"]
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国红玉梅志文斌辉鹏飞海燕"
QUERIES = ["zs", "zhang", "wxy", "ouyang", "王", "秀英", "lj", "zhangwei"]
PAGE = 50


def _name(rng: random.Random) -> str:
    surname = rng.choice(COMPOUND) if rng.random() < 0.02 else rng.choice(SURNAMES)
    return surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _fill(db, people: int, now: datetime) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import insert

    from kiosk.hub.models import HubPerson, HubPersonKey
    from kiosk.hub.person_search import keys_of

    rng = random.Random(16)
    for start in range(0, people, 10_000):
        rows, keys = [], []
        for i in range(start, min(people, start + 10_000)):
            name = _name(rng)
            rows.append(
                {"id": f"p{i:07d}", "name": name, "trade": "环卫", "party_member": False,
                 "active": True, "updated_at": now}
            )  # fmt: skip
            keys += [{"key": k, "person_id": f"p{i:07d}"} for k in keys_of(name)]
        with db.write() as s:
            s.execute(insert(HubPerson), rows)
            s.execute(insert(HubPersonKey), keys)


def _scan(db) -> Callable[[str], int]:  # type: ignore[no-untyped-def]
    """The first console's search: load everyone, match in Python (keys cached per name)."""
    from functools import lru_cache

    from sqlalchemy import select

    from kiosk.core.pinyin import normalize_query, search_keys
    from kiosk.hub.models import HubPerson

    keys = lru_cache(maxsize=200_000)(lambda name: tuple(search_keys(name)))

    def matches(name: str, query: str) -> bool:
        if query in name:
            return True
        q = normalize_query(query)
        return bool(q) and q.isascii() and any(k.startswith(q) for k in keys(name))

    def run(query: str) -> int:
        with db.read() as s:
            everyone = s.scalars(select(HubPerson).order_by(HubPerson.name, HubPerson.id))
            found = [p for p in everyone if matches(p.name, query)]
        return len(found[:PAGE]) and len(found)

    return run


def _sql(db) -> Callable[[str], int]:  # type: ignore[no-untyped-def]
    from kiosk.hub import person_search

    def run(query: str) -> int:
        with db.read() as s:
            total, _page = person_search.search(s, query, None, 0, PAGE)
        return total

    return run


def _times(fn: Callable[[str], int], query: str, repeat: int) -> tuple[float, float, int]:
    fn(query)  # warm: caches, the page cache, prepared plans
    times, total = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        total = fn(query)
        times.append(time.perf_counter() - t0)
    times.sort()
    return statistics.median(times), times[max(0, round(0.95 * len(times)) - 1)], total


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m kiosk.bench.people", description=__doc__)
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=21)
    ap.add_argument("--pg", metavar="URL", help="an empty PostgreSQL database (else SQLite)")
    args = ap.parse_args(argv)

    from kiosk.hub.db import open_hub_database

    with tempfile.TemporaryDirectory() as tmp:
        db = open_hub_database(args.pg or f"sqlite:///{Path(tmp) / 'hub.sqlite3'}")
        started = time.perf_counter()
        _fill(db, args.people, datetime.now(UTC))
        print(f"filled {args.people} people in {time.perf_counter() - started:.1f} s "
              f"({db.engine.dialect.name})")  # fmt: skip
        sql, scan = _sql(db), _scan(db)
        print(f"{'query':10} {'found':>7} {'sql p50/p95 ms':>18} {'scan p50/p95 ms':>18}")
        for q in QUERIES:
            s50, s95, total = _times(sql, q, args.repeat)
            b50, b95, total_scan = _times(scan, q, max(3, args.repeat // 5))
            assert total == total_scan, (q, total, total_scan)
            print(f"{q:10} {total:7d} {s50 * 1000:8.1f} /{s95 * 1000:7.1f} "
                  f"{b50 * 1000:9.0f} /{b95 * 1000:7.0f}")  # fmt: skip
        db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
