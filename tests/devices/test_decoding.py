from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from kiosk.devices.baseline_decoders import OpenCvDecoder, PyzbarDecoder, ZxingDecoder
from kiosk.devices.decoding import DecodeError, DecodeMode, KioskDecoder, decode_image_file
from kiosk.devices.qr import payload_text, to_gray, zbar_text
from kiosk.devices.synthetic import camera_frame, degraded_samples, qr_image
from kiosk.devices.synthetic_stills import STILL_KINDS, still_samples
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
@pytest.mark.parametrize(
    "make",
    [
        KioskDecoder,
        lambda: KioskDecoder(DecodeMode.STILL),
        PyzbarDecoder,
        ZxingDecoder,
        OpenCvDecoder,
    ],
    ids=["live", "still", "pyzbar", "zxing", "opencv"],
)
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
    assert KioskDecoder(DecodeMode.STILL).decode(frame) == []


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


# -- still images (kiosk decode / scan-image) and the text of non-UTF-8 payloads -------------


@pytest.fixture(scope="module")
def still_decoder() -> KioskDecoder:
    return KioskDecoder(DecodeMode.STILL)


@pytest.mark.parametrize("kind", STILL_KINDS)
def test_still_mode_reads_every_failure_kind(kind: str, still_decoder: KioskDecoder) -> None:
    [sample] = still_samples(1, seed=1, kinds=(kind,))
    codes = still_decoder.decode(sample.image)
    assert sorted(codes) == sorted(sample.payloads), sample.params


def test_still_kinds_are_hard_for_the_live_mode_or_a_single_library() -> None:
    """The set is not trivial: each failure kind it adds defeats at least one plain reader."""
    samples = still_samples(1, seed=1, kinds=("inverted", "shift-jis", "eci", "multi"))
    live, zbar = KioskDecoder(DecodeMode.LIVE), PyzbarDecoder()
    inverted, sjis, eci, multi = samples
    assert live.decode(inverted.image) == [] and zbar.decode(inverted.image) == []
    assert zbar.decode(eci.image) != list(eci.payloads)  # zbar ignores this ECI (GB18030)
    assert len(multi.payloads) >= 2
    assert OpenCvDecoder().decode(sjis.image) != list(sjis.payloads)  # no charset guessing


ENCODED_TEXTS = [
    pytest.param("東京駅の休憩所へようこそ", {}, id="shift-jis-bytes"),
    pytest.param("Grüße aus Köln, Straße 5", {}, id="latin-1-bytes"),
    pytest.param("城管驿站 休息 饮水 充电", {"eci": "gb18030"}, id="eci-gb18030"),
    pytest.param("城管驿站欢迎您", {"eci": "utf-8"}, id="eci-utf-8"),
    pytest.param("Façade Ørsted Ålesund", {"eci": "iso-8859-1"}, id="eci-latin-1"),
    pytest.param("大阪市役所 休憩所", {"eci": "shift_jis"}, id="eci-shift-jis"),
    pytest.param("驿站终端 扫码签到 第1号", {}, id="utf-8-no-eci"),
]


@pytest.mark.parametrize("mode", list(DecodeMode))
@pytest.mark.parametrize(("text", "how"), ENCODED_TEXTS)
def test_non_utf8_payloads_come_out_as_their_text(text: str, how: dict, mode) -> None:
    if "eci" in how:
        qr = qr_image(text, ec="M", box=4, eci=how["eci"])
    else:
        charset = {"東": "shift_jis", "G": "latin-1"}.get(text[0], "utf-8")
        qr = qr_image(text.encode(charset), ec="M", box=4)
    frame = camera_frame(qr, size=(640, 480), scale=0.6, angle=8, noise=2, seed=4)
    assert KioskDecoder(mode).decode(frame) == [text]


def test_still_mode_does_not_add_zbars_misreading_of_a_code_zxing_read(still_decoder) -> None:
    """zbar reads unlabelled UTF-8 Chinese as Shift-JIS; the still mode reports one text."""
    text = "驿站终端 扫码签到 第1号"
    page = np.full((400, 800), 255, np.uint8)
    qr = qr_image(text, ec="M", box=5)
    page[40 : 40 + qr.shape[0], 40 : 40 + qr.shape[1]] = qr
    assert still_decoder.decode(page) == [text]


def test_zbar_text_undoes_the_shift_jis_guess_only() -> None:
    text = "城管驿站欢迎您"
    [misread] = PyzbarDecoder().decode(qr_image(text, ec="M", box=4))
    assert misread != text  # zbar's guess; if a newer zbar fixes it, zbar_text is moot
    assert zbar_text(misread.encode()) == text
    assert zbar_text("東京駅".encode()) == "東京駅"
    assert zbar_text(b"YZ1:ABC") == "YZ1:ABC"


