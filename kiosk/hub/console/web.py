"""Rendering: the Jinja2 templates inside the package (autoescaped), a page helper that
passes the account and its CSRF token, and the messages a redirect may carry.

A redirect after a change carries only a message *code* (``?ok=saved``), never text, so no
one can make the console show words of their choosing.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from kiosk.core.trades import Trade
from kiosk.hub.console.accounts import ROLE_LABELS, Role

HERE = Path(__file__).parent
TZ = ZoneInfo("Asia/Shanghai")  # where a day begins, as `kiosk-hub stats --tz` defaults

templates = Jinja2Templates(directory=HERE / "templates")

MESSAGES = {
    "saved": "已保存。",
    "added": "已添加。",
    "imported": "已导入。",
    "revoked": "已撤销。",
    "withdrawn": "已撤回。",
    "published": "已发布。",
    "announced": "通知已发出，各驿站下次同步时显示。",
    "disabled": "账号已停用。",
    "password": "密码已更改。",
    "scheduled": "活动已安排，各驿站下次同步时收到。",
    "cancelled": "活动已取消，各驿站下次同步时随之取消。",
    "linked": "已关联到人员。",
    "confirmed": "已确认时长。",
    "rejected": "已驳回。",
    "requested": "补录已提交，须由另一人批准。",
    "approved": "补录已批准。",
}
NAV = [
    ("dashboard", "总览", "/console/"),
    ("stations", "驿站", "/console/stations"),
    ("people", "人员", "/console/people"),
    ("badges", "工牌", "/console/badges"),
    ("exports", "导出", "/console/exports"),
    ("notices", "通知", "/console/notices"),
    ("materials", "讲习所", "/console/materials"),
    ("activities", "活动", "/console/activities"),
]
ADMIN_NAV = [("users", "账号", "/console/users"), ("audit", "审计日志", "/console/audit")]


def local(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return "" if value is None else value.astimezone(TZ).strftime(fmt)


def offset(seconds: float | None) -> str:
    """A clock offset as a clerk reads it: 秒 under two minutes, else 分钟 or 小时."""
    if seconds is None:
        return ""
    sign = "快" if seconds > 0 else "慢"
    size = abs(seconds)
    if size < 120:
        return f"{sign} {size:.0f} 秒"
    if size < 7200:
        return f"{sign} {size / 60:.0f} 分钟"
    return f"{sign} {size / 3600:.1f} 小时"


templates.env.filters["local"] = local
templates.env.filters["offset"] = offset
templates.env.globals["TRADES"] = [t.value for t in Trade]
templates.env.globals["ROLE_LABELS"] = {r.value: label for r, label in ROLE_LABELS.items()}


def page(
    request: Request, template: str, active: str, status_code: int = 200, **context: Any
) -> HTMLResponse:
    me = getattr(request.state, "principal", None)
    nav = [n for n in NAV if n[0] != "badges" or (me is not None and me.can_change)]
    nav += ADMIN_NAV if me is not None and me.role is Role.ADMIN else []
    ok = request.query_params.get("ok")
    response = templates.TemplateResponse(
        request,
        template,
        {
            "me": me,
            "nav": nav,
            "active": active,
            "csrf_token": me.csrf_token if me is not None else "",
            "notice": MESSAGES.get(ok or ""),
            **context,
        },
        status_code=status_code,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def back(url: str, ok: str | None = None) -> RedirectResponse:
    """303 to a console page (always a path of ours), with a message code."""
    assert url.startswith("/console")
    sep = "&" if "?" in url else "?"
    return RedirectResponse(url + (f"{sep}ok={ok}" if ok else ""), status_code=303)
