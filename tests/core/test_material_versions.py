"""Versioned study packages (issue 11, step 7): each version in a folder of its own, held while
a reader has it open, removed when nobody holds it; leftovers go at start; a station's
packages in the earlier layout (``materials/<id>/`` holding the package) keep working.

Real parts: a station database, packages installed through ``StudyService`` (what the CLI
and sync call), real files read back, a second process holding a version open.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from kiosk.core.station import StationService
from kiosk.core.study.package import PackageError
from kiosk.core.study.service import StudyService
from kiosk.core.study.store import MaterialStore
from kiosk.paths import StationPaths
from kiosk.resources import resource
from kiosk.store.models import StudyMaterial

PKG = "test-pack"


def build(root: Path, version: int, colour: str, pkg_id: str = PKG) -> Path:
    """The starter ``road-safety`` as ``pkg_id``, its body showing a one-colour picture."""
    shutil.copytree(resource("materials", "road-safety"), root)
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    manifest.update(id=pkg_id, version=version, title=f"第{version}版")
    (root / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    Image.new("RGB", (60, 40), colour).save(root / "pic.png")
    body = (root / "body.md").read_text(encoding="utf-8")
    (root / "body.md").write_text(f"第{version}版\n\n![图](pic.png)\n\n{body}", encoding="utf-8")
    return root


def colour_of(png: Path) -> tuple[int, int, int]:
    with Image.open(png) as im:
        return im.convert("RGB").getpixel((5, 5))


@pytest.fixture
def study(station: StationService) -> StudyService:
    return StudyService(station)


def home(study: StudyService, pkg_id: str = PKG) -> Path:
    return study.data_dir / "materials" / pkg_id


def folders(study: StudyService, pkg_id: str = PKG) -> list[str]:
    """Everything in the material's folder, version folders and their side files."""
    return (
        sorted(p.name for p in home(study, pkg_id).iterdir())
        if home(study, pkg_id).exists()
        else []
    )


def current(study: StudyService, pkg_id: str = PKG) -> Path:
    [folder] = [m.folder for m in study.materials() if m.id == pkg_id]
    return folder


def test_an_open_version_is_read_while_a_new_one_installs_and_goes_when_it_closes(
    study: StudyService, tmp_path: Path
) -> None:
    study.install_package(build(tmp_path / "v1", 1, "red"))
    v1 = current(study)
    opened = study.store.open(PKG, v1)
    assert opened is not None and opened.folder == v1

    assert study.install_package(build(tmp_path / "v2", 2, "blue")).action == "upgraded"
    v2 = current(study)
    assert v2 != v1 and v2.parent == v1.parent and colour_of(v2 / "pic.png") == (0, 0, 255)
    # The reader's version is untouched: its text and its picture, read from its folder now.
    assert opened.content.manifest.version == 1
    assert (opened.folder / "body.md").read_text(encoding="utf-8").startswith("第1版")
    assert colour_of(opened.folder / "pic.png") == (255, 0, 0)
    assert (v1.parent / f"{v1.name}.retired").exists()
    # A reader opening now gets version 2, even if its list still named version 1's folder.
    second = study.store.open(PKG, v1)
    assert second is not None and second.folder == v2
    second.close()
    assert v2.is_dir()  # current: stays after its reader closes

    opened.close()
    assert not v1.exists()
    assert folders(study) == [v2.name, f"{v2.name}.lock"]
    opened.close()  # closing twice is harmless
    assert v2.is_dir()


def test_a_withdrawn_version_stays_for_its_reader_then_goes_with_its_folder(
    study: StudyService, tmp_path: Path
) -> None:
    study.install_package(build(tmp_path / "v1", 1, "red"))
    opened = study.store.open(PKG, current(study))
    assert opened is not None
    assert study.remove(PKG) == 1
    assert study.materials() == [] and opened.folder.is_dir()
    assert study.store.open(PKG, opened.folder) is None  # withdrawn: nobody else opens it
    opened.close()
    assert not home(study).exists()


