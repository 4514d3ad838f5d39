"""An open reader keeps showing the version it opened while its package is replaced or removed.

The material store keeps each version in a folder of its own and deletes one only when no
reader holds it (``core/study/store.py``); these tests watch the folders as well as the pixels.

Real parts: the demo station, the real window and reader, packages installed, upgraded and
removed through the real ``StudyService`` (what sync calls), real images compared by pixel,
real QtMultimedia playing the media (on the offscreen platform, with no sound card).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import struct
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from sqlalchemy import select

from kiosk.core.study.service import StudyService
from kiosk.resources import resource
from kiosk.screen_names import Screen
from kiosk.store.models import StudySession

PKG = "reader-versions"
RED = (201, 17, 43)  # version 1's picture
BLUE = (23, 61, 199)  # version 2's picture


# -- packages -----------------------------------------------------------------------------------


def wav(seconds: float) -> bytes:
    rate = 8000
    frames = b"".join(
        struct.pack("<h", round(6000 * math.sin(n / 9))) for n in range(round(rate * seconds))
    )
    fmt = struct.pack("<HHIIHH", 1, 1, rate, rate * 2, 2, 16)
    return (
        b"RIFF"
        + struct.pack("<I", 36 + len(frames))
        + b"WAVEfmt "
        + struct.pack("<I", len(fmt))
        + fmt
        + b"data"
        + struct.pack("<I", len(frames))
        + frames
    )


def mp4(path: Path, frames: int) -> None:
    """A small MPEG-4 video at 10 frames a second (OpenCV's writer: a project dependency)."""
    import cv2

    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 10, (64, 48))
    assert writer.isOpened()
    for _ in range(frames):
        writer.write(np.full((48, 64, 3), 128, np.uint8))
    writer.release()


def build(
    root: Path,
    version: int,
    colour: tuple[int, int, int],
    media: str | None = "audio",
    size: tuple[int, int] = (480, 240),
) -> Path:
    """The starter ``road-safety`` as PKG, its first page opening with a one-colour picture.

    Version 1's audio lasts 1 s and its video 1.5 s; version 2's twice as long.
    """
    shutil.copytree(resource("materials", "road-safety"), root)
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    manifest.update(id=PKG, version=version, title=f"读着的时候更新 {version}")
    Image.new("RGB", size, colour).save(root / "pic.png")
    body = (root / "body.md").read_text(encoding="utf-8")
    (root / "body.md").write_text(f"![一张图](pic.png)\n\n{body}", encoding="utf-8")
    if media == "audio":
        (root / "talk.wav").write_bytes(wav(1.0 * version))
        manifest["audio"] = "talk.wav"
    elif media == "video":
        mp4(root / "clip.mp4", 15 * version)
        manifest["video"] = "clip.mp4"
    (root / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    return root


MEDIA_MS = {"audio": 1000, "video": 1500}  # version 1


# -- the window ---------------------------------------------------------------------------------


@pytest.fixture
def study(window, demo_station):
    """The window with 讲习所 open; the idle timer out of the way."""
    window.timing.idle_ms = 600_000
    return StudyService(demo_station)


def settle(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.bridge.pending == 0, timeout=10_000)


def click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def open_reader(qtbot, window):
    flow = window.study_flow
    window.show_screen(Screen.STUDY)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: any(m.id == PKG for m in flow.materials), timeout=10_000)
    flow.open_material(next(m for m in flow.materials if m.id == PKG))
    assert window.current is Screen.STUDY_READER
    return flow.reader


def pixels(widget, colour: tuple[int, int, int]) -> int:
    """How many pixels of the widget, as it paints now, have exactly this colour."""
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    w, h, line = image.width(), image.height(), image.bytesPerLine()
    rows = np.frombuffer(image.constBits(), np.uint8, count=line * h).reshape(h, line)
    rgb = rows[:, : w * 3].reshape(h, w, 3)
    return int(np.all(rgb == colour, axis=-1).sum())


def shows_version_1(reader) -> bool:
    return pixels(reader.view, RED) > 2_000 and pixels(reader.view, BLUE) == 0


def resize(qtbot, window, width: int, height: int) -> None:
    view = window.study_flow.reader.view
    before = view.size()
    window.resize(width, height)
    qtbot.waitUntil(lambda: view.size() != before, timeout=5_000)


def version_folders(station) -> list[str]:
    home = station.paths.data_dir / "materials" / PKG
    if not home.exists():
        return []
    return sorted(p.name.split("-")[0] for p in home.iterdir() if p.is_dir())


def current_folder(study) -> Path:
    [folder] = [m.folder for m in study.materials() if m.id == PKG]
    return folder


def player_duration(reader) -> int:
    return reader._player.duration() if reader._player is not None else -1


# -- tests --------------------------------------------------------------------------------------


