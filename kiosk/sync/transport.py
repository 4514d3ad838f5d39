"""HTTP to the hub: one httpx client with explicit timeouts, errors mapped to what they mean.

Callers never see an httpx exception: a network failure, a timeout, a 5xx, a 429 or an
unreadable answer is :class:`HubUnavailable` (retry later, nothing was lost); 401 is
:class:`StationRevoked`; 410 is :class:`CursorExpired`; other 4xx is :class:`RequestRefused`.
The token is sent as a header and never appears in an error message.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from kiosk import __version__
from kiosk.sync.protocol import (
    ChangesPage,
    EnrollRequest,
    EnrollResponse,
    HealthAck,
    PushRequest,
    PushResponse,
    StationHealth,
)

M = TypeVar("M", bound=BaseModel)
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=30.0, pool=5.0)
_CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")


class SyncError(Exception):
    """Base of every sync failure; the message is safe to show and log."""


class HubUnavailable(SyncError):
    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class StationRevoked(SyncError):
    pass


class CursorExpired(SyncError):
    pass


class RequestRefused(SyncError):
    """A 4xx. ``body_error``: the hub says the fault is in the request body (413, or a 422
    whose every error points into the body) — only then may a station blame an event."""

    def __init__(self, status: int, detail: str, body_error: bool = False) -> None:
        super().__init__(f"hub refused the request ({status}): {detail}")
        self.status = status
        self.detail = detail
        self.body_error = body_error


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _body_error(response: httpx.Response) -> bool:
    if response.status_code == 413:
        return True
    if response.status_code != 422:
        return False
    try:
        errors = response.json()["detail"]
        return bool(errors) and all(e["loc"][0] == "body" for e in errors)
    except (ValueError, KeyError, TypeError, IndexError):
        return False


def _detail(response: httpx.Response) -> str:
    try:
        return str(response.json().get("detail", ""))[:300]
    except (ValueError, AttributeError):
        return response.text[:300]


@dataclass
class DownloadBody:
    """An answer to a download: where its bytes start in the file, and the file's size."""

    start: int
    total: int | None
    chunks: Iterator[bytes]


def _chunks(response: httpx.Response) -> Iterator[bytes]:
    try:
        yield from response.iter_bytes()
    except httpx.TimeoutException as e:
        raise HubUnavailable(f"download stalled ({type(e).__name__})") from None
    except httpx.HTTPError as e:
        raise HubUnavailable(f"download cut off ({type(e).__name__})") from None


def _span(response: httpx.Response) -> tuple[int, int | None]:
    if response.status_code == 206:
        match = _CONTENT_RANGE.match(response.headers.get("content-range", "").strip())
        if match is None:
            raise HubUnavailable("hub sent a partial answer without a usable Content-Range")
        return int(match[1]), int(match[3])
    length = response.headers.get("content-length", "")
    return 0, int(length) if length.isdigit() else None


def _raise_for_status(response: httpx.Response) -> None:
    status = response.status_code
    if status == 401:
        raise StationRevoked(f"the hub refused this station: {_detail(response)}")
    if status == 410:
        raise CursorExpired(_detail(response))
    if status == 429 or status >= 500:
        raise HubUnavailable(
            f"hub answered {status}", parse_retry_after(response.headers.get("retry-after"))
        )
    if status >= 400:
        raise RequestRefused(status, _detail(response), _body_error(response))


class HubTransport:
    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
    ) -> None:
        self._token = token
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            timeout=timeout,
            headers={"User-Agent": f"station-kiosk/{__version__}"},
            follow_redirects=False,
        )

    def close(self) -> None:
        self._http.close()

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"} if self._token else {}

    def _call(self, model: type[M], method: str, path: str, **kwargs: Any) -> M:
        headers = {"Content-Type": "application/json", **self._headers()}
        try:
            response = self._http.request(method, path, headers=headers, **kwargs)
        except httpx.TimeoutException as e:
            raise HubUnavailable(f"hub did not answer in time ({type(e).__name__})") from None
        except httpx.HTTPError as e:
            raise HubUnavailable(f"hub unreachable ({type(e).__name__}: {e})") from None
        _raise_for_status(response)
        try:
            return model.model_validate_json(response.content)
        except ValidationError:
            raise HubUnavailable(
                f"hub sent an unreadable answer ({response.status_code})"
            ) from None

    def enroll(self, req: EnrollRequest) -> EnrollResponse:
        return self._call(EnrollResponse, "POST", "/v1/enroll", content=req.model_dump_json())

    def push(self, req: PushRequest) -> PushResponse:
        # warnings=False: a row this version cannot express is sent as it is, for the hub to judge
        body = req.model_dump_json(warnings=False)
        return self._call(PushResponse, "POST", "/v1/events", content=body)

    def report_health(self, health: StationHealth) -> HealthAck:
        body = health.model_dump_json()
        return self._call(HealthAck, "POST", "/v1/station-health", content=body)

    def changes(self, cursor: str | None) -> ChangesPage:
        params = {"cursor": cursor} if cursor else {}
        return self._call(ChangesPage, "GET", "/v1/changes", params=params)

    @contextmanager
    def download(self, material_id: str, sha256: str, offset: int = 0) -> Iterator[DownloadBody]:
        """Stream a published package from ``offset`` (``Range: bytes=offset-``).

        The hub may answer 206 from ``offset`` or 200 with the whole file; the body says
        which. Failures while streaming surface as :class:`HubUnavailable` (resume later).
        """
        headers = {"Accept-Encoding": "identity", **self._headers()}
        if offset:
            headers["Range"] = f"bytes={offset}-"
        try:
            with self._http.stream(
                "GET", f"/v1/materials/{material_id}/{sha256}", headers=headers
            ) as response:
                if response.status_code not in (200, 206):
                    response.read()
                    _raise_for_status(response)
                    raise HubUnavailable(f"hub answered {response.status_code} to a download")
                start, total = _span(response)
                yield DownloadBody(start, total, _chunks(response))
        except httpx.TimeoutException as e:
            raise HubUnavailable(f"hub did not answer in time ({type(e).__name__})") from None
        except httpx.HTTPError as e:
            raise HubUnavailable(f"hub unreachable ({type(e).__name__}: {e})") from None
