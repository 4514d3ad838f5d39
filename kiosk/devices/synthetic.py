"""Camera-like test frames made from a QR payload, so tests and benchmarks need no webcam.

A badge is rendered with ``qrcode`` (error correction Q, like the real badge), pasted on a
white card, projected into a textured scene with a pinhole-camera tilt, then degraded the way
a 720p webcam degrades it: defocus and motion blur, sensor noise, dim or washed-out lighting,
a specular glare patch and JPEG (MJPEG) compression. The spread in :func:`degraded_samples`
models a badge held 20-60 cm from the camera; it is meant to be hard but physically possible.
"""

from __future__ import annotations

import math
import random
import string
from dataclasses import dataclass, field

import cv2
import numpy as np
import qrcode
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q

Frame = np.ndarray

_EC_LEVELS = {
    "L": ERROR_CORRECT_L,
    "M": ERROR_CORRECT_M,
    "Q": ERROR_CORRECT_Q,
    "H": ERROR_CORRECT_H,
}
BASE32_ALPHABET = string.ascii_uppercase + "234567"

#: Degradation kinds produced by :func:`degraded_samples`, in round-robin order.
DEGRADATION_KINDS: tuple[str, ...] = (
    "mild",
    "small",
    "large",
    "perspective",
    "blur",
    "motion",
    "noise",
    "low-contrast",
    "glare",
    "combined",
)


def badge_payload(seed: int = 0) -> str:
    """Return a token shaped like the real badge: ``YZ1:`` + 156 base32 characters."""
    rng = random.Random(seed)
    return "YZ1:" + "".join(rng.choice(BASE32_ALPHABET) for _ in range(156))


def qr_image(
    text: str | bytes, ec: str = "Q", box: int = 10, border: int = 4, *, eci: str | None = None
) -> np.ndarray:
    """Render ``text`` as gray uint8 (0 = dark module, 255 = light), quiet zone included.

    ``bytes`` go into one byte-mode segment as they are, with no ECI (how many phones write
    Shift-JIS or Latin-1 text). ``eci``: encode ``text`` in that character set and say so with
    an ECI designator (rendered with segno, which python-qrcode cannot do).
    """
    if eci is not None:
        import segno  # a dev dependency: only the synthetic test set needs ECI

        sym = segno.make_qr(text, error=ec.lower(), encoding=eci, eci=True, boost_error=False)
        matrix = np.pad(np.array(sym.matrix, dtype=bool), border)
    else:
        qr = qrcode.QRCode(error_correction=_EC_LEVELS[ec.upper()], box_size=box, border=border)
        qr.add_data(text)
        qr.make(fit=True)
        matrix = np.array(qr.get_matrix(), dtype=bool)  # includes the border, True = dark
    img = np.where(matrix, 0, 255).astype(np.uint8)
    return np.kron(img, np.ones((box, box), dtype=np.uint8))


def symbol_side(qr: np.ndarray) -> int:
    """Side in pixels of the dark-module bounding box, i.e. the symbol without quiet zone."""
    ys, xs = np.nonzero(qr < 128)
    if len(xs) == 0:
        return max(qr.shape)
    return int(max(xs.max() - xs.min(), ys.max() - ys.min()) + 1)


