"""The console's person search runs in SQL and finds exactly what the plain rule finds:
the query inside the name, or at the start of any full-pinyin or initials key of it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.core.pinyin import normalize_query, search_keys
from kiosk.events.schema import PersonUpserted
from kiosk.hub import person_search, projections
from kiosk.hub.db import HubDatabase, open_hub_database

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
NAMES = ["张三", "赵四", "欧阳娜娜", "单田芳", "曾国藩", "乐嘉", "王秀英", "张伟", "李四",
         "长孙无忌", "Zhang Wei", "阿卜杜拉·买买提", "朴志勇"]  # fmt: skip


def reference(name: str, query: str) -> bool:
    """The rule as the console first wrote it, in Python over the whole roster (a Latin name
    now matches in any letter case)."""
    if query.lower() in name.lower():
        return True
    q = normalize_query(query)
    return bool(q) and q.isascii() and any(k.startswith(q) for k in search_keys(name))


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubDatabase]:
    path: Path = tmp_path_factory.mktemp("search") / "hub.sqlite3"
    hub = open_hub_database(f"sqlite:///{path}")
    with hub.write() as s:
        for i, name in enumerate(NAMES):
            info = PersonUpserted(
                person_id=f"p{i}", name=name, trade="环卫", active=True, updated_at=T0
            )
            projections.upsert_person(s, info, None, T0)
    yield hub
    hub.close()


def found(db: HubDatabase, query: str) -> set[str]:
    with db.read() as s:
        total, people = person_search.search(s, query, None, 0, 1000)
    assert total == len(people)
    return {p.name for p in people}


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("zs", {"张三", "赵四", "长孙无忌"}),  # 长 reads zhang too
        ("ZS", {"张三", "赵四", "长孙无忌"}),
        ("zhang", {"张三", "张伟", "Zhang Wei", "长孙无忌"}),
        ("zhang wei", {"张伟", "Zhang Wei"}),
        ("shan", {"单田芳"}),  # every reading of 单
        ("zeng", {"曾国藩"}),
        ("oyn", {"欧阳娜娜"}),
        ("z", {"张三", "赵四", "曾国藩", "张伟", "长孙无忌", "Zhang Wei"}),
        ("四", {"赵四", "李四"}),
        ("%", set()),
        ("_", set()),
        ("zzzz", set()),
    ],
)
def test_known_queries(db: HubDatabase, query: str, names: set[str]) -> None:
    assert found(db, query) == names == {n for n in NAMES if reference(n, query)}


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzZ 张四欧阳单%_", min_size=1, max_size=6))
def test_sql_search_equals_the_rule(db: HubDatabase, query: str) -> None:
    assert found(db, query) == {n for n in NAMES if reference(n, query)}


def test_a_rename_replaces_the_keys(tmp_path: Path) -> None:
    hub = open_hub_database(f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    with hub.write() as s:
        info = PersonUpserted(person_id="p1", name="张三", trade="环卫", active=True, updated_at=T0)
        projections.upsert_person(s, info, None, T0)
        later = info.model_copy(update={"name": "李四", "updated_at": T0 + timedelta(hours=1)})
        projections.upsert_person(s, later, None, T0)
    assert found(hub, "zs") == set() and found(hub, "ls") == {"李四"}
    hub.close()


def test_a_page_and_the_total(db: HubDatabase) -> None:
    with db.read() as s:
        total, first = person_search.search(s, "z", None, 0, 3)
        _, rest = person_search.search(s, "z", None, 3, 10)
    assert total == 6 and len(first) == 3 and len(rest) == 3
    assert not {p.id for p in first} & {p.id for p in rest}
