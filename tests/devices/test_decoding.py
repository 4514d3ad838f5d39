from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from kiosk.devices.decoding import (
    DecodeError,
    KioskDecoder,
    PyzbarDecoder,
    ZxingDecoder,
    decode_image_file,
    payload_text,
)
from kiosk.devices.synthetic import camera_frame, degraded_samples, qr_image
from tests.image_bombs import write_png_bomb


def test_decoders_read_a_badge_in_a_camera_frame(badge_frame, payload, decoder) -> None:
    assert decoder.decode(badge_frame) == [payload]
    assert PyzbarDecoder().decode(badge_frame) == [payload]
    assert ZxingDecoder().decode(badge_frame) == [payload]


def test_idle_frame_gives_nothing(idle_frame, decoder) -> None:
    assert decoder.decode(idle_frame) == []
    assert PyzbarDecoder().decode(idle_frame) == []


def test_pipeline_rescues_a_defocused_badge_plain_decoders_miss(badge_qr, payload) -> None:
    frame = camera_frame(badge_qr, size=(1280, 720), scale=0.4, angle=20, blur=3.0, seed=0)
    assert ZxingDecoder().decode(frame) == []
    assert PyzbarDecoder().decode(frame) == []
    dec = KioskDecoder()
    assert dec.decode(frame) == [payload]
    assert dec.last_stage is not None and dec.last_stage.startswith("roi-")


def test_pipeline_beats_pyzbar_on_degraded_frames(payload, decoder) -> None:
    samples = degraded_samples(payload, n=20, size=(640, 480), seed=11)
    ours = sum(payload in decoder.decode(s.frame) for s in samples)
    raw = sum(payload in PyzbarDecoder().decode(s.frame) for s in samples)
    assert ours >= 19
    assert ours >= raw


def test_gray_and_bgra_frames_decode(badge_frame, payload, decoder) -> None:
    import cv2

    gray = cv2.cvtColor(badge_frame, cv2.COLOR_BGR2GRAY)
    assert decoder.decode(gray) == [payload]
    assert decoder.decode(gray[:, :, None]) == [payload]
    assert decoder.decode(cv2.cvtColor(badge_frame, cv2.COLOR_BGR2BGRA)) == [payload]


def test_two_badges_in_one_frame_are_both_reported_once(decoder) -> None:
    a, b = qr_image("YZ1:AAAA", box=4), qr_image("YZ1:BBBB", box=4)
    page = np.full((300, 600), 255, np.uint8)
    page[50 : 50 + a.shape[0], 40 : 40 + a.shape[1]] = a
    page[50 : 50 + b.shape[0], 340 : 340 + b.shape[1]] = b
    assert sorted(decoder.decode(page)) == ["YZ1:AAAA", "YZ1:BBBB"]
    page[50 : 50 + a.shape[0], 340 : 340 + a.shape[1]] = a  # the same code twice
    assert decoder.decode(page) == ["YZ1:AAAA"]


def test_non_ascii_payload_round_trips(decoder) -> None:
    assert decoder.decode(qr_image("驿站 check-in", box=4)) == ["驿站 check-in"]


def test_binary_payload_falls_back_to_latin1() -> None:
    assert payload_text(b"YZ1:\xff\xfe") == "YZ1:\xff\xfe"
    assert payload_text("驿站".encode()) == "驿站"


@pytest.mark.parametrize(
    "frame",
    [
        np.zeros((0, 0), np.uint8),
        np.zeros((1, 1), np.uint8),
        np.zeros((1, 1, 4), np.uint8),
        np.zeros((480, 640), np.float64),
        np.zeros((480, 640), np.uint16),
        np.zeros((480, 640, 5), np.uint8),
        np.zeros((2, 2, 2, 2), np.uint8),
        np.full((480, 640, 3), 255, np.uint8),
        np.random.default_rng(0).integers(0, 256, (480, 640, 3), dtype=np.uint8),
        None,
        "not a frame",
    ],
    ids=lambda f: getattr(f, "shape", type(f).__name__),
)
@pytest.mark.parametrize("make", [KioskDecoder, PyzbarDecoder, ZxingDecoder])
def test_weird_frames_give_empty_list(make, frame) -> None:
    assert make().decode(frame) == []


@settings(max_examples=60, deadline=None)
@given(
    arrays(
        np.uint8,
        st.tuples(st.integers(1, 80), st.integers(1, 80), st.sampled_from([1, 3, 4])),
    )
)
def test_decoder_never_raises(frame) -> None:
    assert KioskDecoder().decode(frame) == []


def test_decode_image_file(tmp_path, badge_frame, payload) -> None:
    import cv2

    good = tmp_path / "badge.png"
    cv2.imwrite(str(good), badge_frame)
    assert decode_image_file(good) == [payload]

    corrupt = tmp_path / "broken.jpg"
    corrupt.write_bytes(b"\xff\xd8 definitely not a jpeg")
    with pytest.raises(DecodeError, match="bad image"):
        decode_image_file(corrupt)
    bomb = write_png_bomb(tmp_path / "bomb.png")  # OpenCV would allocate 1.2 GB for it
    with pytest.raises(DecodeError, match=r"bad image: too large: 400,000,000 pixels"):
        decode_image_file(bomb)
    with pytest.raises(DecodeError, match="no such image file"):
        decode_image_file(tmp_path / "missing.png")
