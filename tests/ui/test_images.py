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
