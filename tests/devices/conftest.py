"""Shared fixtures for the device-layer tests: real QR badges rendered by ``qrcode``."""

from __future__ import annotations

import numpy as np
import pytest

from kiosk.devices.decoding import KioskDecoder
from kiosk.devices.synthetic import badge_payload, camera_frame, idle_frames, qr_image


@pytest.fixture(scope="session")
def payload() -> str:
    return badge_payload(7)


@pytest.fixture(scope="session")
def badge_qr(payload: str) -> np.ndarray:
    return qr_image(payload)


@pytest.fixture(scope="session")
def badge_frame(badge_qr: np.ndarray) -> np.ndarray:
    """A mildly degraded 640x480 camera frame with the badge in view."""
    return camera_frame(
        badge_qr, size=(640, 480), scale=0.45, angle=17, perspective=10, noise=3, seed=1
    )


@pytest.fixture(scope="session")
def idle_frame() -> np.ndarray:
    return idle_frames(1, size=(640, 480), seed=3)[0]


@pytest.fixture(scope="session")
def decoder() -> KioskDecoder:
    return KioskDecoder()
