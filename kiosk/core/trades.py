"""The trades (工种) a station serves; anonymous visits are counted by trade."""

from __future__ import annotations

from enum import StrEnum

from kiosk.core.i18n import QT_TRANSLATE_NOOP, Translate, untranslated


class Trade(StrEnum):
    SANITATION = "环卫"
    MUNICIPAL = "市政"
    GREENING = "绿化"
    RIVER = "河道"
    PARKING = "停车"
    ENFORCEMENT = "执法"
    TRAFFIC_POLICE = "交警"
    DELIVERY = "快递外卖"
    OTHER = "其他"

    def label(self, translate: Translate = untranslated) -> str:
        return translate("Trade", _LABELS[self])


_LABELS = {
    Trade.SANITATION: QT_TRANSLATE_NOOP("Trade", "环卫"),
    Trade.MUNICIPAL: QT_TRANSLATE_NOOP("Trade", "市政"),
    Trade.GREENING: QT_TRANSLATE_NOOP("Trade", "绿化"),
    Trade.RIVER: QT_TRANSLATE_NOOP("Trade", "河道"),
    Trade.PARKING: QT_TRANSLATE_NOOP("Trade", "停车"),
    Trade.ENFORCEMENT: QT_TRANSLATE_NOOP("Trade", "执法"),
    Trade.TRAFFIC_POLICE: QT_TRANSLATE_NOOP("Trade", "交警"),
    Trade.DELIVERY: QT_TRANSLATE_NOOP("Trade", "快递外卖"),
    Trade.OTHER: QT_TRANSLATE_NOOP("Trade", "其他"),
}


def parse_trade(text: str) -> Trade:
    """Accepts the Chinese name or the English member name (case-insensitive)."""
    value = text.strip()
    for trade in Trade:
        if value == trade.value or value.upper() == trade.name:
            return trade
    raise ValueError(
        f"unknown trade {text!r}; expected one of: {', '.join(t.value for t in Trade)}"
    )
