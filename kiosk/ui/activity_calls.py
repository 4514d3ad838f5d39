"""Station calls of the activity screens: a refusal comes back as :class:`Failed`, in Chinese.

The station's refusals are English (they are the CLI's too); ``REFUSALS`` says them in
Chinese for the screen (``tests/ui/test_activity_screens.py`` checks the core still words them
so). Anything unexpected is logged and becomes a plain "not recorded": the transaction rolled
back, so nothing was half-written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication

from kiosk.core.errors import StationError

log = logging.getLogger(__name__)


def tr(text: str) -> str:
    """The activity flows' own texts (context ``ActivityFlow``)."""
    return QCoreApplication.translate("ActivityFlow", text)


REFUSALS = (
    ("not open yet", "签到还没开始"),
    ("has closed", "签到已经结束"),
    ("is ended", "活动已经结束"),
    ("is cancelled", "活动已经取消"),
    ("is archived", "活动已经归档"),
    ("end it instead", "已有人签到，不能取消，请点“结束活动”"),
    ("end has passed", "活动时间已过，请点“结束活动”"),
    ("already signed out", "此人已经签退"),
    ("longer than", "写得太长了，请简短一些"),
    ("is required", "请把必填的内容填上"),
    ("phone tail", "手机尾号要 4 位数字，也可以不填"),
    ("no active person", "名单里没有这个人，请用“来宾登记”"),
)


@dataclass(frozen=True)
class Failed:
    """A station call that recorded nothing; ``message`` is for the person at the screen."""

    message: str


def attempt(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``fn(station)`` on the DB thread, its refusal turned into :class:`Failed`."""

    def run(station: Any) -> Any:
        try:
            return fn(station)
        except StationError as e:
            log.info("activity call refused: %s", e)
            text = str(e)
            for needle, chinese in REFUSALS:
                if needle in text:
                    return Failed(tr(chinese))
            return Failed(tr("没有记上：请检查后再试，或找站长"))
        except Exception:  # logged; nothing was committed (the transaction rolled back)
            log.exception("activity call failed")
            return Failed(tr("没有记上，请再试一次，或找站长"))

    return run
