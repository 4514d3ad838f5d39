"""Admins only: the accounts (disable one) and the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response

from kiosk.hub.console import accounts, audit
from kiosk.hub.console.accounts import Role
from kiosk.hub.console.auth import Forbidden, Principal, need, now_of
from kiosk.hub.console.web import back, page

router = APIRouter()
AUDIT_PAGE = 50


@router.get("/users")
def users(request: Request, me: Annotated[Principal, Depends(need(Role.ADMIN))]) -> Response:
    with request.app.state.db.read() as s:
        rows = accounts.list_accounts(s)
    return page(request, "users.html", "users", accounts=rows)


@router.post("/users/disable")
def disable(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.ADMIN))],
    username: Annotated[str, Form(max_length=40)],
) -> Response:
    if username == me.username:
        raise Forbidden("不能停用自己的账号。")
    now = now_of(request)
    try:
        with request.app.state.db.write() as s:
            accounts.disable_user(s, username)
            audit.record(s, me.actor, "user.disable", now, username)
    except accounts.AccountError:
        raise Forbidden("没有这个账号。") from None
    return back("/console/users", "disabled")


@router.get("/audit")
def audit_log(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.ADMIN))],
    p: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    with request.app.state.db.read() as s:
        rows, total = audit.recent(s, AUDIT_PAGE, (p - 1) * AUDIT_PAGE)
    pages = max(1, -(-total // AUDIT_PAGE))
    return page(request, "audit.html", "audit", rows=rows, p=p, pages=pages, total=total)
