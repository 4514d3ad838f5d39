"""Package images into Qt within the size limit (``kiosk.ui.images``, issue 17)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QSize

from kiosk.ui.images import read_image
from tests.image_bombs import write_png_bomb

BOX = QSize(1920, 1080)


def test_a_bomb_is_refused_from_its_header(
    qapp, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bomb = write_png_bomb(tmp_path / "bomb.png")
    assert read_image(bomb, BOX) is None
    assert "bomb.png refused: 20000×20000" in caplog.text


def test_a_large_picture_is_decoded_to_the_box_and_junk_is_none(qapp, tmp_path: Path) -> None:
    Image.new("RGB", (4000, 3000), "red").save(tmp_path / "photo.jpg")
    image = read_image(tmp_path / "photo.jpg", BOX)
    assert image is not None and (image.width(), image.height()) == (1440, 1080)
    (tmp_path / "junk.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    assert read_image(tmp_path / "junk.png", BOX) is None
    assert read_image(tmp_path / "photo.jpg", BOX, max_pixels=1_000_000) is None


def test_the_reader_leaves_a_bomb_out_and_never_reads_the_name_from_elsewhere(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A damaged install (the importer refuses bombs): the page shows no picture, and Qt does
    not go looking for ``pic.png`` in the working folder instead."""
    import shutil

    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QTextDocument

    from kiosk.core.study.store import MaterialStore
    from kiosk.resources import resource
    from kiosk.ui.screens.study_page_view import PageView

    store = MaterialStore(tmp_path / "materials")
    folder = store.root / "road-safety" / "1-test"
    shutil.copytree(resource("materials", "road-safety"), folder)
    with (folder / "body.md").open("a", encoding="utf-8") as body:
        body.write("\n\n![一张图](pic.png)\n")
    write_png_bomb(folder / "pic.png")
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    Image.new("RGB", (40, 40), "red").save(elsewhere / "pic.png")
    monkeypatch.chdir(elsewhere)

    opened = store.open("road-safety")
    assert opened is not None and opened.folder == folder
    view = PageView()
    try:
        view.resize(800, 600)
        view.set_version(opened)
        held = view.doc.resource(QTextDocument.ResourceType.ImageResource, QUrl("pic.png"))
        assert held is not None and held.isNull()  # an empty picture, not the red one
    finally:
        view.set_version(None)
        opened.close()
        view.deleteLater()
