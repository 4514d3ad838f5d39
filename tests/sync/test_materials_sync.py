"""Study packages through sync: the hub publishes, stations download, verify and install.

A real hub on 127.0.0.1, stations on real SQLite files; downloads go over real HTTP (with
real Range requests when resuming), through a proxy where a test needs to see or cut them.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from kiosk.app import main as kiosk_main
from kiosk.core.station import StationService
from kiosk.core.study.package import load_content
from kiosk.core.study.records import SessionRecord
from kiosk.core.study.service import StudyService
from kiosk.core.trades import Trade
from kiosk.hub import materials
from kiosk.hub.materials import MaterialError
from kiosk.hub.models import HubChange, HubMaterial, HubMaterialChunk, HubMeta
from kiosk.store.models import MaterialDownload, OutboxEvent
from kiosk.sync.client import SyncClient, SyncReport
from kiosk.sync.downloads import MAX_ATTEMPTS
from tests.hub.harness import HubServer
from tests.image_bombs import write_png_bomb
from tests.sync.conftest import MakeStation
from tests.sync.helpers import hub_count
from tests.sync.material_helpers import CuttingProxy, make_package, publish, withdraw


@pytest.fixture
def cutter(hub: HubServer) -> Iterator[CuttingProxy]:
    p = CuttingProxy(hub.port)
    yield p
    p.close()


def sync(station: StationService, url: str | None = None, **options: float) -> SyncReport:
    client = SyncClient(station, url, **options)
    try:
        return client.sync_once()
    finally:
        client.close()


def installed(station: StationService) -> dict[str, tuple[int, str, str]]:
    """id → (version, title, source) of every installed package."""
    return {m.id: (m.version, m.title, m.source) for m in StudyService(station).materials()}


def download_row(station: StationService, material_id: str) -> MaterialDownload:
    with station.db.read() as s:
        row = s.get(MaterialDownload, material_id)
        assert row is not None
        s.expunge(row)
        return row


def part_files(station: StationService) -> list[Path]:
    return sorted((station.paths.data_dir / "downloads").glob("*.part"))


def outbox_types(station: StationService) -> list[str]:
    with station.db.read() as s:
        return list(s.scalars(select(OutboxEvent.type).order_by(OutboxEvent.seq)))


def test_a_published_package_is_downloaded_installed_and_usable(
    hub: HubServer, make_station: MakeStation, tmp_path: Path
):
    a = make_station("东站", hub)
    published = publish(hub, make_package(tmp_path / "p", "night-work"))
    assert published.action == "published" and published.material.size > 0

    report = sync(a)
    assert report.pull.materials_changed == 1
    assert (report.downloads.installed, report.downloads.failed) == (1, 0)
    assert report.downloads.bytes_fetched == published.material.size
    assert installed(a)["night-work"] == (1, "道路作业安全", "sync")
    assert part_files(a) == []
    row = download_row(a, "night-work")
    assert (row.state, row.sha256, row.attempts) == ("installed", published.material.sha256, 0)

    # Usable like any package: read, studied, quizzed (records go to the outbox).
    study = StudyService(a)
    [view] = [m for m in study.materials() if m.id == "night-work"]
    content = load_content(view.folder)
    assert content.quiz is not None and content.body.strip()
    now = a.clock.now()
    study.record_session(SessionRecord("night-work", 1, None, now, now, 3, 3, True))
    chosen = {q.id: list(q.answer) for q in content.quiz.questions}
    assert study.submit_quiz(None, "night-work", 1, content.quiz, chosen).passed
    # The install is the station's own fact (material.installed); nothing pulled is echoed.
    types = outbox_types(a)
    assert types.count("material.installed") == 1
    assert types[-2:] == ["study.session_recorded", "quiz.attempted"]

    again = sync(a)
    assert again.pull.materials_changed == 0 and again.downloads.bytes_fetched == 0


def test_a_newer_version_replaces_it_and_an_older_one_is_refused_by_the_hub(
    hub: HubServer, make_station: MakeStation, tmp_path: Path
):
    a = make_station("东站", hub)
    publish(hub, make_package(tmp_path / "v1", "night-work"))
    sync(a)
    first_folder = next(m.folder for m in StudyService(a).materials() if m.id == "night-work")

    v2 = publish(hub, make_package(tmp_path / "v2", "night-work", 2, title="夜间作业安全"))
    assert (v2.action, v2.previous_version) == ("upgraded", 1)
    with pytest.raises(MaterialError, match="older"):
        publish(hub, make_package(tmp_path / "v1b", "night-work", 1))
    assert publish(hub, tmp_path / "v2").action == "unchanged"  # the same again: no new change

    report = sync(a)
    assert report.downloads.installed == 1
    assert installed(a)["night-work"] == (2, "夜间作业安全", "sync")
    # Version 2 in a folder of its own; version 1's went, as no reader held it open.
    folder = next(m.folder for m in StudyService(a).materials() if m.id == "night-work")
    assert folder != first_folder and folder.parent == first_folder.parent
    assert load_content(folder).manifest.version == 2 and not first_folder.exists()
    with hub.db.read() as s:  # the hub keeps only the newest zip
        shas = set(s.scalars(select(HubMaterialChunk.sha256)))
    assert shas == {v2.material.sha256}


def test_withdraw_removes_a_synced_package_but_never_a_locally_imported_one(
    hub: HubServer, make_station: MakeStation, tmp_path: Path
):
    a = make_station("东站", hub)
    synced = make_package(tmp_path / "synced", "night-work")
    local = make_package(tmp_path / "local", "river-safety", title="河边作业")
    StudyService(a).install_package(local)  # from a USB stick, before the hub sends it
    publish(hub, synced)
    publish(hub, local)

    report = sync(a)
    # The same content is installed already: recorded as done, not downloaded again.
    assert report.downloads.installed == 1
    assert installed(a)["river-safety"][2] == "import"
    assert download_row(a, "river-safety").state == "installed"
    folder = next(m.folder for m in StudyService(a).materials() if m.id == "night-work")

    withdraw(hub, "night-work")
    withdraw(hub, "river-safety")
    report = sync(a)
    assert report.pull.materials_changed == 2 and report.downloads.removed == 1
    assert "night-work" not in installed(a) and not folder.exists()
    assert installed(a)["river-safety"] == (1, "河边作业", "import")
    assert download_row(a, "night-work").state == "removed"
    assert outbox_types(a)[-1] == "material.removed"  # the station's own fact, for the hub


def test_an_interrupted_download_resumes_with_a_range_request(
    hub: HubServer, make_station: MakeStation, cutter: CuttingProxy, tmp_path: Path
):
    a = make_station("东站", hub, url=cutter.url)
    big = publish(hub, make_package(tmp_path / "p", "night-work", noise_bytes=300_000))
    size = big.material.size
    assert size > 300_000

    cutter.cut_after = 100_000
    report = sync(a)
    assert (report.downloads.installed, report.downloads.pending) == (0, 1)
    [part] = part_files(a)
    assert part.name == f"{big.material.sha256}.part" and part.stat().st_size == 100_000
    row = download_row(a, "night-work")
    assert (row.state, row.bytes_done, row.attempts) == ("wanted", 100_000, 0)
    assert row.last_error and "cut off" in row.last_error
    assert "night-work" not in installed(a)

    report = sync(a)
    assert report.downloads.installed == 1
    assert report.downloads.bytes_fetched == size - 100_000
    first, second = cutter.downloads()
    assert first.range is None and first.body_bytes == 100_000
    assert second.range == "bytes=100000-" and second.body_bytes == size - 100_000
    assert installed(a)["night-work"][0] == 1 and part_files(a) == []


def test_a_round_over_its_time_budget_pauses_and_the_next_one_goes_on(
    hub: HubServer, make_station: MakeStation, cutter: CuttingProxy, tmp_path: Path
):
    a = make_station("东站", hub, url=cutter.url)
    big = publish(hub, make_package(tmp_path / "p", "night-work", noise_bytes=400_000))
    part = a.paths.data_dir / "downloads" / f"{big.material.sha256}.part"
    progress = [0]
    while "night-work" not in installed(a):
        assert len(progress) < 100
        sync(a, download_budget_seconds=0)  # each round: one read from the socket, then stop
        asked = cutter.downloads()[-1].range
        assert asked == (None if progress[-1] == 0 else f"bytes={progress[-1]}-")
        progress.append(part.stat().st_size if part.exists() else big.material.size)
    assert len(progress) > 2  # it took several rounds, each going on from the last
    assert progress == sorted(progress) and progress[-1] == big.material.size
    assert download_row(a, "night-work").bytes_done == big.material.size


def _corrupt(hub: HubServer, material_id: str) -> None:
    """Flip one byte of a stored zip, leaving its announced sha256 and size alone."""
    with hub.db.write() as s:
        chunk = s.scalars(
            select(HubMaterialChunk).where(HubMaterialChunk.material_id == material_id)
        ).first()
        data = bytearray(chunk.data)
        data[200] ^= 0xFF
        chunk.data = bytes(data)


def test_a_corrupted_download_is_refused_retried_then_given_up_until_a_new_version(
    hub: HubServer, make_station: MakeStation, tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    a = make_station("东站", hub)
    publish(hub, make_package(tmp_path / "v1", "night-work"))
    _corrupt(hub, "night-work")

    for attempt in range(1, MAX_ATTEMPTS + 1):
        report = sync(a)
        assert report.downloads.installed == 0
        row = download_row(a, "night-work")
        assert row.attempts == attempt and "sha256 mismatch" in (row.last_error or "")
        assert row.state == ("failed" if attempt == MAX_ATTEMPTS else "wanted")
        assert part_files(a) == [] and "night-work" not in installed(a)
    assert "attempt 3 of 3 failed: sha256 mismatch" in caplog.text

    report = sync(a)  # given up: nothing is fetched until the hub announces something new
    assert report.downloads.bytes_fetched == 0 and download_row(a, "night-work").attempts == 3

    publish(hub, make_package(tmp_path / "v2", "night-work", 2))
    report = sync(a)
    assert report.downloads.installed == 1 and installed(a)["night-work"][0] == 2


def _publish_raw(hub: HubServer, material_id: str, version: int, data: bytes) -> None:
    """Publish bytes the hub's validation never saw (a hub bug, or a hand-edited DB)."""
    with hub.db.write() as s:
        materials.publish_bytes(
            s,
            data,
            material_id=material_id,
            version=version,
            title="坏包",
            category="安全",
            content_sha256="0" * 64,
            now=datetime.now(UTC),
        )


