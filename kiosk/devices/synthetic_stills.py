"""Photo-like still images (a photo a worker sent, not a camera frame) for the still-mode
decoder's tests and ``kiosk.bench decode``: inverted, turned, mirrored, non-UTF-8 text with
and without ECI, a code filling the photo, several codes, tilt, blur, low contrast, JPEG and
uneven light. Built from the camera frames' parts in :mod:`kiosk.devices.synthetic`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from kiosk.devices.synthetic import (
    Frame,
    background,
    badge_payload,
    degrade,
    paste_card,
    qr_image,
    symbol_side,
)

#: Kinds of still image (a photo a worker sent) produced by :func:`still_samples`.
STILL_KINDS: tuple[str, ...] = (
    "inverted",
    "rotated-90",
    "rotated-180",
    "rotated-270",
    "mirrored",
    "shift-jis",
    "latin-1",
    "eci",
    "fill",
    "multi",
    "perspective",
    "blur",
    "low-contrast",
    "jpeg",
    "uneven-light",
)

#: Non-UTF-8 payloads: (text, how it is put in the symbol). "bytes:X" = byte mode, X-encoded,
#: no ECI; "eci:X" = X-encoded with an ECI designator.
_SHIFT_JIS_TEXTS = ("東京駅の休憩所へようこそ", "作業員証 番号12345 確認済み")
_LATIN1_TEXTS = ("Grüße aus Köln, Straße 5", "Café crème, brûlée à la Señora")
_ECI_TEXTS = (
    ("城管驿站欢迎您 第3号站", "utf-8"),
    ("城管驿站 休息 饮水 充电", "gb18030"),
    ("Façade Ørsted Ålesund", "iso-8859-1"),
    ("大阪市役所 休憩所", "shift_jis"),
)
_PLAIN_TEXTS = (
    "https://zhengwu.example.cn/yz/checkin?station=0731&lang=zh",
    "驿站终端 扫码签到 第{n}号",
    "WIFI:T:WPA;S:YZ-Station;P:rest&water;;",
)


@dataclass(frozen=True)
class StillSample:
    """One synthetic photo, what it shows (``kind``) and every payload text it holds."""

    image: Frame = field(repr=False)
    kind: str
    payloads: tuple[str, ...]
    params: dict[str, float]


def _plain_payload(i: int, seed: int) -> str:
    choice = (i + seed) % (len(_PLAIN_TEXTS) + 1)
    if choice == len(_PLAIN_TEXTS):
        return badge_payload(seed * 1000 + i)
    return _PLAIN_TEXTS[choice].format(n=i)


def _still_payload(kind: str, i: int, seed: int) -> tuple[str, np.ndarray]:
    """(expected text, rendered symbol) for sample ``i`` of ``kind``."""
    if kind == "shift-jis":
        text = _SHIFT_JIS_TEXTS[i % len(_SHIFT_JIS_TEXTS)]
        return text, qr_image(text.encode("shift_jis"), ec="M")
    if kind == "latin-1":
        text = _LATIN1_TEXTS[i % len(_LATIN1_TEXTS)]
        return text, qr_image(text.encode("latin-1"), ec="M")
    if kind == "eci":
        text, charset = _ECI_TEXTS[i % len(_ECI_TEXTS)]
        return text, qr_image(text, ec="M", eci=charset)
    text = _plain_payload(i, seed)
    return text, qr_image(text, ec="Q" if text.startswith("YZ1:") else "M")


def _still_params(kind: str, rng: np.random.Generator, modules: int, h: int) -> dict[str, float]:
    p: dict[str, float] = {
        "scale": rng.uniform(0.22, 0.45),
        "angle": rng.uniform(0, 360),
        "perspective": rng.uniform(0, 15),
        "blur": rng.uniform(0, 0.8),
        "noise": rng.uniform(1, 4),
        "contrast": rng.uniform(0.8, 1.0),
        "glare": 0.0,
        "shading": rng.uniform(0, 0.3),
        "jpeg_quality": float(rng.integers(75, 93)),
    }
    if kind.startswith("rotated") or kind == "mirrored":
        p["angle"] = rng.uniform(-8, 8)  # upright in the phone's view, then the photo is turned
    elif kind == "fill":
        p.update(scale=rng.uniform(0.6, 0.68), angle=rng.uniform(-10, 10))
        p["jpeg_quality"] = float(rng.integers(60, 85))
    elif kind == "multi":
        # A sheet or screen of codes: roughly aligned, none covering another (see below).
        p.update(scale=rng.uniform(0.24, 0.3), perspective=rng.uniform(0, 10))
        p["angle"] = rng.uniform(-15, 15)
    elif kind == "perspective":
        p["perspective"] = rng.uniform(40, 55)
    elif kind == "low-contrast":
        p.update(contrast=rng.uniform(0.08, 0.2), shading=rng.uniform(0.3, 0.6))
    elif kind == "jpeg":
        p.update(jpeg_quality=float(rng.integers(4, 10)), noise=rng.uniform(4, 8))
    elif kind == "uneven-light":
        p.update(shading=rng.uniform(0.7, 0.9), glare=rng.uniform(0.5, 0.9))
    module_px = p["scale"] * h / modules
    if kind == "blur":
        p["blur"] = min(rng.uniform(0.5, 0.7) * module_px, 8.0)
    elif kind == "fill":
        p["blur"] = rng.uniform(1.0, 3.0)
    return p


def still_samples(
    n_per_kind: int = 4, seed: int = 0, kinds: tuple[str, ...] = STILL_KINDS, *, small: bool = False
) -> list[StillSample]:
    """Photo-like still images of each kind in :data:`STILL_KINDS` (not camera frames).

    Sizes are those of a photo sent through a messaging app (1440x1080 either way round;
    1512x2016 for "fill"). ``small`` halves every side, for quick tests.
    """
    samples = []
    for kind in kinds:
        if kind not in STILL_KINDS:
            raise ValueError(f"unknown still kind {kind!r}")
        for i in range(n_per_kind):
            rng = np.random.default_rng([seed, STILL_KINDS.index(kind), i])
            size = (1512, 2016) if kind == "fill" else ((1440, 1080), (1080, 1440))[i % 2]
            if small:
                size = (size[0] // 2, size[1] // 2)
            samples.append(_still_sample(kind, i, seed, size, rng))
    return samples


def _still_sample(
    kind: str, i: int, seed: int, size: tuple[int, int], rng: np.random.Generator
) -> StillSample:
    w, h = size
    if kind == "multi":
        count = 2 + i % 3
        texts = [_plain_payload(i * 4 + j, seed) for j in range(count)]
        qrs = [qr_image(t, ec="M") for t in texts]
    else:
        text, qr = _still_payload(kind, i, seed)
        texts, qrs = [text], [qr]
    modules = max(symbol_side(q) for q in qrs) // 10
    p = _still_params(kind, rng, modules, h)
    img = background(size, rng).astype(np.float32)
    if kind == "multi":
        cols = 2
        rows = (len(qrs) + 1) // 2
        # A card is ~1.6x its symbol and turns by up to 15 degrees: half a cell keeps it inside.
        scale = min(p["scale"], 0.48 * min(w / cols, h / rows) / h)
        p["scale"] = scale
        code = (w / 2, h / 2, scale * h)
        for j, qr in enumerate(qrs):
            center = ((j % cols + 0.5) * w / cols, (j // cols + 0.5) * h / rows)
            paste_card(img, qr, scale, p["angle"] + 7 * j, p["perspective"], rng, center)
    else:
        inverted = kind == "inverted"
        code = paste_card(
            img, qrs[0], p["scale"], p["angle"], p["perspective"], rng, inverted=inverted
        )
    out = degrade(
        img,
        rng,
        code,
        blur=p["blur"],
        noise=p["noise"],
        contrast=p["contrast"],
        glare=p["glare"],
        shading=p["shading"],
        jpeg_quality=int(p["jpeg_quality"]),
    )
    if kind.startswith("rotated-"):
        out = np.ascontiguousarray(np.rot90(out, int(kind.split("-")[1]) // 90))
    elif kind == "mirrored":
        out = np.ascontiguousarray(out[:, ::-1])
    return StillSample(image=out, kind=kind, payloads=tuple(texts), params=p)