def background(size: tuple[int, int], rng: np.random.Generator) -> Frame:
    """A plausible indoor scene: lit gradient, rectangles (furniture, posters), text, texture."""
    w, h = size
    ang = rng.uniform(0, 2 * math.pi)
    xs = np.arange(w, dtype=np.float32) * np.float32(math.cos(ang) / max(w, h))
    ys = np.arange(h, dtype=np.float32) * np.float32(math.sin(ang) / max(w, h))
    grad = ys[:, None] + xs[None, :]
    base = rng.uniform(60, 190, size=3).astype(np.float32)
    tilt = rng.uniform(-60, 60, size=3).astype(np.float32)
    img = base[None, None, :] + grad[..., None] * tilt[None, None, :]
    img = np.clip(img, 0, 255).astype(np.uint8)
    for _ in range(int(rng.integers(4, 12))):
        x0, y0 = int(rng.integers(-w // 4, w)), int(rng.integers(-h // 4, h))
        x1, y1 = x0 + int(rng.integers(w // 20, w // 2)), y0 + int(rng.integers(h // 20, h // 2))
        colour = [float(c) for c in rng.uniform(20, 235, size=3)]
        cv2.rectangle(img, (x0, y0), (x1, y1), colour, thickness=-1)
    for _ in range(int(rng.integers(2, 8))):
        text = "".join(rng.choice(list(string.ascii_letters + string.digits + " "), size=12))
        org = (int(rng.integers(0, w - 50)), int(rng.integers(20, h)))
        colour = [float(c) for c in rng.uniform(0, 255, size=3)]
        font_scale = float(rng.uniform(0.4, 2.0))
        cv2.putText(img, text, org, cv2.FONT_HERSHEY_SIMPLEX, font_scale, colour, 2, cv2.LINE_AA)
    for _ in range(int(rng.integers(0, 4))):
        p0 = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        p1 = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        colour = [float(c) for c in rng.uniform(0, 255, size=3)]
        cv2.line(img, p0, p1, colour, int(rng.integers(1, 6)), cv2.LINE_AA)
    soft = cv2.GaussianBlur(img, (0, 0), 1.0).astype(np.float32)
    soft += _gaussian_noise(rng, img.shape, 3.0)
    return np.clip(soft, 0, 255).astype(np.uint8)


def _gaussian_noise(rng: np.random.Generator, shape: tuple[int, ...], std: float) -> np.ndarray:
    """float32 noise from OpenCV's RNG (3x faster than numpy's), seeded from ``rng``."""
    noise = np.empty(shape, np.float32)
    cv2.setRNGSeed(int(rng.integers(0, 2**31)))
    cv2.randn(noise.reshape(shape[0], -1), 0.0, float(std))
    return noise


def _tilted_quad(
    side: float, center: tuple[float, float], angle: float, tilt: float, tilt_dir: float, f: float
) -> np.ndarray:
    """Corners of a square of ``side`` px rotated in-plane, tilted in 3-D and re-projected."""
    half = side / 2
    pts = np.array([[-half, -half, 0], [half, -half, 0], [half, half, 0], [-half, half, 0]], float)
    a = math.radians(angle)
    rz = np.array([[math.cos(a), -math.sin(a), 0], [math.sin(a), math.cos(a), 0], [0, 0, 1]])
    # Tilt about an in-plane axis at direction tilt_dir (Rodrigues' formula).
    axis = np.array([math.cos(tilt_dir), math.sin(tilt_dir), 0.0])
    t = math.radians(tilt)
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    rt = np.eye(3) + math.sin(t) * k + (1 - math.cos(t)) * (k @ k)
    p = pts @ rz.T @ rt.T
    z = f + p[:, 2]
    return np.stack([center[0] + f * p[:, 0] / z, center[1] + f * p[:, 1] / z], axis=1)


def camera_frame(
    qr: np.ndarray,
    size: tuple[int, int] = (1280, 720),
    scale: float = 0.35,
    angle: float = 0.0,
    perspective: float = 0.0,
    blur: float = 0.0,
    noise: float = 0.0,
    contrast: float = 1.0,
    glare: float = 0.0,
    seed: int = 0,
    *,
    motion_blur: float = 0.0,
    glare_radius: float = 0.18,
    shading: float = 0.0,
    jpeg_quality: int | None = None,
    inverted: bool = False,
) -> Frame:
    """Project ``qr`` (from :func:`qr_image`) into a BGR camera frame of ``size`` = (w, h).

    ``scale``: symbol side (quiet zone excluded) as a fraction of the frame height.
    ``angle``: in-plane rotation in degrees. ``perspective``: 3-D tilt in degrees.
    ``blur``: Gaussian sigma in px; ``motion_blur``: motion streak length in px.
    ``noise``: sensor noise std in grey levels. ``contrast``: 1 = full range, 0.3 = dim.
    ``glare``: 0-1 strength of a saturating highlight over the code, ``glare_radius`` its size
    relative to the symbol. ``shading``: 0-1 darkening ramp across the scene (uneven light).
    ``inverted``: light modules on a dark card (a phone screen in dark mode).
    """
    rng = np.random.default_rng(seed)
    img = background(size, rng).astype(np.float32)
    cx, cy, target_sym = paste_card(img, qr, scale, angle, perspective, rng, inverted=inverted)
    return degrade(
        img,
        rng,
        (cx, cy, target_sym),
        blur=blur,
        noise=noise,
        contrast=contrast,
        glare=glare,
        motion_blur=motion_blur,
        glare_radius=glare_radius,
        shading=shading,
        jpeg_quality=jpeg_quality,
    )


def paste_card(
    img: np.ndarray,
    qr: np.ndarray,
    scale: float,
    angle: float,
    perspective: float,
    rng: np.random.Generator,
    center: tuple[float, float] | None = None,
    inverted: bool = False,
) -> tuple[float, float, float]:
    """Composite ``qr`` on a card into float ``img`` in place; returns (cx, cy, symbol px)."""
    h, w = img.shape[:2]
    # White card around the code, pre-shrunk with INTER_AREA so warping does not alias.
    sym = symbol_side(qr)
    target_sym = max(scale * h, 8.0)
    k = target_sym / sym
    margin = int(qr.shape[0] * 0.15)
    card = cv2.copyMakeBorder(qr, margin, margin, margin, margin, cv2.BORDER_CONSTANT, value=255)
    if inverted:
        card = 255 - card
    card_side = max(round(card.shape[0] * k), 8)
    interp = cv2.INTER_AREA if k < 1 else cv2.INTER_LINEAR
    card = cv2.resize(card, (card_side, card_side), interpolation=interp).astype(np.float32)
    card = card * rng.uniform(0.85, 1.0)  # off-white paper

    f = 0.9 * w  # ~70 degree horizontal field of view, a typical webcam
    if center is None:
        reach = target_sym * 0.75  # keep the symbol itself inside the frame
        cx = rng.uniform(min(reach, w / 2), max(w - reach, w / 2))
        cy = rng.uniform(min(reach, h / 2), max(h - reach, h / 2))
    else:
        cx, cy = center
    tilt_dir = rng.uniform(0, math.pi)
    dst = _tilted_quad(card_side, (cx, cy), angle, perspective, tilt_dir, f).astype(np.float32)
    src = np.array([[0, 0], [card_side, 0], [card_side, card_side], [0, card_side]], np.float32)
    # Composite only inside the card's bounding box: full-frame float maths is the slow part.
    x0, y0 = np.floor(dst.min(axis=0)).astype(int)
    x1, y1 = np.ceil(dst.max(axis=0)).astype(int)
    x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1 + 1, w), min(y1 + 1, h)
    hom = cv2.getPerspectiveTransform(src, dst - np.array([x0, y0], np.float32))
    roi = (x1 - x0, y1 - y0)
    warped = cv2.warpPerspective(card, hom, roi, flags=cv2.INTER_LINEAR, borderValue=0)
    mask = cv2.warpPerspective(np.ones_like(card), hom, roi, flags=cv2.INTER_LINEAR)
    region = img[y0:y1, x0:x1]
    region += (warped[..., None] - region) * mask[..., None]
    return float(cx), float(cy), float(target_sym)


def degrade(
    img: np.ndarray,
    rng: np.random.Generator,
    code: tuple[float, float, float],
    *,
    blur: float = 0.0,
    noise: float = 0.0,
    contrast: float = 1.0,
    glare: float = 0.0,
    motion_blur: float = 0.0,
    glare_radius: float = 0.18,
    shading: float = 0.0,
    jpeg_quality: int | None = None,
) -> Frame:
    """Light, optics, sensor and compression on float ``img``; ``code`` = (cx, cy, side px)."""
    h, w = img.shape[:2]
    cx, cy, target_sym = code
    if shading > 0:  # uneven light: one side of the scene darker than the other
        a = rng.uniform(0, 2 * math.pi)
        xs = np.arange(w, dtype=np.float32) * np.float32(math.cos(a) / w)
        ys = np.arange(h, dtype=np.float32) * np.float32(math.sin(a) / h)
        ramp = ys[:, None] + xs[None, :]
        ramp -= ramp.min()
        ramp /= max(float(ramp.max()), 1e-6)
        img *= (1 - np.float32(shading) * ramp)[..., None]
    if contrast != 1.0:
        offset = rng.uniform(0, 255 * (1 - contrast)) if contrast < 1 else 0.0
        img *= np.float32(contrast)
        img += np.float32(offset)
    if glare > 0:
        gx, gy = cx + rng.uniform(-0.3, 0.3) * target_sym, cy + rng.uniform(-0.3, 0.3) * target_sym
        r = max(glare_radius * target_sym, 2.0)
        ratio = rng.uniform(0.5, 1.0)
        xs = ((np.arange(w, dtype=np.float32) - gx) / r) ** 2
        ys = ((np.arange(h, dtype=np.float32) - gy) / (r * ratio)) ** 2
        blob = np.exp(-(ys[:, None] + xs[None, :]))
        img += (np.float32(glare * 400.0) * blob)[..., None]
    np.clip(img, 0, 255, out=img)
    if blur > 0:
        img = cv2.GaussianBlur(img, (0, 0), blur)
    if motion_blur >= 1:
        n = round(motion_blur)
        kernel = np.zeros((n, n), np.float32)
        kernel[n // 2, :] = 1.0 / n
        rot = cv2.getRotationMatrix2D(((n - 1) / 2, (n - 1) / 2), rng.uniform(0, 180), 1.0)
        kernel = cv2.warpAffine(kernel, rot, (n, n))
        img = cv2.filter2D(img, -1, kernel / max(kernel.sum(), 1e-6))
    if noise > 0:
        img += _gaussian_noise(rng, img.shape, noise)
    out = np.clip(img, 0, 255).astype(np.uint8)
    if jpeg_quality is not None:
        ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, int(jpeg_quality)])
        if ok:
            out = cv2.imdecode(buf, cv2.IMREAD_COLOR)
    return out


@dataclass(frozen=True)
class DegradedSample:
    """One synthetic badge frame plus what was done to it (for per-kind reporting)."""

    frame: Frame = field(repr=False)
    kind: str
    params: dict[str, float]


def _params_for(kind: str, rng: np.random.Generator, modules: int, h: int) -> dict[str, float]:
    p: dict[str, float] = {
        "scale": rng.uniform(0.25, 0.5),
        "angle": rng.uniform(0, 360),
        "perspective": rng.uniform(0, 15),
        "blur": rng.uniform(0, 0.6),
        "noise": rng.uniform(0, 4),
        "contrast": rng.uniform(0.8, 1.0),
        "glare": 0.0,
        "glare_radius": 0.18,
        "shading": rng.uniform(0, 0.3),
        "motion_blur": 0.0,
        "jpeg_quality": float(rng.integers(70, 95)),
    }
    if kind == "small":
        p["scale"] = rng.uniform(0.18, 0.24)
    elif kind == "large":
        p["scale"] = rng.uniform(0.5, 0.6)
    elif kind == "perspective":
        p["perspective"] = rng.uniform(25, 40)
    elif kind == "noise":
        p["noise"] = rng.uniform(10, 22)
    elif kind == "low-contrast":
        p["contrast"] = rng.uniform(0.25, 0.45)
        p["shading"] = rng.uniform(0.3, 0.6)
    elif kind == "glare":
        p["glare"] = rng.uniform(0.6, 1.0)
        p["glare_radius"] = rng.uniform(0.15, 0.28)
    elif kind == "combined":
        p.update(
            scale=rng.uniform(0.22, 0.4),
            perspective=rng.uniform(10, 25),
            noise=rng.uniform(5, 10),
            contrast=rng.uniform(0.45, 0.7),
            jpeg_quality=float(rng.integers(50, 70)),
        )
    module_px = p["scale"] * h / modules
    if kind == "blur":
        p["blur"] = min(rng.uniform(0.3, 0.55) * module_px, 3.5)
    elif kind == "motion":
        p["motion_blur"] = min(rng.uniform(0.6, 1.2) * module_px, 8.0)
    elif kind == "combined":
        p["blur"] = min(0.25 * module_px, 2.0)
    return p


def degraded_samples(
    text: str, n: int = 200, size: tuple[int, int] = (1280, 720), seed: int = 0
) -> list[DegradedSample]:
    """``n`` frames of ``text`` spread round-robin over :data:`DEGRADATION_KINDS`."""
    qr = qr_image(text)
    modules = symbol_side(qr) // 10
    samples = []
    for i in range(n):
        kind = DEGRADATION_KINDS[i % len(DEGRADATION_KINDS)]
        rng = np.random.default_rng([seed, i])
        p = _params_for(kind, rng, modules, size[1])
        frame = camera_frame(
            qr,
            size=size,
            scale=p["scale"],
            angle=p["angle"],
            perspective=p["perspective"],
            blur=p["blur"],
            noise=p["noise"],
            contrast=p["contrast"],
            glare=p["glare"],
            seed=int(rng.integers(0, 2**31)),
            motion_blur=p["motion_blur"],
            glare_radius=p["glare_radius"],
            shading=p["shading"],
            jpeg_quality=int(p["jpeg_quality"]),
        )
        samples.append(DegradedSample(frame=frame, kind=kind, params=p))
    return samples


def idle_frames(n: int = 50, size: tuple[int, int] = (1280, 720), seed: int = 0) -> list[Frame]:
    """Scenes with no QR code: what the kiosk camera sees most of the day."""
    frames = []
    for i in range(n):
        rng = np.random.default_rng([seed, 10_000 + i])
        img = background(size, rng).astype(np.float32)
        img += _gaussian_noise(rng, img.shape, rng.uniform(1, 6))
        frames.append(np.clip(img, 0, 255).astype(np.uint8))
    return frames
