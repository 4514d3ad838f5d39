"""Single-library QR decoders, the baselines ``python -m kiosk.bench decode`` measures the
production pipeline (:class:`kiosk.devices.decoding.KioskDecoder`) against."""

from __future__ import annotations

import logging

from kiosk.devices.frames import Frame
from kiosk.devices.qr import barcode_text, dedupe, payload_text, to_gray

log = logging.getLogger(__name__)


class PyzbarDecoder:
    """The raw baseline: grayscale, then zbar restricted to QR (all symbologies is ~3.5x slower)."""

    def __init__(self) -> None:
        from pyzbar import pyzbar
        from pyzbar.pyzbar import ZBarSymbol

        self._decode = pyzbar.decode
        self._symbols = [ZBarSymbol.QRCODE]

    def decode(self, frame: Frame) -> list[str]:
        gray = to_gray(frame)
        if gray is None:
            return []
        try:
            return dedupe(payload_text(r.data) for r in self._decode(gray, symbols=self._symbols))
        except Exception:  # zbar on garbage input must not take down the scan loop
            log.warning("pyzbar failed on a %s frame", gray.shape, exc_info=True)
            return []


class ZxingDecoder:
    """zxing-cpp alone with the library's defaults (inversion, rotation, downscaling), QR only."""

    def __init__(self) -> None:
        import zxingcpp

        self._zx = zxingcpp

    def decode(self, frame: Frame) -> list[str]:
        gray = to_gray(frame)
        if gray is None:
            return []
        try:
            found = self._zx.read_barcodes(
                gray, formats=self._zx.BarcodeFormat.QRCode, text_mode=self._zx.TextMode.Plain
            )
        except Exception:
            log.warning("zxing-cpp failed on a %s frame", gray.shape, exc_info=True)
            return []
        return dedupe(barcode_text(b) for b in found if b.valid)


class OpenCvDecoder:
    """OpenCV's QR detector and decoder alone (ArUco-based where the build has it): a baseline."""

    def __init__(self) -> None:
        import cv2

        maker = getattr(cv2, "QRCodeDetectorAruco", None) or cv2.QRCodeDetector
        self._det = maker()

    def decode(self, frame: Frame) -> list[str]:
        gray = to_gray(frame)
        if gray is None:
            return []
        try:
            ok, texts, _points, _straight = self._det.detectAndDecodeMulti(gray)
        except Exception as exc:  # asserts on some inputs; raises on non-UTF-8 payloads
            log.debug("OpenCV failed on a %s frame: %r", gray.shape, exc)
            return []
        return list(dict.fromkeys(t for t in (texts if ok else ()) if t))
