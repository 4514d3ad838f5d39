"""The bureau's web console, served by the hub under ``/console/`` (docs/console.md).

One router module per area (``dashboard``, ``stations``, ``people``, ``exports``,
``notices``, ``materials``, ``admin``; ``activities``, ``hours``, ``activity_reports``,
``certificates`` for issue 14; ``login`` for sessions), Jinja2 templates and static
files inside this package, no asset from the internet. :func:`mount` adds it to the hub's
app; every route declares its permission (:mod:`kiosk.hub.console.auth`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI
    from fastapi.responses import HTMLResponse

PREFIX = "/console"
XLSX_LIMIT = 5 * 1024 * 1024
PACKAGE_LIMIT = 64 * 1024 * 1024
# Request bodies the hub accepts on console paths (the hub's own API keeps its 1 MiB limit).
UPLOAD_LIMITS = {f"{PREFIX}/materials": PACKAGE_LIMIT, f"{PREFIX}/": XLSX_LIMIT}


def mount(app: FastAPI) -> None:
    from fastapi.staticfiles import StaticFiles

    from kiosk.hub.console import (
        activities,
        activity_reports,
        admin,
        badges,
        certificates,
        dashboard,
        errors,
        exports,
        hours,
        login,
        materials,
        notices,
        people,
        stations,
    )
    from kiosk.hub.console.web import HERE

    for module in (login, dashboard, stations, people, badges, exports, notices, materials, admin):
        app.include_router(module.router, prefix=PREFIX)
    # issue 14: reports before activities, so /activities/report is not an activity's id
    for module in (activity_reports, activities, hours, certificates):
        app.include_router(module.router, prefix=PREFIX)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=HERE / "static"), name="console-static")
    errors.install(app)


def too_large(limit: int) -> HTMLResponse:
    """What a clerk sees when an upload is over the limit (the body is never read whole)."""
    from fastapi.responses import HTMLResponse

    megabytes = limit // (1024 * 1024)
    return HTMLResponse(
        '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>文件过大</title>'
        f"<p>文件过大：最多 {megabytes} MB。请返回上一页，换一个较小的文件。"
        '<a href="/console/">管理后台首页</a></p>',
        status_code=413,
    )