def test_a_broken_package_never_replaces_a_good_one(study: StudyService, tmp_path: Path) -> None:
    study.install_package(build(tmp_path / "v1", 1, "red"))
    good = current(study)
    broken = build(tmp_path / "v2", 2, "blue")
    data = (broken / "pic.png").read_bytes()
    (broken / "pic.png").write_bytes(data[: len(data) // 2])  # truncated: does not decode
    with pytest.raises(PackageError, match=r"pic\.png"):
        study.install_package(broken)
    wrong_id = build(tmp_path / "other", 3, "blue", pkg_id="other-pack")
    with pytest.raises(PackageError, match="as announced"):
        study.install_package(wrong_id, "sync", expect=(PKG, 3))
    assert current(study) == good and [m.version for m in study.materials()] == [1]
    assert colour_of(good / "pic.png") == (255, 0, 0)
    assert folders(study) == [good.name]
    assert [p.name for p in good.parent.parent.iterdir()] == [PKG]  # no staging left


def test_leftovers_of_a_crash_are_removed_at_start(
    study: StudyService, station_dir: Path, clock, tmp_path: Path
) -> None:
    study.install_package(build(tmp_path / "v1", 1, "red"))
    good = current(study)
    root = good.parent.parent
    # A power loss between an install's move into place and its catalogue commit …
    shutil.copytree(build(tmp_path / "v2", 2, "blue"), good.parent / "2-0badc0de")
    # … one during an unpack, one during a delete, a reader's lock file, a retired version,
    # and a material whose catalogue row is gone.
    (root / ".staging-0123abcd" / "images").mkdir(parents=True)
    (root / ".trash-4567abcd").mkdir()
    (good.parent / "1-0ldf0lde.lock").touch()
    shutil.copytree(good, good.parent / "0-01d01d01")
    (good.parent / "0-01d01d01.retired").touch()
    shutil.copytree(good, root / "gone-pack" / "1-aaaabbbb")

    restarted = StationService(StationPaths(station_dir), clock)  # the next start
    try:
        again = StudyService(restarted)
        again.tidy()
        assert sorted(p.name for p in root.iterdir()) == [PKG]
        assert folders(again) == [good.name]
        assert [m.folder for m in again.materials()] == [good]
        assert colour_of(good / "pic.png") == (255, 0, 0)
    finally:
        restarted.close()


def _to_earlier_layout(study: StudyService, pkg_id: str) -> Path:
    """What today's stations hold: ``materials/<id>/`` is the package, the row names it."""
    folder = current(study, pkg_id)
    flat = folder.parent.parent / f"flat-{pkg_id}"
    folder.rename(flat)
    folder.parent.rmdir()
    flat.rename(folder.parent)
    with study.station.db.write() as s:
        row = s.get(StudyMaterial, pkg_id)
        row.path = f"materials/{pkg_id}"
    return folder.parent


def test_a_station_keeps_its_materials_from_the_earlier_layout(
    study: StudyService, station_dir: Path, clock, tmp_path: Path
) -> None:
    study.install_package(build(tmp_path / "a", 1, "red"))
    study.install_package(build(tmp_path / "b", 4, "blue", pkg_id="second-pack"))
    study.install_package(build(tmp_path / "c", 2, "green", pkg_id="third-pack"))
    flat = _to_earlier_layout(study, PKG)
    _to_earlier_layout(study, "second-pack")
    third = _to_earlier_layout(study, "third-pack")
    root = flat.parent
    # The earlier layout's interrupted swap: the folder set aside, the new one never moved in.
    third.rename(root / ".old-third-pack-1234abcd")
    # And a move into the new layout that a power loss cut short (the row still names it).
    (root / "second-pack").rename(root / ".legacy-second-pack")
    assert (flat / "manifest.json").is_file() and (flat / "pic.png").is_file()

    restarted = StationService(StationPaths(station_dir), clock)  # the upgraded station starts
    try:
        again = StudyService(restarted)
        views = {m.id: m for m in again.materials()}  # the first use tidies
        assert {k: v.version for k, v in views.items()} == {
            PKG: 1,
            "second-pack": 4,
            "third-pack": 2,
        }
        assert sorted(p.name for p in root.iterdir()) == ["second-pack", PKG, "third-pack"]
        for m in views.values():
            assert m.folder.parent == root / m.id and m.folder.name == f"{m.version}-legacy"
            assert m.cover is not None and m.cover.is_file()
        assert colour_of(views[PKG].folder / "pic.png") == (255, 0, 0)
        assert colour_of(views["third-pack"].folder / "pic.png") == (0, 128, 0)
        with restarted.db.read() as s:
            paths = sorted(s.scalars(select(StudyMaterial.path)))
        assert paths == [
            "materials/second-pack/4-legacy",
            "materials/test-pack/1-legacy",
            "materials/third-pack/2-legacy",
        ]
        # A reader opens it; an upgrade gets a folder of its own and the old one goes.
        opened = again.store.open(PKG, views[PKG].folder)
        assert opened is not None and opened.content.manifest.version == 1
        opened.close()
        assert again.install_package(build(tmp_path / "a2", 2, "blue")).action == "upgraded"
        assert [p.name[:2] for p in (root / PKG).iterdir()] == ["2-"]
        before = sorted(str(p.relative_to(root)) for p in root.rglob("*"))
        StudyService(restarted).tidy()  # a second start changes nothing
        assert sorted(str(p.relative_to(root)) for p in root.rglob("*")) == before
    finally:
        restarted.close()


HOLDER = """
import sys
from pathlib import Path
from kiosk.core.study.store import MaterialStore
opened = MaterialStore(Path(sys.argv[1])).open(sys.argv[2], Path(sys.argv[3]))
print("held" if opened else "none", flush=True)
sys.stdin.readline()
opened.close()
print("closed", flush=True)
"""


def test_a_reader_in_another_process_keeps_its_version_until_it_closes(
    study: StudyService, tmp_path: Path
) -> None:
    """E.g. ``kiosk materials import`` run while the touchscreen shows the old version."""
    study.install_package(build(tmp_path / "v1", 1, "red"))
    v1 = current(study)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(study.store.root), PKG, str(v1)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        study.install_package(build(tmp_path / "v2", 2, "blue"))
        assert v1.is_dir() and colour_of(v1 / "pic.png") == (255, 0, 0)  # not ours to delete
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "closed"
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
    assert not v1.exists()  # the other process deleted it when its reader closed
    assert folders(study) == [current(study).name]
    assert MaterialStore(study.store.root).versions(PKG) == [current(study)]
