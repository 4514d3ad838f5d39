"""The stylesheet: ``resources/styles/kiosk.qss`` with sizes scaled to the screen.

Sizes are designed for 1280×800 and scaled by the shorter side relative to that, so text
stays readable from 1.5 m on a 10" tablet and does not grow silly on a 24" monitor.
"""

from __future__ import annotations

import functools
import re

from PySide6.QtGui import QFont, QGuiApplication

from kiosk.resources import resource

PALETTE = {
    "paper": "#F4EFE6",
    "card": "#FFFFFF",
    "ink": "#1A1A1A",
    "muted": "#4D4D4D",
    "line": "#C9C1B3",
    "pressed": "#E2DACB",
    "primary": "#0B4F8A",
    "primary_dark": "#083A66",
    "primary_deep": "#06335C",
    "accent": "#C8471A",
    "accent_dark": "#9E3612",
    "green": "#1E6F3E",
    "red": "#B3121F",
    "red_soft": "#FBE3E3",
    "warn_bg": "#FCE7C2",
    "warn_ink": "#4A2400",
    "party_red": "#C8102E",
    "party_gold": "#FFDE00",
    "sync_ink": "#D6E4F0",
    "preview_bg": "#1C2B3A",
}

_BASE_SIZES = {  # px at scale 1.0 (1280×800)
    "hero": 132,
    "greet": 84,
    "h1": 64,
    "h2": 40,
    "body": 30,
    "small": 24,
    "tile": 36,
    "key": 40,
    "touch": 88,
    "pad": 24,
    "pad_s": 12,
    "radius": 14,
    "radius_l": 22,
}
MIN_TOUCH = 72
FONT_FAMILIES = ["Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC"]
_VAR = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def scale_for(width: int, height: int) -> float:
    """1.0 at 1280×800; portrait screens use their short side against 800."""
    long_side, short_side = max(width, height), min(width, height)
    scale = min(long_side / 1280, short_side / 800)
    if height > width:
        scale *= 0.9
    return round(max(0.55, min(scale, 2.0)), 2)


def sizes(scale: float) -> dict[str, int]:
    out = {k: max(1, round(v * scale)) for k, v in _BASE_SIZES.items()}
    out["touch"] = max(out["touch"], MIN_TOUCH)
    return out


@functools.cache
def _template() -> str:
    return resource("styles", "kiosk.qss").read_text(encoding="utf-8")


def render(template: str, variables: dict[str, object]) -> str:
    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in variables:
            raise KeyError(f"stylesheet variable {{{{ {name} }}}} is not defined")
        return str(variables[name])

    return _VAR.sub(sub, template)


def stylesheet(scale: float) -> str:
    return render(_template(), {**PALETTE, **sizes(scale)})


def apply_app_font(app: QGuiApplication) -> None:
    """A CJK-capable family first, so Chinese never falls back to boxes."""
    font = QFont(app.font())
    font.setFamilies(FONT_FAMILIES)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    app.setFont(font)
