"""通知: the hub's announcements (:mod:`kiosk.hub.projections`, as ``kiosk-hub announce``):
every station shows them after its next sync until their last day. Admins post and
withdraw; everyone else reads."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import Response
from sqlalchemy import select

from kiosk.hub import projections
from kiosk.hub.cli.announce_commands import MAX_ANNOUNCEMENT
from kiosk.hub.console import audit
from kiosk.hub.console.accounts import Role
from kiosk.hub.console.auth import Forbidden, Principal, need, now_of
from kiosk.hub.console.web import TZ, back, page
from kiosk.hub.models import HubAnnouncement

router = APIRouter()


@router.get("/notices")
def notices(request: Request, me: Annotated[Principal, Depends(need(Role.VIEWER))]) -> Response:
    today = now_of(request).astimezone(TZ).date()
    with request.app.state.db.read() as s:
        rows = list(
            s.scalars(
                select(HubAnnouncement).order_by(HubAnnouncement.created_at.desc()).limit(200)
            )
        )
    return page(
        request, "notices.html", "notices", rows=rows, today=today, max_length=MAX_ANNOUNCEMENT
    )


@router.post("/notices")
def notice_add(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.ADMIN))],
    text: Annotated[str, Form(max_length=MAX_ANNOUNCEMENT + 100)],
    until: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    text = text.strip()
    if not text or len(text) > MAX_ANNOUNCEMENT:
        raise Forbidden(f"通知内容不能为空，最多 {MAX_ANNOUNCEMENT} 字。")
    try:
        last_day = date.fromisoformat(until) if until else None
    except ValueError:
        raise Forbidden("截止日期格式不对。") from None
    now = now_of(request)
    with request.app.state.db.write() as s:
        row = projections.announce(s, str(uuid.uuid4()), text, last_day, now)
        audit.record(s, me.actor, "notice.add", now, row.id, text[:200])
    return back("/console/notices", "announced")


@router.post("/notices/{notice_id}/withdraw")
def notice_withdraw(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.ADMIN))],
    notice_id: Annotated[str, Path(max_length=36)],
) -> Response:
    now = now_of(request)
    with request.app.state.db.write() as s:
        row = projections.withdraw(s, notice_id, now)
        if row is None:
            raise Forbidden("没有这条通知。")
        audit.record(s, me.actor, "notice.withdraw", now, notice_id)
    return back("/console/notices", "withdrawn")