def _zip_with_manifest(folder: Path, out: Path, **changes: object) -> bytes:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest.update(changes)
    with zipfile.ZipFile(out, "w") as zf:
        for path in sorted(folder.iterdir()):
            if path.name != "manifest.json":
                zf.write(path, path.name)
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))
    return out.read_bytes()


def test_a_broken_package_is_recorded_as_failed_and_the_kiosk_keeps_working(
    hub: HubServer,
    make_station: MakeStation,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
):
    a = make_station("东站", hub)
    good = make_package(tmp_path / "v1", "night-work")
    publish(hub, good)
    sync(a)
    assert installed(a)["night-work"][0] == 1

    _publish_raw(
        hub, "night-work", 2, _zip_with_manifest(good, tmp_path / "b.zip", version=2, colour="red")
    )
    _publish_raw(hub, "other-work", 1, _zip_with_manifest(good, tmp_path / "c.zip", id="x-pack"))
    report = sync(a)
    assert (report.downloads.installed, report.downloads.failed) == (0, 2)
    broken, wrong_id = download_row(a, "night-work"), download_row(a, "other-work")
    assert broken.state == "failed" and "manifest.json" in (broken.last_error or "")
    assert "colour" in (broken.last_error or "")
    assert wrong_id.state == "failed" and "not other-work v1" in (wrong_id.last_error or "")
    # The installed older version is untouched and still readable; no leftovers.
    assert installed(a) == {"night-work": (1, "道路作业安全", "sync")}
    folder = StudyService(a).materials()[0].folder
    assert load_content(folder).manifest.version == 1
    assert part_files(a) == []
    assert not [p for p in (a.paths.data_dir / "materials").iterdir() if p.name.startswith(".")]

    a.trade_visit(Trade.SANITATION)  # the kiosk goes on working and syncing
    report = sync(a)
    assert report.push.accepted >= 1 and report.downloads.bytes_fetched == 0

    # kiosk sync-status lists it with the importer's message.
    a.close()
    capsys.readouterr()
    assert kiosk_main(["--data-dir", str(a.paths.data_dir), "--json", "sync-status"]) == 0
    [status] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert status["downloads_failed"] == 2 and status["downloads_pending"] == 0
    failed = {d["material_id"]: d["last_error"] for d in status["downloads"]}
    assert "colour" in failed["night-work"]


