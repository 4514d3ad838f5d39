"""What the console answers when a request is refused, and the headers every console
response carries (a strict Content-Security-Policy: scripts and styles from /console/static
only, no frames)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kiosk.hub.console import PREFIX
from kiosk.hub.console.auth import COOKIE, COOKIE_PATH, Forbidden, NotLoggedIn
from kiosk.hub.console.web import page

SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(PREFIX):
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}
            await send(message)

        await self.app(scope, receive, with_headers)


def _wants_page(request: Request) -> bool:
    return request.method == "GET" and "text/html" in request.headers.get("accept", "text/html")


async def not_logged_in(request: Request, _exc: Exception) -> Response:
    if _wants_page(request):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        response: Response = RedirectResponse(
            f"{PREFIX}/login?next={quote(target, safe='')}", status_code=303
        )
    else:
        response = JSONResponse({"detail": "login required"}, status_code=401)
    response.delete_cookie(COOKIE, path=COOKIE_PATH)
    return response


async def forbidden(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Forbidden)
    if not _wants_page(request) and request.method == "GET":
        return JSONResponse({"detail": "forbidden"}, status_code=403)
    return page(request, "error.html", "", status_code=403, message=exc.message)


def install(app: FastAPI) -> None:
    app.add_exception_handler(NotLoggedIn, not_logged_in)
    app.add_exception_handler(Forbidden, forbidden)
    app.add_middleware(SecurityHeaders)