@pytest.mark.parametrize("media", ["audio", "video"])
def test_open_reader_keeps_its_version_through_upgrade_and_removal(
    qtbot, window, study, demo_station, tmp_path, media
) -> None:
    study.install_package(build(tmp_path / "v1", 1, RED, media))
    reader = open_reader(qtbot, window)
    qtbot.waitUntil(lambda: shows_version_1(reader), timeout=5_000)

    # Sync installs version 2 while the worker reads: a folder of its own, version 1's stays.
    assert study.install_package(build(tmp_path / "v2", 2, BLUE, media)).action == "upgraded"
    assert version_folders(demo_station) == ["1", "2"]
    click(qtbot, reader.bigger)  # a re-layout at the new font size
    assert shows_version_1(reader)
    resize(qtbot, window, 1000, 760)
    assert shows_version_1(reader)

    # Then the hub withdraws it: version 2's folder goes; version 1's is still read.
    study.remove(PKG)
    assert version_folders(demo_station) == ["1"]
    assert reader.view.opened.folder.is_dir()
    click(qtbot, reader.smaller)
    assert shows_version_1(reader)
    resize(qtbot, window, 1280, 800)
    assert shows_version_1(reader)
    assert reader.view.content.manifest.version == 1 and reader.material.version == 1
    assert window.current is Screen.STUDY_READER and not reader.notice.isVisible()

    # 听音频 / 看视频 play version 1's media, although two versions were installed since.
    click(qtbot, reader.media)
    assert reader.media.text() == "停止播放"
    qtbot.waitUntil(lambda: player_duration(reader) == MEDIA_MS[media], timeout=10_000)
    assert not reader.notice.isVisible()
    assert (reader._video is not None) == (media == "video")
    click(qtbot, reader.media)
    assert reader.media.text() == ("看视频" if media == "video" else "听音频")
    assert reader._player is None

    # 返回: the reader lets go of version 1, and its folder goes (nobody else holds it).
    click(qtbot, reader.bar.back)
    assert window.current is Screen.STUDY_LIST
    assert reader.view.opened is None and reader.view.content is None
    assert version_folders(demo_station) == []
    assert not (demo_station.paths.data_dir / "materials" / PKG).exists()
    settle(qtbot, window)
    [session] = list_sessions(demo_station)
    assert (session.material_id, session.material_version) == (PKG, 1)


def card_in_list(qtbot, window):
    """讲习所 → 安全 → the test package's card, the list drawn (the reader not opened yet)."""
    flow = window.study_flow
    window.show_screen(Screen.STUDY)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: bool(flow.materials), timeout=10_000)
    click(qtbot, flow.page.tiles["安全"])
    [card] = [c for c in flow.list_page.cards if c.material.id == PKG]
    return card


def list_sessions(station) -> list[StudySession]:
    with station.db.read() as s:
        return list(s.scalars(select(StudySession)))


def test_a_material_upgraded_before_the_tap_opens_and_records_the_new_version(
    qtbot, window, study, demo_station, tmp_path
) -> None:
    study.install_package(build(tmp_path / "v1", 1, RED))
    flow = window.study_flow
    card = card_in_list(qtbot, window)
    assert card.material.version == 1
    study.install_package(build(tmp_path / "v2", 2, BLUE))  # the list still shows version 1

    click(qtbot, card)
    reader = flow.reader
    qtbot.waitUntil(lambda: pixels(reader.view, BLUE) > 2_000, timeout=5_000)
    assert reader.material.version == 2 and reader.bar.title.text() == "读着的时候更新 2"
    click(qtbot, reader.bar.back)
    settle(qtbot, window)
    [session] = list_sessions(demo_station)
    assert session.material_version == 2  # what was read, not what the list said


def test_a_material_withdrawn_before_the_tap_says_so(qtbot, window, study, demo_station, tmp_path):
    study.install_package(build(tmp_path / "v1", 1, RED))
    flow = window.study_flow
    card = card_in_list(qtbot, window)
    study.remove(PKG)  # withdrawn while the list still shows it

    click(qtbot, card)
    reader = flow.reader
    assert window.current is Screen.STUDY_READER
    assert reader.notice.isVisible()
    assert reader.notice.text() == "这份学习材料现在打不开（可能刚刚撤下了），请返回看看别的"
    assert not reader.next.isVisible() and not reader.quiz.isVisible()
    assert not reader.media.isVisible() and not reader.prev.isEnabled()
    assert pixels(reader.view, RED) == 0
    click(qtbot, reader.bigger)  # nothing to lay out, nothing breaks

    click(qtbot, reader.bar.back)
    assert window.current is Screen.STUDY_LIST
    settle(qtbot, window)
    assert list_sessions(demo_station) == []  # nothing was read


@pytest.mark.parametrize("damage", ["missing", "unplayable"])
def test_media_that_cannot_be_played_shows_a_notice(
    qtbot, window, study, demo_station, tmp_path, damage
) -> None:
    study.install_package(build(tmp_path / "v1", 1, RED, "audio"))
    installed = current_folder(study) / "talk.wav"
    if damage == "missing":
        installed.unlink()
    else:  # the header is right, the rest is noise: the player reports an error
        installed.write_bytes(b"RIFF\0\0\0\0WAVE" + os.urandom(4000))
    reader = open_reader(qtbot, window)
    qtbot.waitUntil(lambda: shows_version_1(reader), timeout=5_000)

    click(qtbot, reader.media)
    qtbot.waitUntil(reader.notice.isVisible, timeout=10_000)
    assert reader.notice.text() == "音频暂时放不了，请先看文字"
    assert reader.media.text() == "听音频" and reader._player is None
    assert window.current is Screen.STUDY_READER and shows_version_1(reader)