def test_an_image_bomb_from_the_hub_is_refused_in_one_line_and_nothing_installed(
    hub: HubServer,
    make_station: MakeStation,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
):
    """Issue 17: a package the hub never checked, holding a 20,000 × 20,000 PNG."""
    a = make_station("东站", hub)
    folder = make_package(tmp_path / "bomb", "bomb-pack")
    write_png_bomb(folder / "cover.png")
    _publish_raw(hub, "bomb-pack", 1, _zip_with_manifest(folder, tmp_path / "bomb.zip"))
    caplog.clear()
    report = sync(a)
    assert (report.downloads.installed, report.downloads.failed) == (0, 1)
    row = download_row(a, "bomb-pack")
    assert row.state == "failed"
    assert (row.last_error or "").startswith("cover.png: bad image: too large: 400,000,000 pixels")
    refusals = [
        r for r in caplog.records if r.name.startswith("kiosk.") and "bomb" in r.getMessage()
    ]
    assert [r.levelname for r in refusals] == ["ERROR"]
    assert "\n" not in refusals[0].getMessage() and refusals[0].exc_info is None
    assert "bomb-pack" not in installed(a) and part_files(a) == []
    assert not [p for p in (a.paths.data_dir / "materials").iterdir() if p.name.startswith(".")]
    assert sync(a).downloads.bytes_fetched == 0  # given up: not fetched again


