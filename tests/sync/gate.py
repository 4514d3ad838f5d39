"""A proxy that holds one chosen request on its way to the hub until the test lets it go.

It makes "while the pull is still running" a fact instead of a race: e.g. the third
``GET /v1/changes`` waits at the gate, so the station has applied two pages and is in the
middle of its pull for as long as the test needs.
"""

from __future__ import annotations

import socket
import threading

from tests.hub.harness import RelayProxy, _read_message

HOLD_SECONDS = 60.0


class GateProxy(RelayProxy):
    """Forwards HTTP/1.1 to the hub on 127.0.0.1; holds the ``nth`` request to ``path``.

    ``holding`` is set once that request is held; ``release()`` sends it on.
    """

    def __init__(self, upstream_port: int, path: str, nth: int) -> None:
        self.path, self.nth = path, nth
        self.matched = 0
        self.holding = threading.Event()
        self._released = threading.Event()
        super().__init__(upstream_port)

    def release(self) -> None:
        self._released.set()

    def _gate(self, request: bytes) -> None:
        target = request.split(b" ", 2)[1].decode("latin-1")
        if not target.startswith(self.path):
            return
        with self._lock:
            self.matched += 1
            hold = self.matched == self.nth
        if hold:
            self.holding.set()
            self._released.wait(HOLD_SECONDS)

    def _serve(self, conn: socket.socket) -> None:
        upstream: socket.socket | None = None
        try:
            while not self._stop.is_set():
                request = _read_message(conn)
                if request is None:
                    return
                self._gate(request)
                if upstream is None:
                    upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
                upstream.sendall(request)
                response = _read_message(upstream)
                if response is None:
                    return
                conn.sendall(response)
        except OSError:
            return
        finally:
            conn.close()
            if upstream is not None:
                upstream.close()

    def close(self) -> None:
        self._released.set()
        super().close()
