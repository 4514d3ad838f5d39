"""Every console route declares who may use it, and refuses anyone without a session."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Mount

from kiosk.hub.console.auth import Permission
from tests.hub.console.conftest import City
from tests.hub.console.helpers import Console
from tests.hub.harness import HubServer

# The login form, and the 志愿服务证明 check anyone holding a certificate may make.
PUBLIC = {("GET", "/console/login"), ("POST", "/console/login"), ("GET", "/console/verify")}


def _permissions(dependant: Dependant) -> list[Permission]:
    found = []
    for dep in dependant.dependencies:
        permission = getattr(dep.call, "console_permission", None)
        if permission is not None:
            found.append(permission)
        found += _permissions(dep)
    return found


def _flatten(routes: list[BaseRoute], prefix: str = "", outer: tuple = ()) -> Iterator[tuple]:
    """(path, route, permissions of the routers it was included with) for every route,
    through included routers (newer FastAPI keeps them as ``_IncludedRouter`` entries)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            context = route.include_context  # type: ignore[attr-defined]
            extra = tuple(
                p
                for d in context.dependencies
                if (p := getattr(d.dependency, "console_permission", None))
            )
            yield from _flatten(inner.routes, prefix + context.prefix, outer + extra)
        else:
            yield prefix + getattr(route, "path", ""), route, outer


def console_routes(hub: HubServer) -> list[tuple[str, str, Permission | None]]:
    routes = []
    for path, route, outer in _flatten(hub.app.routes):
        if isinstance(route, Mount):
            if path.startswith("/console"):
                assert path == "/console/static", f"unexpected mount {path}"
            continue
        if not path.startswith("/console"):
            continue
        assert isinstance(route, APIRoute), f"{path}: not an APIRoute"
        permissions = [*outer, *_permissions(route.dependant)]
        assert len(permissions) <= 1, f"{path}: several permissions"
        for method in route.methods:
            routes.append((method, path, permissions[0] if permissions else None))
    return routes


def test_every_console_route_declares_its_permission(hub: HubServer):
    routes = console_routes(hub)
    assert len(routes) >= 25  # the test sees the console at all
    missing = [f"{m} {p}" for m, p, perm in routes if perm is None]
    assert missing == []
    public = {(m, p) for m, p, perm in routes if perm is not None and perm.role is None}
    assert public == PUBLIC
    # A route that names a station or a person in its path checks the account's stations.
    for method, path, perm in routes:
        assert perm is not None
        if "{station_id}" in path:
            assert perm.station_param == "station_id", f"{method} {path}"
        if "{person_id}" in path:
            assert perm.person_param == "person_id", f"{method} {path}"


def test_without_a_session_every_page_and_action_is_refused(city: City, console):
    anonymous: Console = console()
    for method, path, perm in console_routes(city.hub):
        if perm is None or perm.role is None or method == "HEAD":
            continue
        url = path.replace("{station_id}", city.east_id).replace("{person_id}", city.zhang_id)
        url = url.replace("{notice_id}", "x").replace("{material_id}", "x")
        for name in ("activity_id", "attendance_id", "number"):
            url = url.replace("{" + name + "}", "x")
        url = url.replace("{backfill_id}", "1")
        if method == "GET":
            r = anonymous.http.get(url)
            assert r.status_code == 303, f"GET {url}: {r.status_code}"
            assert r.headers["location"].startswith("/console/login?next=")
            api = anonymous.http.get(url, headers={"Accept": "application/json"})
            assert api.status_code == 401, f"GET {url} (API): {api.status_code}"
        else:
            r = anonymous.http.post(url, data={"name": "x", "text": "x"})
            assert r.status_code == 401, f"{method} {url}: {r.status_code}"
        assert "张三" not in r.text and "东站" not in r.text
