"""The hub's HTTP API (FastAPI): enrolment, event push, change feed, package downloads.

``create_app(db_url)`` migrates the database and returns the ASGI app; nothing happens at
import time. Every response carries the hub's time (``X-Server-Time``, and
``server_time`` in bodies) so stations can measure their clock offset. ``/v1/health`` asks
the database (``SELECT 1``) and answers 503 when it cannot.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kiosk.hub import console, feed, ingest, materials, stations
from kiosk.hub.db import open_hub_database
from kiosk.hub.models import HubStation
from kiosk.sync.protocol import (
    MAX_REQUEST_BYTES,
    ChangesPage,
    EnrollRequest,
    EnrollResponse,
    HealthAck,
    PushRequest,
    PushResponse,
    StationHealth,
)

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Envelope:
    """Pure ASGI middleware: refuses bodies over the limit (413), stamps the server time.

    The body is read before the app sees it, so a client that lies about (or omits)
    Content-Length is still cut off at the limit. ``wider`` gives larger limits to paths
    under a prefix (the console's uploads).
    """

    def __init__(
        self, app: ASGIApp, clock: Clock, max_body: int, wider: dict[str, int] | None = None
    ) -> None:
        self.app, self.clock, self.default_max, self.wider = app, clock, max_body, wider or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope)

        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-server-time", self.clock().isoformat().encode()))
                message = {**message, "headers": headers}
            await send(message)

        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._too_large(scope, receive, stamped)
            return
        body, more = bytearray(), True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > limit:
                await self._too_large(scope, receive, stamped)
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, stamped)

    def _limit(self, scope: Scope) -> int:
        path = scope.get("path", "")
        wider = (n for prefix, n in self.wider.items() if path.startswith(prefix))
        return next(wider, self.default_max)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self._limit(scope)
        response: Response = JSONResponse(
            {"detail": f"request body over {limit} bytes"}, status_code=413
        )
        if scope.get("path", "").startswith(console.PREFIX):
            response = console.too_large(limit)
        await response(scope, receive, send)


def authenticated(request: Request) -> str:
    """The caller's station id; 401 for a missing, unknown or revoked token."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    challenge = {"WWW-Authenticate": "Bearer"}
    if scheme.lower() != "bearer" or not token:
        raise HTTPException(401, "bearer token required", challenge)
    with request.app.state.db.read() as s:
        station = stations.station_for_token(s, token.strip())
        if station is None:
            raise HTTPException(401, "unknown token", challenge)
        if station.revoked_at is not None:
            raise HTTPException(401, "station revoked", challenge)
        return station.id


# Module level, so FastAPI can resolve the annotation (this module postpones annotations).
StationId = Annotated[str, Depends(authenticated)]


def create_app(
    db_url: str,
    *,
    clock: Clock = _utcnow,
    max_body: int = MAX_REQUEST_BYTES,
    pool_size: int | None = None,
    max_overflow: int | None = None,
) -> FastAPI:
    """``pool_size`` / ``max_overflow``: database connections of this process (see
    :func:`kiosk.hub.db.create_hub_engine`; None keeps the defaults)."""
    db = open_hub_database(db_url, pool_size=pool_size, max_overflow=max_overflow)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        db.close()

    app = FastAPI(title="Station Kiosk hub", version="1", lifespan=lifespan)
    app.state.db = db

    @app.get("/v1/health", response_model=None)
    def health() -> dict[str, Any] | JSONResponse:
        try:
            db.ping()
        except (DBAPIError, PoolTimeout) as e:
            log.warning("health check: the database does not answer: %s", type(e).__name__)
            return JSONResponse(
                {
                    "ok": False,
                    "detail": "database unavailable",
                    "server_time": clock().isoformat(),
                },
                status_code=503,
            )
        return {"ok": True, "server_time": clock()}

    @app.post("/v1/enroll")
    def enroll(req: EnrollRequest) -> EnrollResponse:
        now = clock()
        try:
            with db.write() as s:
                station, token = stations.enroll(s, req, now)
                ring = stations.keyring(s)
                result = EnrollResponse(
                    station_id=station.id,
                    station_name=station.name,
                    token=token,
                    keyring=ring,
                    server_time=now,
                )
        except stations.EnrollError as e:
            raise HTTPException(403, str(e)) from None
        log.info("station %s enrolled with key %s", result.station_id, req.key_id)
        return result

    @app.post("/v1/events")
    def push(req: PushRequest, station_id: StationId) -> PushResponse:
        if req.station_id != station_id:
            raise HTTPException(403, "a station may push only its own events")
        now = clock()
        with db.write() as s:  # committed when the block ends, before we answer
            station = s.get(HubStation, station_id)
            assert station is not None
            before = station.answered_seq or 0
            results, offset = ingest.ingest(s, station, req, now)
        return PushResponse(
            results=results,
            clock_offset_seconds=offset,
            server_time=now,
            answered_seq_before=before,
        )

    @app.post("/v1/station-health")
    def station_health(report: StationHealth, station_id: StationId) -> HealthAck:
        """The station's own state, once a sync round; the last one is kept."""
        now = clock()
        with db.write() as s:
            station = s.get(HubStation, station_id)
            assert station is not None
            station.app_version = report.app_version
            station.health = report.model_dump(mode="json", exclude={"app_version"})
            station.health_at = now
            station.last_seen_at = now
        return HealthAck(received_at=now)

    @app.get("/v1/changes")
    def changes(
        station_id: StationId, cursor: Annotated[str | None, Query(max_length=80)] = None
    ) -> ChangesPage:
        try:
            with db.read() as s:
                page = feed.changes_page(s, station_id, cursor, clock())
                station = s.get(HubStation, station_id)
                page.answered_seq = (station.answered_seq or 0) if station else None
                return page
        except feed.CursorGone:
            raise HTTPException(410, "cursor no longer served; resync from the start") from None

    @app.get("/v1/materials/{material_id}/{sha256}")
    def material(
        station_id: StationId,
        material_id: Annotated[str, Path(max_length=64)],
        sha256: Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")],
        range_header: Annotated[str | None, Header(alias="range", max_length=200)] = None,
    ) -> Response:
        """A published package's zip; ``Range: bytes=N-`` resumes a cut download (206)."""
        with db.read() as s:
            size = materials.served_size(s, material_id, sha256)
        if size is None:
            raise HTTPException(404, "no such package (withdrawn or replaced by a newer version)")
        try:
            span = materials.parse_range(range_header, size)
        except materials.RangeNotSatisfiable:
            return JSONResponse(
                {"detail": "range not satisfiable", "server_time": clock().isoformat()},
                status_code=416,
                headers={"Content-Range": f"bytes */{size}"},
            )
        first, last = span if span is not None else (0, size - 1)
        headers = {
            "Accept-Ranges": "bytes",
            "Content-Length": str(last - first + 1),
            "ETag": f'"{sha256}"',
        }
        if span is not None:
            headers["Content-Range"] = f"bytes {first}-{last}/{size}"
        return StreamingResponse(
            materials.iter_bytes(db, sha256, first, last + 1),
            status_code=206 if span is not None else 200,
            media_type="application/zip",
            headers=headers,
        )

    app.state.clock = clock
    console.mount(app)
    app.add_middleware(Envelope, clock=clock, max_body=max_body, wider=console.UPLOAD_LIMITS)
    return app
