"""The production QR pipeline, :class:`KioskDecoder` (the Protocol it implements and the
text rules: ``qr.py``; the single-library baselines: ``baseline_decoders.py``). The caller
picks one of two modes (:class:`DecodeMode`):

**live** (the camera scan loop; the default). Idle frames are most of the kiosk's day, so the
cost of an empty frame must stay where it is; ``python -m kiosk.bench decode`` measures it
against a frozen copy of the previous pipeline. From those measurements:

1. zxing-cpp on the grayscale frame, QR only, with ``return_errors=True`` and no inversion.
   This single pass is both the decoder and the "anything QR-like?" pre-check: on an idle
   frame it costs ~2 ms at 720p (pyzbar: ~50 ms), and a symbol it located but could not read
   comes back as an error result with a position. A separate pre-check would cost as much.
2. Only for such located-but-unread symbols: crop around the symbol, upscale x2, unsharp-mask
   (defocus is the main failure) and retry zxing (this time also inverted, light-on-dark),
   then pyzbar, then CLAHE. The crop is small, so this is cheap and idle frames never pay.
3. Only for very low-contrast frames (the 2nd-98th percentile grey range under
   ``low_contrast_range`` = 40): a CLAHE pass on the whole frame. In a sweep of 350 badge
   frames at contrast 0.05-0.45 this pass rescued codes only when that range was <= 20.
4. Only for low-resolution frames (<= 0.5 MP, e.g. 640x480) when nothing was located: a x2
   upscaled + sharpened full-frame pass ("deep scan"), where a far-away badge has < 2 px per
   module and zxing cannot even locate it (~8 ms per idle 640x480 frame; skipped at 720p).

**still** (``kiosk decode``, ``kiosk scan-image``, anything a keeper imports: whatever photo a
worker sent). Spend what it takes and report every distinct code found: zxing-cpp with
inversion, 90/180/270 rotation and its downscaled pyramid at full resolution; pyzbar on a copy
of at most 2048 px; then, when nothing was read or zxing located a symbol it could not read,
the preprocessing stages (ROI rescue of every located symbol, CLAHE, sharpening, smoothing of
JPEG/moire noise, a global binarizer, enlargement of small images, pyzbar on the enhanced
images). No stage that locates nothing ends the search.

Decoders never raise on odd input: empty, tiny, wrong-dtype or garbage frames give ``[]``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np

from kiosk.devices.frames import Frame
from kiosk.devices.qr import MIN_SIDE, QrDecoder, barcode_text, dedupe, to_gray, zbar_text
from kiosk.images import PHOTO_PIXELS, BadImage, check_size

log = logging.getLogger(__name__)


class DecodeMode(StrEnum):
    """How hard :class:`KioskDecoder` tries: camera frames (cheap) or still images (thorough)."""

    LIVE = "live"
    STILL = "still"


class DecodeError(Exception):
    """An image file could not be read for decoding."""


class KioskDecoder:
    """The production pipeline described in the module docstring, in either mode."""

    def __init__(
        self,
        mode: DecodeMode | str = DecodeMode.LIVE,
        *,
        max_side: int | None = None,
        low_contrast_range: int = 40,
        max_candidates: int | None = None,
        deep_scan: bool | None = None,
        deep_scan_max_pixels: int = 500_000,
    ) -> None:
        import cv2
        import zxingcpp
        from pyzbar import pyzbar
        from pyzbar.pyzbar import ZBarSymbol

        self.mode = DecodeMode(mode)
        still = self.mode is DecodeMode.STILL
        self._cv2 = cv2
        self._zx = zxingcpp
        self._pyzbar = pyzbar
        self._zbar_symbols = [ZBarSymbol.QRCODE]
        self._clahe = cv2.createCLAHE(clipLimit=3.0, tileGridSize=(8, 8))
        #: Longer sides are shrunk first (4K cameras: cost grows with pixels, codes stay big).
        #: Still images keep up to 4096 px for zxing and pyzbar; the preprocessing stages work
        #: on a copy of at most ``work_side`` px.
        self.max_side = max_side or (4096 if still else 1920)
        self.work_side = 2048
        self.low_contrast_range = low_contrast_range
        self.max_candidates = max_candidates or (8 if still else 2)
        self.deep_scan = deep_scan  # None = auto: only for frames up to deep_scan_max_pixels
        self.deep_scan_max_pixels = deep_scan_max_pixels
        #: Which stage produced the last result's first code ("zxing", "roi-sharpen", ...).
        self.last_stage: str | None = None
        #: Every code of the last result and the stage that found it; for the benchmark.
        self.last_stages: dict[str, str] = {}
        #: Symbols the last call located but could not read (a blurred badge, say); the scan
        #: loop's motion gate keeps decoding every frame while this is non-zero.
        self.last_located = 0
        self._read_quads: list[np.ndarray] = []

    def decode(self, frame: Frame) -> list[str]:
        self.last_stage = None
        self.last_stages = {}
        self.last_located = 0
        self._read_quads = []
        gray = to_gray(frame)
        if gray is None:
            return []
        try:
            gray = self._shrink(gray, self.max_side)
            if self.mode is DecodeMode.STILL:
                self._still(gray)
            else:
                self._live(gray)
        except Exception:
            log.warning("QR pipeline failed on a %s frame", gray.shape, exc_info=True)
        codes = list(self.last_stages)
        self.last_stage = self.last_stages[codes[0]] if codes else None
        return codes

    def _found(self, codes: Iterable[str], stage: str) -> bool:
        """Record ``codes`` under ``stage`` (first finder wins); True if any was new."""
        new = False
        for code in codes:
            if code not in self.last_stages:
                self.last_stages[code] = stage
                new = True
        return new

    # -- live -------------------------------------------------------------------------------

    def _live(self, gray: np.ndarray) -> None:
        codes, located = self._zxing(gray)
        self.last_located = len(located)
        if self._found(codes, "zxing"):
            return
        for quad in located[: self.max_candidates]:
            if self._rescue_roi(gray, quad):
                return
        if self._is_low_contrast(gray):
            codes, more = self._zxing(self._clahe.apply(gray))
            self.last_located += len(more)
            if self._found(codes, "clahe"):
                return
        deep = self.deep_scan
        if deep is None:
            deep = gray.size <= self.deep_scan_max_pixels
        if deep and not located:
            # Upscaled for small codes, so zxing's own downscaled pyramid would be wasted work.
            codes, more = self._zxing(self._upsharpen(gray), downscale=False)
            self.last_located += len(more)
            self._found(codes, "deep")

    # -- still ------------------------------------------------------------------------------

    def _still(self, gray: np.ndarray) -> None:
        cv2 = self._cv2
        codes, located = self._zxing(gray, invert=True, track=1.0)
        self.last_located = len(located)
        self._found(codes, "zxing")
        # zxing searched the full resolution; zbar gets the <= 2048 px copy (on a 12 MP photo
        # it would cost ~0.5-1 s).
        work = self._shrink(gray, self.work_side)
        k = gray.shape[0] / work.shape[0]  # work -> gray coordinates
        self._found(self._zbar_new(work, gray), "pyzbar")
        if self.last_stages and not located:
            return  # everything zxing saw was read: the thorough stages would find no more
        for quad in located[: self.max_candidates]:
            if self._rescue_roi(gray, quad, stop_early=False):
                self._read_quads.append(quad)
        if work is not gray:
            codes, _ = self._zxing(work, invert=True, track=k)
            self._found(codes, "zxing-small")
        clahe = self._clahe.apply(work)
        smooth = cv2.GaussianBlur(work, (0, 0), max(1.0, work.shape[0] / 1000))
        sharp = _unsharp(work, 1.5, 1.5)
        strong = _unsharp(work, max(2.0, max(work.shape) / 400), 3.0)  # heavy defocus
        for stage, img in (
            ("clahe", clahe),
            ("smooth", smooth),
            ("sharpen", sharp),
            ("sharpen-strong", strong),
        ):
            codes, more = self._zxing(img, invert=True, track=k)
            self._found(codes, stage)
            for quad in more[: self.max_candidates]:  # located only after enhancement
                if self._rescue_roi(img, quad, stop_early=False):
                    self._read_quads.append(quad * k)
        codes, _ = self._zxing(
            work, invert=True, binarizer=self._zx.Binarizer.GlobalHistogram, track=k
        )
        self._found(codes, "global-binarizer")
        if work.size <= 2 * self.deep_scan_max_pixels:
            big = self._upsharpen(work)
            codes, _ = self._zxing(big, invert=True, downscale=False, track=k / 2)
            self._found(codes, "deep")
        for stage, img in (("clahe-pyzbar", clahe), ("smooth-pyzbar", smooth)):
            self._found(self._zbar_new(img, gray), stage)
            self._found(self._zbar_new(255 - img, gray), stage + "-inverted")

    # -- shared stages ----------------------------------------------------------------------

    def _shrink(self, gray: np.ndarray, side: int) -> np.ndarray:
        h, w = gray.shape
        if max(h, w) <= side:
            return gray
        k = side / max(h, w)
        return self._cv2.resize(gray, (int(w * k), int(h * k)), interpolation=self._cv2.INTER_AREA)

    def _zxing(
        self,
        gray: np.ndarray,
        downscale: bool = True,
        invert: bool = False,
        binarizer: Any = None,
        track: float | None = None,
    ) -> tuple[list[str], list[np.ndarray]]:
        """Valid payloads, plus corner quads of symbols located but not decoded.

        ``track``: remember where the symbols read are (x ``track``, in the coordinates of the
        image ``decode`` got), so zbar's reading of the same symbols is skipped.
        """
        zx = self._zx
        found = zx.read_barcodes(
            gray,
            formats=zx.BarcodeFormat.QRCode,
            try_invert=invert,
            try_downscale=downscale,
            text_mode=zx.TextMode.Plain,
            binarizer=zx.Binarizer.LocalAverage if binarizer is None else binarizer,
            return_errors=True,
        )
        codes = dedupe(barcode_text(b) for b in found if b.valid)
        located = [_quad(b.position) for b in found if not b.valid]
        if track is not None:
            self._read_quads.extend(_quad(b.position) * track for b in found if b.valid)
        return codes, located

    def _zbar(self, gray: np.ndarray) -> list[str]:
        return dedupe(
            zbar_text(r.data) for r in self._pyzbar.decode(gray, symbols=self._zbar_symbols)
        )

    def _zbar_new(self, img: np.ndarray, gray: np.ndarray) -> list[str]:
        """zbar's codes in ``img`` (``gray`` resized or enhanced) that zxing did not read.

        A symbol zxing read already is skipped by position, not by text: zbar's charset guess
        can differ from zxing's (ECI it ignores). A new one is re-read by zxing on a crop
        around zbar's outline where it can, so its text is zxing's.
        """
        k = gray.shape[0] / img.shape[0]
        codes = []
        for r in self._pyzbar.decode(img, symbols=self._zbar_symbols):
            quad = np.array([[p.x, p.y] for p in r.polygon], dtype=np.float32) * k
            if len(quad) == 0:
                continue
            cx, cy = (float(v) for v in quad.mean(axis=0))
            if any(self._cv2.pointPolygonTest(q, (cx, cy), False) >= 0 for q in self._read_quads):
                continue
            crop = _crop_around(gray, quad, pad=0.25)
            again = self._zxing(crop, invert=True)[0] if crop is not None else []
            codes.extend(again or [zbar_text(r.data)])
            self._read_quads.append(quad)
        return dedupe(codes)

    def _rescue_roi(self, gray: np.ndarray, quad: np.ndarray, stop_early: bool = True) -> bool:
        """Retry one located-but-unread symbol on an enlarged, enhanced crop; True if read."""
        cv2 = self._cv2
        crop = _crop_around(gray, quad, pad=0.25)
        if crop is None:
            return False
        factor = 2.0 if max(crop.shape) < 900 else 1.0
        big = cv2.resize(crop, None, fx=factor, fy=factor, interpolation=cv2.INTER_LINEAR)
        sharp = _unsharp(big, 1.25 * factor, 1.5)
        read = False
        # Inversion (a light-on-dark symbol) costs a second pass on the crop only.
        for stage, img, invert in (
            ("roi-sharpen", sharp, True),
            ("roi-sharpen-strong", _unsharp(big, 2.0 * factor, 2.5), False),
        ):
            codes, _ = self._zxing(img, invert=invert)
            read |= self._found(codes, stage)
            if read and stop_early:
                return True
        for stage, img in (("roi-pyzbar", sharp), ("roi-pyzbar-inverted", 255 - sharp)):
            read |= self._found(self._zbar(img), stage)
            if read and stop_early:
                return True
        codes, _ = self._zxing(self._clahe.apply(big), invert=True)
        return self._found(codes, "roi-clahe") or read

    def _is_low_contrast(self, gray: np.ndarray) -> bool:
        # The 2nd-98th percentile grey range of a 1/64 sample, read off its histogram:
        # ~0.07 ms at 720p where np.percentile (a sort) took ~0.4-0.7 ms.
        counts = np.bincount(gray[::8, ::8].ravel(), minlength=256).cumsum()
        lo, hi = np.searchsorted(counts, (0.02 * counts[-1], 0.98 * counts[-1]))
        return int(hi - lo) < self.low_contrast_range

    def _upsharpen(self, gray: np.ndarray) -> np.ndarray:
        cv2 = self._cv2
        big = cv2.resize(gray, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_LINEAR)
        return _unsharp(big, 2.5, 1.5)


def _quad(position: Any) -> np.ndarray:
    corners = (position.top_left, position.top_right, position.bottom_right, position.bottom_left)
    return np.array([[p.x, p.y] for p in corners], dtype=np.float32)


def _crop_around(gray: np.ndarray, quad: np.ndarray, pad: float) -> np.ndarray | None:
    """Axis-aligned crop of the quad's bounding box grown by ``pad`` x its size on each side."""
    x0, y0 = quad.min(axis=0)
    x1, y1 = quad.max(axis=0)
    side = max(x1 - x0, y1 - y0, 1.0)
    h, w = gray.shape
    xa, ya = max(int(x0 - pad * side), 0), max(int(y0 - pad * side), 0)
    xb, yb = min(int(x1 + pad * side) + 1, w), min(int(y1 + pad * side) + 1, h)
    if xb - xa < MIN_SIDE or yb - ya < MIN_SIDE:
        return None
    return np.ascontiguousarray(gray[ya:yb, xa:xb])


def _unsharp(gray: np.ndarray, sigma: float, amount: float) -> np.ndarray:
    """Unsharp mask: undoes part of a defocus blur, the commonest webcam failure."""
    import cv2

    soft = cv2.GaussianBlur(gray, (0, 0), sigma)
    return cv2.addWeighted(gray, 1 + amount, soft, -amount, 0)


def decode_image_file(path: str | Path, decoder: QrDecoder | None = None) -> list[str]:
    """Decode every QR code in an image file (png/jpg/webp/bmp); raises DecodeError if unreadable.

    Without ``decoder`` a still-image :class:`KioskDecoder` is used.
    """
    import cv2

    p = Path(path)
    if not p.is_file():
        raise DecodeError(f"no such image file: {p}")
    try:
        check_size(p, PHOTO_PIXELS)  # OpenCV would allocate whatever the header claims
    except BadImage as e:
        raise DecodeError(f"bad image: {e}") from None
    image = cv2.imread(str(p), cv2.IMREAD_COLOR)
    if image is None:
        raise DecodeError(f"cannot read {p} as an image (corrupt or unsupported format)")
    return (decoder or KioskDecoder(DecodeMode.STILL)).decode(image)
