"""Content packages: strict validation, atomic install, version rules (issue 5)."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.core.station import StationService
from kiosk.core.study.importer import starter_packages, validate_folder
from kiosk.core.study.package import Limits, PackageError
from kiosk.core.study.service import StudyService
from kiosk.core.study.store import MaterialStore
from kiosk.resources import resource
from kiosk.store.models import OutboxEvent, StudyMaterial

STARTER = resource("materials")


def make_package(root: Path, version: int = 1, pkg_id: str = "test-pack", **manifest) -> Path:
    shutil.copytree(STARTER / "road-safety", root)
    data = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    data.update(id=pkg_id, version=version, **manifest)
    (root / "manifest.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return root


def zip_folder(folder: Path, out: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(out, "w") as zf:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                zf.write(p, prefix + p.relative_to(folder).as_posix())
    return out


@pytest.fixture
def study(station: StationService) -> StudyService:
    return StudyService(station)


def materials_dir(study: StudyService) -> Path:
    return study.data_dir / "materials"


def leftovers(study: StudyService) -> list[str]:
    """Staging and trash folders, and version folders that are not current."""
    root = materials_dir(study)
    if not root.exists():
        return []
    current = {m.folder for m in study.materials()}
    stray = [p.name for p in root.iterdir() if p.name.startswith(".")]
    for home in (p for p in root.iterdir() if not p.name.startswith(".")):
        stray += [f"{home.name}/{p.name}" for p in home.iterdir() if p not in current]
    return sorted(stray)


def current_folder(study: StudyService, material_id: str = "test-pack") -> Path:
    [folder] = [m.folder for m in study.materials() if m.id == material_id]
    return folder


def test_every_starter_package_is_valid_small_and_has_a_quiz() -> None:
    folders = starter_packages(STARTER)
    assert len(folders) >= 8
    for folder in folders:
        package = validate_folder(folder)
        assert package.quiz is not None and 3 <= len(package.quiz.questions) <= 5
        assert package.size < 200 * 1024


def test_good_folder_and_zip_install(study: StudyService, tmp_path: Path) -> None:
    result = study.install_package(make_package(tmp_path / "p"))
    assert result.action == "installed"
    folder = current_folder(study)
    assert folder.parent == materials_dir(study) / "test-pack" and folder.name.startswith("1-")
    assert (folder / "body.md").exists() and (folder / "cover.png").exists()
    # the same content as a zip wrapped in one folder: same digest, nothing to do
    archive = zip_folder(tmp_path / "p", tmp_path / "p.zip", prefix="test-pack/")
    assert study.install_package(archive).action == "unchanged"
    [m] = study.materials()
    assert (m.id, m.version, m.question_count) == ("test-pack", 1, 4)
    assert leftovers(study) == []


def test_newer_replaces_older_and_older_never_replaces_newer(
    study: StudyService, tmp_path: Path
) -> None:
    study.install_package(make_package(tmp_path / "v2", version=2))
    with pytest.raises(PackageError, match="older"):
        study.install_package(make_package(tmp_path / "v1", version=1))
    v3 = make_package(tmp_path / "v3", version=3, title="新版")
    result = study.install_package(v3)
    assert (result.action, result.previous_version) == ("upgraded", 2)
    assert [m.title for m in study.materials()] == ["新版"]
    assert json.loads((current_folder(study) / "manifest.json").read_text())["version"] == 3
    # same version, different content: refused
    (v3 / "body.md").write_text("# 改过了\n\n内容不一样。\n", encoding="utf-8")
    with pytest.raises(PackageError, match="raise the version"):
        study.install_package(v3)
    assert leftovers(study) == []


def _zip_with(tmp_path: Path, entries: dict[str, bytes], symlink: str | None = None) -> Path:
    base = make_package(tmp_path / "base")
    out = tmp_path / "bad.zip"
    with zipfile.ZipFile(out, "w") as zf:
        for p in sorted(base.rglob("*")):
            zf.write(p, p.relative_to(base).as_posix())
        for name, data in entries.items():
            zf.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = 0o120777 << 16
            zf.writestr(info, "/etc/passwd")
    return out


@pytest.mark.parametrize(
    ("entries", "symlink", "message"),
    [
        ({"../evil.png": b"x"}, None, "leaves the package"),
        ({"/abs.png": b"x"}, None, "not a relative path"),
        ({}, "link.png", "symbolic link"),
        ({"script.sh": b"#!/bin/sh"}, None, "not allowed"),
    ],
)
def test_bad_zips_are_refused(
    study: StudyService, tmp_path: Path, entries: dict[str, bytes], symlink, message: str
) -> None:
    with pytest.raises(PackageError, match=message):
        study.install_package(_zip_with(tmp_path, entries, symlink))
    assert study.materials() == []
    assert leftovers(study) == []
    assert not (tmp_path / "evil.png").exists()


def test_symlink_in_folder_is_refused(study: StudyService, tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "p")
    os.symlink("/etc/passwd", pkg / "images.png")
    with pytest.raises(PackageError, match="symbolic link"):
        study.install_package(pkg)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda p: (p / "manifest.json").write_text("{not json", encoding="utf-8"), "not valid"),
        (
            lambda p: (p / "manifest.json").write_text(json.dumps({"id": "x"}), encoding="utf-8"),
            "manifest.json",
        ),
        (lambda p: (p / "cover.png").write_bytes(b"\x89PNG\r\n\x1a\nbroken"), "bad image"),
        (lambda p: (p / "cover.png").write_bytes((p / "body.md").read_bytes()), "bad image"),
        (
            lambda p: (p / "body.md").write_bytes("# 标题\n\n中文内容\n".encode("gbk")),
            "not UTF-8",
        ),
        (lambda p: (p / "quiz.json").write_text('{"questions": []}', encoding="utf-8"), "quiz"),
        (lambda p: (p / "body.md").write_text("![x](missing.png)\n", encoding="utf-8"), "named"),
        (lambda p: (p / "body.md").unlink(), "missing"),
    ],
)
def test_bad_content_is_refused(study: StudyService, tmp_path: Path, mutate, message) -> None:
    pkg = make_package(tmp_path / "p")
    mutate(pkg)
    with pytest.raises(PackageError, match=message):
        study.install_package(pkg)
    assert study.materials() == [] and leftovers(study) == []


def test_oversize_files_are_refused(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "p")
    store = MaterialStore(tmp_path / "materials", Limits(image_bytes=500, file_bytes=10_000))
    with pytest.raises(PackageError, match="too large"):
        store.stage(pkg)
    # in a zip, the declared sizes are checked before anything is unpacked
    archive = zip_folder(pkg, tmp_path / "p.zip")
    with pytest.raises(PackageError, match=r"too large"):
        MaterialStore(tmp_path / "m2", Limits(file_bytes=1000)).stage(archive)


def test_a_failed_catalogue_write_leaves_the_old_version_in_place(
    study: StudyService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    study.install_package(make_package(tmp_path / "v1", version=1))
    import kiosk.core.study.service as study_module

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(study_module, "register_package", boom)
    with pytest.raises(RuntimeError):
        study.install_package(make_package(tmp_path / "v2", version=2))
    manifest = json.loads((current_folder(study) / "manifest.json").read_text())
    assert manifest["version"] == 1
    assert [m.version for m in study.materials()] == [1]
    assert leftovers(study) == []


def test_install_and_remove_write_outbox_events(study: StudyService, tmp_path: Path) -> None:
    study.install_package(make_package(tmp_path / "p"))
    assert study.remove("test-pack") == 1
    assert not (materials_dir(study) / "test-pack").exists()
    with study.station.db.read() as s:
        events = [(e.type, e.payload.get("material_id")) for e in s.scalars(select(OutboxEvent))]
        assert s.scalars(select(StudyMaterial)).all() == []
    assert events[-2:] == [("material.installed", "test-pack"), ("material.removed", "test-pack")]
    with pytest.raises(PackageError):
        study.remove("test-pack")


def test_starter_library_installs_once(study: StudyService) -> None:
    assert len(study.ensure_starter_library(STARTER)) >= 8
    assert study.ensure_starter_library(STARTER) == []
