"""A real hub on 127.0.0.1 (uvicorn in a thread) and a proxy that misbehaves on demand."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

import uvicorn

from kiosk.hub import stations
from kiosk.hub.app import create_app
from kiosk.hub.db import HubDatabase

START_TIMEOUT = 10.0


def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        time.sleep(0.01)


class HubServer:
    def __init__(self, db_url: str, port: int = 0, **app_options: object) -> None:
        """``port`` 0 picks a free one; a given port lets a restarted hub keep its address."""
        self.app = create_app(db_url, **app_options)  # type: ignore[arg-type]
        self.db: HubDatabase = self.app.state.db
        self._sock = socket.create_server(("127.0.0.1", port))
        self.port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(self.app, log_level="warning", lifespan="on")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )

    def start(self) -> HubServer:
        self._thread.start()
        wait_for(lambda: self._server.started, START_TIMEOUT)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(START_TIMEOUT)
        self._sock.close()

    def add_station(self, name: str) -> tuple[str, str]:
        """A new station on the hub: ``(station id, one-time code)``."""
        with self.db.write() as s:
            station, code = stations.add_station(s, name, datetime.now(UTC))
        return station.id, code


def _read_message(sock: socket.socket) -> bytes | None:
    """One HTTP/1.1 message with a Content-Length body (or none); None on EOF."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        body += chunk
    return head + b"\r\n\r\n" + body


def _canned(status: str, extra: str = "") -> bytes:
    body = b'{"detail":"proxy says no"}'
    return (
        f"HTTP/1.1 {status}\r\ncontent-type: application/json\r\n{extra}"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    ).encode() + body


class RelayProxy:
    """A local TCP proxy in front of the hub: one thread per client connection.

    Subclasses implement ``_serve(conn)``; the base accepts connections, and ``close()``
    stops accepting, ends idle keep-alive reads and joins the connection threads.
    """

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._threads: list[threading.Thread] = []
        self._conns: list[socket.socket] = []
        self._accepter = threading.Thread(target=self._accept, daemon=True)
        self._accepter.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._conns.append(conn)
            t = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(t)
            t.start()

    def _serve(self, conn: socket.socket) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self._stop.set()
        self._listener.close()
        self._accepter.join(5)
        for conn in self._conns:  # idle keep-alive connections: end their reads now
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for t in self._threads:
            t.join(5)


class FlakyProxy(RelayProxy):
    """Forwards HTTP to the hub; ``plan`` lists what to do with the next requests.

    ``pass``: forward; ``500`` / ``503``: answer that without forwarding (503 carries
    ``Retry-After: 7``); ``hang``: never answer; ``drop``: forward, let the hub commit, then
    reset the connection so the answer is lost. An empty plan means ``pass``.
    """

    def __init__(self, upstream_port: int) -> None:
        self.plan: list[str] = []
        self.requests = 0
        super().__init__(upstream_port)

    def _next(self) -> str:
        with self._lock:
            self.requests += 1
            return self.plan.pop(0) if self.plan else "pass"

    def _serve(self, conn: socket.socket) -> None:
        upstream: socket.socket | None = None
        try:
            while not self._stop.is_set():
                request = _read_message(conn)
                if request is None:
                    return
                action = self._next()
                if action == "hang":
                    self._stop.wait(30)
                    return
                if action in {"500", "503"}:
                    status = "500 Internal Server Error" if action == "500" else "503 Busy"
                    extra = "retry-after: 7\r\n" if action == "503" else ""
                    conn.sendall(_canned(status, extra))
                    return
                if upstream is None:
                    upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
                upstream.sendall(request)
                response = _read_message(upstream)
                if response is None:
                    return
                if action == "drop":
                    # RST instead of FIN: the client sees the connection die mid-answer.
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    return
                conn.sendall(response)
        except OSError:
            return
        finally:
            conn.close()
            if upstream is not None:
                upstream.close()
