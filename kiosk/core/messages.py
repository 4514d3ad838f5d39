"""The words a worker reads after a scan, in one place for the screen and the CLI.

Every string is marked with a literal ``QT_TRANSLATE_NOOP("ScanMessages", …)`` so that
``pyside6-lupdate`` extracts it (it cannot read a context held in a variable); the UI passes
``QCoreApplication.translate`` as ``translate``, the CLI the identity.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from kiosk.core.activities.views import SignInOutcome, SignInResult
from kiosk.core.i18n import QT_TRANSLATE_NOOP, Translate, untranslated
from kiosk.core.results import BadgeProblem, Greeting, Outcome, ScanResult

_CTX = "ScanMessages"

# Two-character surnames, so 欧阳娜娜 is 欧阳师傅 and not 欧师傅.
_COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 夏侯 轩辕 令狐 宇文 司徒 "
    "澹台 端木 独孤 南宫 西门 申屠 钟离 闻人 呼延 万俟 赫连 第五".split()
)

REFUSALS: dict[str, str] = {
    BadgeProblem.NOT_A_BADGE: QT_TRANSLATE_NOOP(
        "ScanMessages", "这不是驿站工牌，请出示工牌上的二维码"
    ),
    BadgeProblem.MALFORMED: QT_TRANSLATE_NOOP("ScanMessages", "工牌无法识别，请找站长补办工牌"),
    BadgeProblem.BAD_SIGNATURE: QT_TRANSLATE_NOOP("ScanMessages", "工牌校验未通过，请找站长核实"),
    BadgeProblem.EXPIRED: QT_TRANSLATE_NOOP("ScanMessages", "工牌已过期，请找站长补办工牌"),
    BadgeProblem.REVOKED: QT_TRANSLATE_NOOP("ScanMessages", "这张工牌已停用，请找站长补办工牌"),
    BadgeProblem.PERSON_INACTIVE: QT_TRANSLATE_NOOP("ScanMessages", "您的登记已停用，请找站长核实"),
}


_TEXT = {
    "master": QT_TRANSLATE_NOOP("ScanMessages", "师傅"),
    "surname_master": QT_TRANSLATE_NOOP("ScanMessages", "{surname}师傅"),
    "welcome_anonymous": QT_TRANSLATE_NOOP("ScanMessages", "师傅，欢迎回家！"),
    "welcome": QT_TRANSLATE_NOOP("ScanMessages", "{who}，欢迎回家！"),
    "already_in": QT_TRANSLATE_NOOP("ScanMessages", "{who}，您已签到，好好歇一歇"),
    "checked_out": QT_TRANSLATE_NOOP("ScanMessages", "{who}，辛苦了！本次休息 {minutes} 分钟"),
    "already_out": QT_TRANSLATE_NOOP("ScanMessages", "{who}，您已签退，路上注意安全"),
}


def surname(name: str) -> str:
    return name[:2] if name[:2] in _COMPOUND_SURNAMES else name[:1]


def salutation(result: ScanResult, full_name: bool, translate: Translate = untranslated) -> str:
    """张师傅 (or the full name), or a warm generic 师傅 when we do not know the name."""
    if result.person is None:
        return translate(_CTX, _TEXT["master"])
    if full_name:
        return result.person.name
    return translate(_CTX, _TEXT["surname_master"]).format(surname=surname(result.person.name))


def rest_minutes(result: ScanResult) -> int:
    return max(1, round((result.rest_seconds or 0) / 60))


def describe(
    result: ScanResult, *, full_name: bool = False, translate: Translate = untranslated
) -> str:
    """The headline the greeting screen shows for ``result``."""
    who = salutation(result, full_name, translate)
    match result.outcome:
        case Outcome.REFUSED:
            text = REFUSALS.get(result.reason or "", REFUSALS[BadgeProblem.MALFORMED])
            return translate(_CTX, text)
        case Outcome.CHECKED_IN if result.greeting is Greeting.ANONYMOUS:
            return translate(_CTX, _TEXT["welcome_anonymous"])
        case Outcome.CHECKED_IN:
            return translate(_CTX, _TEXT["welcome"]).format(who=who)
        case Outcome.ALREADY_IN:
            return translate(_CTX, _TEXT["already_in"]).format(who=who)
        case Outcome.CHECKED_OUT:
            return translate(_CTX, _TEXT["checked_out"]).format(
                who=who, minutes=rest_minutes(result)
            )
        case Outcome.ALREADY_OUT:
            return translate(_CTX, _TEXT["already_out"]).format(who=who)
    raise AssertionError(result.outcome)


# -- activities (issue 14) --------------------------------------------------------------------

_ACT = "ActivityMessages"
_ACTIVITY_TEXT = {
    "signed_in": QT_TRANSLATE_NOOP("ActivityMessages", "{who}，已签到【{title}】"),
    "already_signed_in": QT_TRANSLATE_NOOP("ActivityMessages", "{who}，您已签到【{title}】"),
    "signed_out": QT_TRANSLATE_NOOP("ActivityMessages", "{who}，已签退【{title}】，辛苦了！"),
    "not_open": QT_TRANSLATE_NOOP("ActivityMessages", "【{title}】{time} 开始签到，请稍候"),
    "closed": QT_TRANSLATE_NOOP("ActivityMessages", "【{title}】签到已结束"),
    "unverified": QT_TRANSLATE_NOOP(
        "ActivityMessages", "这张工牌暂时无法核验，请到管理员处按姓名签到"
    ),
}


def describe_signin(
    result: SignInResult,
    *,
    full_name: bool = False,
    local_time: Callable[[datetime], str] = lambda t: t.strftime("%H:%M"),
    translate: Translate = untranslated,
) -> str:
    """The line shown (and printed by ``kiosk activity scan``) after an activity scan."""
    if result.outcome is SignInOutcome.REFUSED:
        reason = result.reason or ""
        if reason in _ACTIVITY_TEXT:
            when = local_time(result.opens_at) if result.opens_at else ""
            return translate(_ACT, _ACTIVITY_TEXT[reason]).format(
                title=result.activity_title, time=when
            )
        return translate(_CTX, REFUSALS.get(reason, REFUSALS[BadgeProblem.MALFORMED]))
    if result.person_name is None:
        who = translate(_CTX, _TEXT["master"])
    elif full_name or result.person_id is None:  # a guest: the full name as they wrote it
        who = result.person_name
    else:
        who = translate(_CTX, _TEXT["surname_master"]).format(surname=surname(result.person_name))
    return translate(_ACT, _ACTIVITY_TEXT[result.outcome.value]).format(
        who=who, title=result.activity_title
    )
