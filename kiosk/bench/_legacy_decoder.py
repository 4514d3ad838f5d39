"""A frozen copy of the live decoding pipeline as it was before issue 10 (commit 4826343).

Only the decode benchmark uses it: it is the baseline the live mode's idle-frame cost is held
to (within 10 %), measured in the same run on the same frames. It is not maintained: never
change it, and never use it outside the benchmark.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

from kiosk.devices.qr import to_gray

log = logging.getLogger(__name__)

_MIN_SIDE = 21


def _payload_text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _dedupe(codes: Any) -> list[str]:
    return list(dict.fromkeys(codes))


class LegacyKioskDecoder:
    """The live pipeline of commit 4826343, unchanged but for names."""

    def __init__(
        self,
        *,
        max_side: int = 1920,
        low_contrast_range: int = 40,
        max_candidates: int = 2,
        deep_scan: bool | None = None,
        deep_scan_max_pixels: int = 500_000,
    ) -> None:
        import cv2
        import zxingcpp
        from pyzbar import pyzbar
        from pyzbar.pyzbar import ZBarSymbol

        self._cv2 = cv2
        self._zx = zxingcpp
        self._pyzbar = pyzbar
        self._zbar_symbols = [ZBarSymbol.QRCODE]
        self._clahe = cv2.createCLAHE(clipLimit=3.0, tileGridSize=(8, 8))
        self.max_side = max_side
        self.low_contrast_range = low_contrast_range
        self.max_candidates = max_candidates
        self.deep_scan = deep_scan  # None = auto: only for frames up to deep_scan_max_pixels
        self.deep_scan_max_pixels = deep_scan_max_pixels
        #: Which stage produced the last result ("zxing", "roi-sharpen", ...); for the benchmark.
        self.last_stage: str | None = None
        #: Symbols the last call located but could not read (a blurred badge, say); the scan
        #: loop's motion gate keeps decoding every frame while this is non-zero.
        self.last_located = 0

    def decode(self, frame: Any) -> list[str]:
        self.last_stage = None
        self.last_located = 0
        gray = to_gray(frame)
        if gray is None:
            return []
        try:
            return self._pipeline(gray)
        except Exception:
            log.warning("QR pipeline failed on a %s frame", gray.shape, exc_info=True)
            return []

    def _pipeline(self, gray: np.ndarray) -> list[str]:
        cv2 = self._cv2
        h, w = gray.shape
        if max(h, w) > self.max_side:  # 4K cameras: cost grows with pixels, codes stay big
            k = self.max_side / max(h, w)
            gray = cv2.resize(gray, (int(w * k), int(h * k)), interpolation=cv2.INTER_AREA)

        codes, located = self._zxing(gray)
        self.last_located = len(located)
        if codes:
            self.last_stage = "zxing"
            return codes
        for quad in located[: self.max_candidates]:
            codes = self._rescue_roi(gray, quad)
            if codes:
                return codes
        if self._is_low_contrast(gray):
            codes, more = self._zxing(self._clahe.apply(gray))
            self.last_located += len(more)
            if codes:
                self.last_stage = "clahe"
                return codes
        deep = self.deep_scan
        if deep is None:
            deep = gray.size <= self.deep_scan_max_pixels
        if deep and not located:
            # Upscaled for small codes, so zxing's own downscaled pyramid would be wasted work.
            codes, more = self._zxing(self._upsharpen(gray), downscale=False)
            self.last_located += len(more)
            if codes:
                self.last_stage = "deep"
                return codes
        return []

    def _zxing(
        self, gray: np.ndarray, downscale: bool = True
    ) -> tuple[list[str], list[np.ndarray]]:
        """Valid payloads, plus corner quads of symbols located but not decoded."""
        found = self._zx.read_barcodes(
            gray,
            formats=self._zx.BarcodeFormat.QRCode,
            try_invert=False,
            try_downscale=downscale,
            return_errors=True,
        )
        codes = _dedupe(_payload_text(b.bytes) for b in found if b.valid)
        located = [_quad(b.position) for b in found if not b.valid]
        return codes, located

    def _rescue_roi(self, gray: np.ndarray, quad: np.ndarray) -> list[str]:
        cv2 = self._cv2
        crop = _crop_around(gray, quad, pad=0.25)
        if crop is None:
            return []
        factor = 2.0 if max(crop.shape) < 900 else 1.0
        big = cv2.resize(crop, None, fx=factor, fy=factor, interpolation=cv2.INTER_LINEAR)
        for stage, img in (
            ("roi-sharpen", _unsharp(big, 1.25 * factor, 1.5)),
            ("roi-sharpen-strong", _unsharp(big, 2.0 * factor, 2.5)),
        ):
            codes, _ = self._zxing(img)
            if codes:
                self.last_stage = stage
                return codes
        sharp = _unsharp(big, 1.25 * factor, 1.5)
        zbar = self._pyzbar.decode(sharp, symbols=self._zbar_symbols)
        if zbar:
            self.last_stage = "roi-pyzbar"
            return _dedupe(_payload_text(r.data) for r in zbar)
        codes, _ = self._zxing(self._clahe.apply(big))
        if codes:
            self.last_stage = "roi-clahe"
        return codes

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
    if xb - xa < _MIN_SIDE or yb - ya < _MIN_SIDE:
        return None
    return np.ascontiguousarray(gray[ya:yb, xa:xb])


def _unsharp(gray: np.ndarray, sigma: float, amount: float) -> np.ndarray:
    """Unsharp mask: undoes part of a defocus blur, the commonest webcam failure."""
    import cv2

    soft = cv2.GaussianBlur(gray, (0, 0), sigma)
    return cv2.addWeighted(gray, 1 + amount, soft, -amount, 0)