@pytest.mark.parametrize("mode", list(DecodeMode))
def test_ascii_payloads_are_the_exact_bytes(mode) -> None:
    """zxing's default HRI text would write the group separator as '<GS>'."""
    qr = qr_image(b"YZ1:AB\x1dCD\tE", box=4)
    assert KioskDecoder(mode).decode(qr) == ["YZ1:AB\x1dCD\tE"]


def test_still_mode_reports_every_code_of_a_photo_once(still_decoder) -> None:
    [sample] = still_samples(1, seed=3, kinds=("multi",))
    assert len(sample.payloads) >= 2
    codes = still_decoder.decode(sample.image)
    assert sorted(codes) == sorted(sample.payloads)
    assert set(still_decoder.last_stages) == set(codes)


def test_still_mode_reads_four_codes_of_mixed_kinds(still_decoder) -> None:
    """A normal, an inverted, a rotated and a mirrored code on one page."""
    texts = ["YZ1:AAAA", "YZ1:BBBB", "城管驿站", "Grüße"]
    qrs = [qr_image(t.encode("latin-1") if t == "Grüße" else t, ec="M", box=5) for t in texts]
    qrs[1] = 255 - qrs[1]
    qrs[2] = np.rot90(qrs[2]).copy()
    qrs[3] = qrs[3][:, ::-1].copy()
    page = np.full((420, 1500), 200, np.uint8)
    for i, qr in enumerate(qrs):
        page[30 : 30 + qr.shape[0], 30 + 370 * i : 30 + 370 * i + qr.shape[1]] = qr
    assert sorted(still_decoder.decode(page)) == sorted(texts)


def test_live_mode_still_reads_badges_and_spends_nothing_extra(badge_frame, payload) -> None:
    live = KioskDecoder(DecodeMode.LIVE)
    assert live.decode(badge_frame) == [payload]
    assert live.last_stages == {payload: "zxing"}
    samples = degraded_samples(payload, n=20, size=(1280, 720), seed=5)
    assert sum(payload in live.decode(s.frame) for s in samples) >= 19


def test_live_mode_rescues_an_inverted_symbol_it_located(badge_qr, payload) -> None:
    """The ROI rescue of a located-but-unread symbol also tries it light-on-dark."""
    live = KioskDecoder(DecodeMode.LIVE)
    frame = camera_frame(badge_qr, size=(640, 480), scale=0.5, blur=1.2, seed=2, inverted=True)
    gray = to_gray(frame)
    assert gray is not None and live.decode(frame) == []  # not even located: nothing to rescue
    h, w = gray.shape
    quad = np.array(
        [[w * 0.2, h * 0.1], [w * 0.8, h * 0.1], [w * 0.8, h * 0.9], [w * 0.2, h * 0.9]]
    )
    assert live._rescue_roi(gray, quad.astype(np.float32))
    assert live.last_stages == {payload: "roi-sharpen"}


def test_decode_image_file_uses_the_still_mode(tmp_path) -> None:
    import cv2

    [sample] = still_samples(1, seed=1, kinds=("inverted",))
    photo = tmp_path / "dark-mode.jpg"
    cv2.imwrite(str(photo), sample.image, [cv2.IMWRITE_JPEG_QUALITY, 85])
    assert decode_image_file(photo) == list(sample.payloads)
    assert decode_image_file(photo, KioskDecoder(DecodeMode.LIVE)) == []


@pytest.mark.parametrize(
    "frame",
    [
        np.random.default_rng(1).integers(0, 256, (1200, 1600), dtype=np.uint8),
        np.tile(np.array([[0, 255], [255, 0]], np.uint8), (400, 400)),  # a checkerboard
        np.full((3000, 21), 128, np.uint8),
        np.zeros((21, 21, 3), np.uint8),
    ],
    ids=["noise", "checkerboard", "thin", "tiny"],
)
def test_still_mode_on_garbage_gives_nothing(frame, still_decoder) -> None:
    assert still_decoder.decode(frame) == []


REAL_PHOTOS = Path(__file__).parent.parent / "data" / "zxing-benchmark"


@pytest.mark.parametrize("photo", sorted(REAL_PHOTOS.glob("*.jpg")), ids=lambda p: p.stem)
@pytest.mark.parametrize("mode", list(DecodeMode))
def test_real_phone_photos(photo: Path, mode) -> None:
    """Real camera photos (ZXing's Android benchmark, Apache-2.0): exact text, nothing extra."""
    expected = photo.with_suffix(".txt")
    want = [expected.read_bytes().decode("utf-8")] if expected.exists() else []
    assert decode_image_file(photo, KioskDecoder(mode)) == want


def test_real_photo_set_is_there() -> None:
    assert len(list(REAL_PHOTOS.glob("*.txt"))) == 5
    assert "\r\n" in (REAL_PHOTOS / "android-1-qrcode-2.txt").read_bytes().decode()
