"""Pull of the roster, badges, revocations and announcements between two real stations.

Station A and station B on real SQLite files, one real hub on 127.0.0.1. What a station
learns through pull never enters its own outbox (it would echo back to the hub).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select

from kiosk.core.clock import ManualClock
from kiosk.core.results import Greeting, Outcome
from kiosk.core.station import StationService
from kiosk.core.trades import Trade
from kiosk.hub import feed, projections
from kiosk.hub.models import HubChange, HubMeta, HubPerson
from kiosk.store.models import Badge, KeyringEntry, OutboxEvent, Person, SyncResyncSeen
from kiosk.sync.client import SyncClient
from kiosk.sync.transport import HubUnavailable
from tests.hub.harness import FlakyProxy, HubServer
from tests.sync.conftest import MakeStation


def outbox_size(station: StationService) -> int:
    with station.db.read() as s:
        return s.scalar(select(func.count()).select_from(OutboxEvent)) or 0


def sync(station: StationService, url: str | None = None) -> SyncClient:
    client = SyncClient(station, url)
    client.sync_once()
    return client


def test_badge_and_person_from_a_greet_at_b_then_a_revocation_is_refused(
    hub: HubServer, make_station: MakeStation
):
    a = make_station("东站", hub)
    b = make_station("西站", hub)
    zhang = a.add_person(name="张三", trade=Trade.SANITATION, team="一队", phone="13800000000")
    token = a.issue_badge(zhang.id).token
    SyncClient(a).sync_once()

    before = outbox_size(b)
    client_b = SyncClient(b)
    report = client_b.pull_once()
    assert report.people_changed == 1 and report.badges_changed == 1  # key: at enrolment
    assert outbox_size(b) == before  # pulled data is not echoed back
    [found] = b.find_people("zs")
    assert (found.id, found.name, found.team) == (zhang.id, "张三", "一队")

    greeted = b.scan(token)
    assert greeted.outcome is Outcome.CHECKED_IN and greeted.greeting is Greeting.PERSON
    assert greeted.person is not None and greeted.person.name == "张三"
    b.scan(token)  # …and checks out again later; the rest of the test uses a fresh scan

    assert a.revoke_badges(zhang.id) == 1
    SyncClient(a).sync_once()
    report = client_b.sync_once().pull
    assert report.badges_changed == 1
    refused = b.scan(token)
    assert refused.outcome is Outcome.REFUSED and refused.reason == "revoked"
    with b.db.read() as s:
        [badge] = s.scalars(select(Badge).where(Badge.person_id == zhang.id))
        assert badge.revoked_at is not None and badge.key_id == a.info().key_id
    client_b.close()


def test_newest_person_record_wins_and_local_edits_are_kept(
    hub: HubServer, make_station: MakeStation
):
    a = make_station("东站", hub)
    b = make_station("西站", hub)
    li = a.add_person(name="李四", trade=Trade.MUNICIPAL)
    sync(a).close()
    client_b = sync(b)
    assert [p.name for p in b.people()] == ["李四"]

    a.set_person_active(li.id, False)  # A deactivates; B hears of it
    sync(a).close()
    client_b.sync_once()
    assert b.people() == [] and len(b.people(include_inactive=True)) == 1

    b.set_person_active(li.id, True)  # B's own edit is newer than anything the hub has
    client_b.sync_once()
    assert [p.name for p in b.people()] == ["李四"]
    a_client = sync(a)  # and it reaches A
    assert [p.name for p in a.people()] == ["李四"]
    a_client.close()
    client_b.close()


def test_announcements_arrive_expire_and_can_be_withdrawn(
    hub: HubServer, make_station: MakeStation
):
    b = make_station("西站", hub)
    now = datetime.now(UTC)
    with hub.db.write() as s:
        projections.announce(s, "a-1", "本周六驿站消毒，暂停开放", None, now)
        projections.announce(s, "a-2", "旧通知", date.today() - timedelta(days=2), now)
        projections.announce(s, "a-3", "冬季送温暖", date.today() + timedelta(days=7), now)
    client = sync(b)
    assert {a.id for a in b.announcements()} == {"a-1", "a-3"}  # a-2 is past its day

    with hub.db.write() as s:
        projections.withdraw(s, "a-1", datetime.now(UTC))
    report = client.pull_once()
    assert report.announcements_changed == 1
    assert [a.text for a in b.announcements()] == ["冬季送温暖"]
    client.close()


def _drop_from_hub(hub: HubServer, person_id: str, key_id: str, announcement_id: str) -> None:
    """What a hub restored from an older backup looks like: some things are simply gone."""
    with hub.db.write() as s:
        for change in list(s.scalars(select(HubChange))):
            data = change.data
            if (
                data.get("person_id") == person_id
                or data.get("key_id") == key_id
                or data.get("id") == announcement_id
            ):
                s.delete(change)
        s.execute(delete(HubPerson).where(HubPerson.id == person_id))
        s.get(HubMeta, "epoch").value = "restored"


def test_expired_cursor_resync_removes_what_the_hub_no_longer_has(
    hub: HubServer, make_station: MakeStation
):
    a = make_station("东站", hub)
    c = make_station("南站", hub)
    b = make_station("西站", hub)
    kept = a.add_person(name="王五", trade=Trade.GREENING)
    dropped = a.add_person(name="赵六", trade=Trade.GREENING)
    a.issue_badge(dropped.id)
    # B's own person: never removed by a resync
    own = b.add_person(name="孙七", trade=Trade.TRAFFIC_POLICE)
    sync(a).close()
    with hub.db.write() as s:
        projections.announce(s, "gone", "会被撤回的通知", None, datetime.now(UTC))
        projections.announce(s, "stays", "留下的通知", None, datetime.now(UTC))
    client = sync(b)
    assert {p.name for p in b.people()} == {"王五", "赵六", "孙七"}
    assert c.info().key_id in b.keyring()
    outbox_before = outbox_size(b)

    _drop_from_hub(hub, dropped.id, c.info().key_id, "gone")
    report = client.pull_once()
    assert report.resynced
    assert (report.removed_people, report.removed_keys, report.removed_announcements) == (1, 1, 1)
    assert {p.id for p in b.people()} == {kept.id, own.id}
    assert c.info().key_id not in b.keyring() and a.info().key_id in b.keyring()
    assert b.info().key_id in b.keyring()
    assert [x.id for x in b.announcements()] == ["stays"]
    with b.db.read() as s:
        assert s.scalar(select(func.count()).select_from(SyncResyncSeen)) == 0
        assert s.scalar(select(func.count()).select_from(Badge)) == 0  # 赵六's went with him
        own_key = s.get(KeyringEntry, b.info().key_id)
        assert own_key is not None and own_key.source == "own"
    assert outbox_size(b) == outbox_before
    assert client.status().cursor.startswith("restored.")
    client.close()


def test_a_resync_cut_short_resumes_and_still_removes(
    hub: HubServer, proxy: FlakyProxy, make_station: MakeStation, monkeypatch: pytest.MonkeyPatch
):
    a = make_station("东站", hub)
    b = make_station("西站", hub, url=proxy.url)
    people = [a.add_person(name=f"工人{i}", trade=Trade.SANITATION) for i in range(6)]
    sync(a).close()
    client = SyncClient(b)
    client.pull_once()
    assert len(b.people()) == 6

    _drop_from_hub(hub, people[0].id, "-", "-")
    monkeypatch.setattr(feed, "PAGE_SIZE", 2)
    proxy.plan = ["pass", "pass", "pass", "500"]  # 410, page 1, page 2, then the hub fails
    with pytest.raises(HubUnavailable):
        client.pull_once()
    with b.db.read() as s:
        assert s.scalar(select(func.count()).select_from(SyncResyncSeen)) > 1
    assert len(b.people()) == 6  # nothing removed before the resync has seen everything

    report = client.pull_once()  # goes on from the last applied page
    assert not report.resynced and report.removed_people == 1
    assert {p.id for p in b.people()} == {p.id for p in people[1:]}
    client.close()


def test_a_revoked_station_key_makes_its_badges_refused(hub: HubServer, make_station: MakeStation):
    from kiosk.hub import stations

    a = make_station("东站", hub)
    b = make_station("西站", hub)
    wu = a.add_person(name="吴八", trade=Trade.DELIVERY)
    token = a.issue_badge(wu.id).token
    sync(a).close()
    client = sync(b)
    assert b.scan(token).greeting is Greeting.PERSON

    hub_a = SyncClient(a).status().hub_station_id
    with hub.db.write() as s:
        stations.revoke_station(s, hub_a, datetime.now(UTC), revoke_key=True)
    client.pull_once()
    refused = b.scan(token)
    assert refused.outcome is Outcome.REFUSED and refused.reason == "revoked"
    with b.db.read() as s:
        assert s.get(KeyringEntry, a.info().key_id).revoked_at is not None
        assert s.get(Person, wu.id) is not None
    client.close()


def test_a_visit_by_a_worker_the_station_did_not_know_yet_counts_in_his_trade(
    hub: HubServer, make_station: MakeStation
):
    from zoneinfo import ZoneInfo

    from kiosk.hub.stats import hub_stats, visit_rows

    a = make_station("东站", hub)
    b = make_station("西站", hub)  # knows A's key from enrolment, not A's roster
    zhang = a.add_person(name="张三", trade=Trade.SANITATION)
    token = a.issue_badge(zhang.id).token
    assert a.scan(token).outcome is Outcome.CHECKED_IN
    unknown = b.scan(token)
    assert unknown.outcome is Outcome.CHECKED_IN and unknown.greeting is not Greeting.PERSON
    for station in (a, b):
        sync(station).close()

    tz = ZoneInfo("Asia/Shanghai")
    with hub.db.read() as s:
        figures = hub_stats(s, None, None, tz)
        rows = list(visit_rows(s, date(2000, 1, 1), date(2100, 1, 1), tz))
    assert {trade: f.visits for trade, f in figures.by_trade.items()} == {"环卫": 2}
    assert [r["trade"] for r in rows] == ["环卫", "环卫"]


class SkewedClock:
    """A station clock that runs with ``base`` but ``skew`` apart (a wrong station clock)."""

    def __init__(self, base: ManualClock, skew: timedelta) -> None:
        self.base, self.skew = base, skew

    def now(self) -> datetime:
        return self.base.now() + self.skew


def test_a_card_made_offline_before_the_bureau_revoked_is_refused_once_it_arrives(
    tmp_path, make_station: MakeStation
):
    time = ManualClock(datetime.now(UTC))  # the hub's clock, and the true time
    hub = HubServer(f"sqlite:///{tmp_path / 'hub.sqlite3'}", clock=time.now).start()
    try:
        a = make_station("东站", hub, clock=time)
        b = make_station("西站", hub, clock=SkewedClock(time, timedelta(hours=-3)))
        zhang = a.add_person(name="张三", trade=Trade.SANITATION)
        first = a.issue_badge(zhang.id).token
        sync(a).close()
        sync(b).close()
        second = b.issue_badge(zhang.id).token  # B is offline now: the hub has not seen it

        time.advance(minutes=10)
        with hub.db.write() as s:  # the bureau: "he lost his cards"
            revoked = projections.revoke_person_badges(s, zhang.id, time.now())
        assert len(revoked) == 1  # the one it knows of

        time.advance(minutes=10)
        # A replacement made after the revocation; by B's own clock (3 h slow) it is still
        # hours "before" it: the hub goes by B's offset, not by B's clock.
        third = b.issue_badge(zhang.id).token
        for station in (b, a, b):
            sync(station).close()

        for station in (a, b):
            assert station.scan(first).reason == "revoked"
            assert station.scan(second).reason == "revoked"  # B issued it, and still hears it
            assert station.scan(third).outcome is Outcome.CHECKED_IN
    finally:
        hub.stop()
