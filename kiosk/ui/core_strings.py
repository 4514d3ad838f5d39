"""Marks the core's ScanMessages strings for ``pyside6-lupdate``, which cannot see them.

``kiosk.core.messages`` passes its context as a variable (``_CTX``) and renders templates
through ``translate(_CTX, ...)``; lupdate only extracts literal contexts. Until the core marks
them with literal ``QT_TRANSLATE_NOOP("ScanMessages", ...)``, this list is lupdate's input;
``tests/ui/test_i18n.py`` checks that every string here is one the core really uses.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

SCAN_MESSAGES = (
    QT_TRANSLATE_NOOP("ScanMessages", "这不是驿站工牌，请出示工牌上的二维码"),
    QT_TRANSLATE_NOOP("ScanMessages", "工牌无法识别，请找站长补办工牌"),
    QT_TRANSLATE_NOOP("ScanMessages", "工牌校验未通过，请找站长核实"),
    QT_TRANSLATE_NOOP("ScanMessages", "工牌已过期，请找站长补办工牌"),
    QT_TRANSLATE_NOOP("ScanMessages", "这张工牌已停用，请找站长补办工牌"),
    QT_TRANSLATE_NOOP("ScanMessages", "您的登记已停用，请找站长核实"),
    QT_TRANSLATE_NOOP("ScanMessages", "师傅"),
    QT_TRANSLATE_NOOP("ScanMessages", "{surname}师傅"),
    QT_TRANSLATE_NOOP("ScanMessages", "师傅，欢迎回家！"),
    QT_TRANSLATE_NOOP("ScanMessages", "{who}，欢迎回家！"),
    QT_TRANSLATE_NOOP("ScanMessages", "{who}，您已签到，好好歇一歇"),
    QT_TRANSLATE_NOOP("ScanMessages", "{who}，辛苦了！本次休息 {minutes} 分钟"),
    QT_TRANSLATE_NOOP("ScanMessages", "{who}，您已签退，路上注意安全"),
)