def test_events_go_up_before_any_download(
    hub: HubServer, make_station: MakeStation, cutter: CuttingProxy, tmp_path: Path
):
    a = make_station("东站", hub, url=cutter.url)
    sync(a)
    publish(hub, make_package(tmp_path / "p", "night-work"))
    for _ in range(3):
        a.trade_visit(Trade.SANITATION)
    stored_before_download: list[int] = []
    cutter.on_download = lambda: stored_before_download.append(hub_count(hub))
    cutter.seen.clear()
    before = hub_count(hub)

    report = sync(a)
    assert report.push.accepted == 3 and report.downloads.installed == 1
    assert stored_before_download == [before + 3]
    assert [(s.method, s.path.split("?")[0]) for s in cutter.seen][:2] == [
        ("POST", "/v1/events"),
        ("GET", "/v1/changes"),
    ]
    assert cutter.seen[-1].path.startswith("/v1/materials/night-work/")


def test_a_full_resync_neither_downloads_again_nor_keeps_what_the_hub_lost(
    hub: HubServer, make_station: MakeStation, tmp_path: Path
):
    a = make_station("东站", hub)
    publish(hub, make_package(tmp_path / "p1", "night-work"))
    publish(hub, make_package(tmp_path / "p2", "river-safety"))
    assert sync(a).downloads.installed == 2

    with hub.db.write() as s:  # a hub restored from a backup made before river-safety
        for change in list(s.scalars(select(HubChange).where(HubChange.kind == "material"))):
            if change.data["id"] == "river-safety":
                s.delete(change)
        s.execute(delete(HubMaterialChunk).where(HubMaterialChunk.material_id == "river-safety"))
        s.execute(delete(HubMaterial).where(HubMaterial.id == "river-safety"))
        s.get(HubMeta, "epoch").value = "restored"

    report = sync(a)
    assert report.pull.resynced and report.pull.removed_materials == 1
    assert report.downloads.bytes_fetched == 0 and report.downloads.removed == 1
    assert set(installed(a)) == {"night-work"}
    assert download_row(a, "night-work").state == "installed"


def test_a_newer_local_version_is_kept_and_the_older_announcement_fails(
    hub: HubServer, make_station: MakeStation, tmp_path: Path
):
    a = make_station("东站", hub)
    StudyService(a).install_package(make_package(tmp_path / "v3", "night-work", 3))
    publish(hub, make_package(tmp_path / "v1", "night-work"))
    report = sync(a)
    assert report.downloads.failed == 1 and report.downloads.bytes_fetched == 0
    row = download_row(a, "night-work")
    assert row.state == "failed" and "version 3 is installed" in (row.last_error or "")
    assert installed(a)["night-work"][0] == 3

    # A stray partial file of an announcement that is gone is swept.
    stray = a.paths.data_dir / "downloads" / f"{'ab' * 32}.part"
    stray.write_bytes(b"x")
    sync(a)
    assert not stray.exists()
