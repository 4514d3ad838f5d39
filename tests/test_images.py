"""Every bad image is one refusal: ``kiosk.images.open_image`` (issue 17)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from kiosk.images import BadImage, open_image
from tests.image_bombs import write_png_bomb


def _png(size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("L", size, 255).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_decompression_bomb_is_refused_before_decoding(tmp_path: Path) -> None:
    bomb = write_png_bomb(tmp_path / "bomb.png")
    assert bomb.stat().st_size < 1024 * 1024
    says = r"too large: 400,000,000 pixels .*decompression bomb"
    with pytest.raises(BadImage, match=says), open_image(bomb):
        pass


def test_over_our_limit_but_under_pillows_is_refused_from_the_header(tmp_path: Path) -> None:
    big = tmp_path / "big.png"
    big.write_bytes(_png((5000, 4000)))  # 20 MP: Pillow itself would not complain
    with pytest.raises(BadImage, match="5000×4000 pixels"), open_image(big):
        pass
    with open_image(big, max_pixels=20_000_000) as im:
        assert im.size == (5000, 4000)


@pytest.mark.parametrize(
    ("data", "formats", "says"),
    [
        (b"not an image at all", None, "not an image"),
        (_png((64, 64))[:80], None, "unreadable"),  # truncated in the pixel data
        (_png((64, 64)), ("JPEG",), "not an image of JPEG"),
    ],
)
def test_bad_files_are_one_kind_of_refusal(
    tmp_path: Path, data: bytes, formats: tuple[str, ...] | None, says: str
) -> None:
    path = tmp_path / "x.png"
    path.write_bytes(data)
    with pytest.raises(BadImage, match=says) as caught, open_image(path, formats=formats):
        pass
    assert "\n" not in str(caught.value)


def test_a_good_image_is_decoded_and_errors_of_the_caller_pass_through(tmp_path: Path) -> None:
    path = tmp_path / "ok.png"
    path.write_bytes(_png((32, 16)))
    with open_image(path, formats=("PNG",)) as im:
        assert (im.format, im.size, im.getpixel((0, 0))) == ("PNG", (32, 16), 255)
    with pytest.raises(KeyError), open_image(path):  # not turned into BadImage
        raise KeyError("the caller's own")
    with open_image(io.BytesIO(path.read_bytes())) as im:
        assert im.size == (32, 16)


def test_check_size_reads_only_the_header(tmp_path: Path) -> None:
    from kiosk.images import PHOTO_PIXELS, check_size

    bomb = write_png_bomb(tmp_path / "bomb.png")
    with pytest.raises(BadImage, match="400,000,000 pixels"):
        check_size(bomb, PHOTO_PIXELS)
    photo = tmp_path / "photo.png"
    photo.write_bytes(_png((5000, 4000)))
    assert check_size(photo, PHOTO_PIXELS) == (5000, 4000)
    with pytest.raises(BadImage, match="5000×4000"):
        check_size(photo)
    (tmp_path / "junk.png").write_bytes(b"junk")
    with pytest.raises(BadImage, match="not an image"):
        check_size(tmp_path / "junk.png")
