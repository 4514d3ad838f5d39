"""Pull: a station learns other stations' keys and then verifies their badges offline."""

from __future__ import annotations

from kiosk.core.results import Greeting, Outcome
from kiosk.core.trades import Trade
from kiosk.hub.models import HubMeta
from kiosk.store.models import KeyringEntry
from kiosk.sync.client import SyncClient
from tests.hub.harness import HubServer
from tests.sync.conftest import MakeStation


def test_station_b_learns_station_a_key_and_verifies_its_badges(
    hub: HubServer, make_station: MakeStation
):
    b = make_station("西站", hub)  # enrolled first: A's key is not in its enrolment keyring
    a = make_station("东站", hub)
    zhang = a.add_person(name="张三", trade=Trade.SANITATION)
    li = a.add_person(name="李四", trade=Trade.MUNICIPAL)
    zhang_badge, li_badge = a.issue_badge(zhang.id).token, a.issue_badge(li.id).token
    assert a.info().key_id not in b.keyring()

    before = b.scan(zhang_badge)
    assert before.outcome is Outcome.CHECKED_IN and before.greeting is Greeting.UNVERIFIED

    client = SyncClient(b)
    report = client.pull_once()
    assert report.keys_changed == 1 and report.pages == 1
    assert a.info().key_id in b.keyring()
    with b.db.read() as s:
        entry = s.get(KeyringEntry, a.info().key_id)
        assert entry is not None and entry.source == "sync" and entry.station_name == "东站"

    after = b.scan(li_badge)  # verified now; the person is not in B's roster yet
    assert after.outcome is Outcome.CHECKED_IN and after.greeting is Greeting.UNKNOWN_PERSON
    assert b.is_signed_badge(li_badge)

    again = client.pull_once()  # the cursor moved past it: nothing new
    assert again.keys_changed == 0
    assert client.status().cursor
    client.close()


def test_enrolment_returns_the_keyring_of_earlier_stations(
    hub: HubServer, make_station: MakeStation
):
    a = make_station("东站", hub)
    b = make_station("西站", hub)
    assert a.info().key_id in b.keyring()


def test_cursor_no_longer_served_means_a_full_resync(hub: HubServer, make_station: MakeStation):
    b = make_station("西站", hub)
    a = make_station("东站", hub)
    client = SyncClient(b)
    client.pull_once()
    old_cursor = client.status().cursor
    with hub.db.write() as s:  # the hub's feed restarted (e.g. restored from a backup)
        s.get(HubMeta, "epoch").value = "restored"
    report = client.pull_once()
    assert report.resynced
    assert client.status().cursor != old_cursor
    assert client.status().cursor.startswith("restored.")
    assert a.info().key_id in b.keyring()
    client.close()
