"""Logging in and out. The login form carries its own double-submit token (a cookie and a
hidden field that must match), since there is no session to hold a CSRF token yet."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from kiosk.hub.console import audit, trusted
from kiosk.hub.console.accounts import Role, verify_password
from kiosk.hub.console.auth import (
    COOKIE,
    COOKIE_PATH,
    LOGIN_COOKIE,
    Principal,
    clear_failures,
    client_address,
    end_session,
    need,
    now_of,
    public,
    record_failure,
    start_session,
    throttled,
)
from kiosk.hub.console.web import page
from kiosk.hub.models import ConsoleUser

router = APIRouter()


def _secure(request: Request) -> bool:
    """Cookies are Secure when the browser reached us over TLS (the proxy's X-Forwarded-Proto
    counts when uvicorn trusts the proxy, see docs/console.md)."""
    return request.url.scheme == "https"


def _next(target: str | None) -> str:
    if target and target.startswith("/console/") and not target.startswith("/console//"):
        return target
    return "/console/"


def _form(
    request: Request, status: int = 200, error: str | None = None, username: str = ""
) -> Response:
    token = secrets.token_urlsafe(24)
    response = page(
        request,
        "login.html",
        "",
        status_code=status,
        login_token=token,
        error=error,
        username=username,
        next=_next(request.query_params.get("next")),
    )
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        path=COOKIE_PATH,
    )
    return response


@router.get("/login", dependencies=[Depends(public())])
def login_form(request: Request) -> Response:
    return _form(request)


@router.post("/login", dependencies=[Depends(public())])
def login(
    request: Request,
    username: Annotated[str, Form(max_length=40)],
    password: Annotated[str, Form(max_length=200)],
    login_token: Annotated[str, Form(max_length=64)],
    next: Annotated[str, Form(max_length=500)] = "/console/",
) -> Response:
    cookie = request.cookies.get(LOGIN_COOKIE, "")
    if not cookie or not secrets.compare_digest(cookie.encode(), login_token.encode()):
        return _form(request, 400, "页面已过期，请重新输入。", username)
    username = username.strip()
    address = client_address(request)
    now = now_of(request)
    db = request.app.state.db
    with db.write() as s:
        device = trusted.device(s, request.cookies.get(trusted.DEVICE_COOKIE), username, now)
        if throttled(s, username, address, now, device):
            audit.record(s, audit.Actor(None, username, address), "login.throttled", now)
            refused = "尝试次数过多，请 15 分钟后再试。"
        else:
            user = s.scalar(select(ConsoleUser).where(ConsoleUser.username == username))
            good = verify_password(user.password_hash if user else None, password)
            if user is None or not good or not user.active:
                record_failure(s, username, device or address, now)
                audit.record(s, audit.Actor(None, username, address), "login.failed", now)
                refused = "用户名或密码不正确，或账号已停用。"
            else:
                clear_failures(s, username, device)
                token = start_session(s, user, address, now)
                device_cookie = trusted.issue(s, user.username, now)
                audit.record(s, audit.Actor(user.id, user.username, address), "login", now)
                refused = ""
    if refused:
        return _form(request, 429 if "过多" in refused else 401, refused, username)
    response = RedirectResponse(_next(next), status_code=303)
    response.set_cookie(
        COOKIE, token, httponly=True, samesite="strict", secure=_secure(request), path=COOKIE_PATH
    )
    response.set_cookie(
        trusted.DEVICE_COOKIE,
        device_cookie,
        max_age=int(trusted.LIFETIME.total_seconds()),
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        path=COOKIE_PATH,
    )
    response.delete_cookie(LOGIN_COOKIE, path=COOKIE_PATH)
    return response


@router.post("/logout")
def logout(request: Request, me: Annotated[Principal, Depends(need(Role.VIEWER))]) -> Response:
    now = now_of(request)
    with request.app.state.db.write() as s:
        end_session(s, request.cookies.get(COOKIE, ""))
        audit.record(s, me.actor, "logout", now)
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(COOKIE, path=COOKIE_PATH)
    return response
