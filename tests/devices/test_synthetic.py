from __future__ import annotations

import numpy as np
import pytest
import zxingcpp

from kiosk.devices.synthetic import (
    BASE32_ALPHABET,
    DEGRADATION_KINDS,
    badge_payload,
    camera_frame,
    degraded_samples,
    idle_frames,
    qr_image,
)
from kiosk.devices.synthetic_stills import STILL_KINDS, still_samples


def _zxing(img: np.ndarray) -> list[str]:
    return [b.text for b in zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode)]


def test_badge_payload_has_the_real_token_shape() -> None:
    token = badge_payload(3)
    assert token.startswith("YZ1:") and len(token) == 160
    assert set(token[4:]) <= set(BASE32_ALPHABET)
    assert badge_payload(3) == token != badge_payload(4)


def test_qr_image_is_a_binary_gray_image_with_quiet_zone(payload: str) -> None:
    img = qr_image(payload, box=4, border=4)
    assert img.dtype == np.uint8 and img.ndim == 2 and img.shape[0] == img.shape[1]
    assert set(np.unique(img)) == {0, 255}
    assert (img[:16, :] == 255).all()  # 4 modules x 4 px of quiet zone
    assert _zxing(img) == [payload]


def test_camera_frame_is_bgr_deterministic_and_decodable(badge_qr: np.ndarray, payload: str):
    a = camera_frame(badge_qr, size=(320, 240), scale=0.6, angle=33, seed=5)
    b = camera_frame(badge_qr, size=(320, 240), scale=0.6, angle=33, seed=5)
    assert a.shape == (240, 320, 3) and a.dtype == np.uint8
    assert np.array_equal(a, b)
    assert not np.array_equal(a, camera_frame(badge_qr, size=(320, 240), scale=0.6, seed=6))
    assert _zxing(a) == [payload]


def test_background_is_textured_not_a_flat_page(badge_qr: np.ndarray) -> None:
    frame = camera_frame(badge_qr, size=(320, 240), scale=0.3, seed=2)
    assert frame.std() > 10
    assert len(np.unique(frame.reshape(-1, 3), axis=0)) > 1000


def test_degraded_samples_cover_every_kind(payload: str) -> None:
    samples = degraded_samples(payload, n=len(DEGRADATION_KINDS), size=(320, 240), seed=1)
    assert [s.kind for s in samples] == list(DEGRADATION_KINDS)
    for s in samples:
        assert s.frame.shape == (240, 320, 3)
        assert 0.18 <= s.params["scale"] <= 0.6
    glare = next(s for s in samples if s.kind == "glare")
    assert glare.params["glare"] >= 0.6


def test_idle_frames_hold_no_code() -> None:
    frames = idle_frames(3, size=(320, 240), seed=0)
    assert len(frames) == 3
    assert all(_zxing(f) == [] for f in frames)


def test_still_samples_cover_every_kind_deterministically() -> None:
    samples = still_samples(1, seed=2, small=True)
    assert [s.kind for s in samples] == list(STILL_KINDS)
    again = still_samples(1, seed=2, kinds=("multi",), small=True)[0]
    multi = next(s for s in samples if s.kind == "multi")
    assert np.array_equal(again.image, multi.image) and again.payloads == multi.payloads
    assert 2 <= len(multi.payloads) == len(set(multi.payloads))
    rotated = next(s for s in samples if s.kind == "rotated-90")
    assert rotated.image.shape[:2] == (720, 540)  # a 720x540 (w x h) photo turned sideways
    with pytest.raises(ValueError, match="unknown"):
        still_samples(1, kinds=("sepia",))


def test_qr_image_writes_bytes_and_eci_labels() -> None:
    latin = zxingcpp.read_barcodes(qr_image("Grüße".encode("latin-1"), box=4))[0]
    assert latin.bytes == "Grüße".encode("latin-1")
    gb = zxingcpp.read_barcodes(qr_image("驿站", box=4, eci="gb18030"))[0]
    assert gb.bytes == "驿站".encode("gb18030") and gb.text == "驿站"
