"""Packages to publish, and a proxy that logs requests and can cut a download short."""

from __future__ import annotations

import json
import os
import shutil
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from kiosk.hub import materials
from kiosk.hub.materials import Published
from kiosk.resources import resource
from tests.hub.harness import HubServer, RelayProxy


def make_package(
    root: Path, pkg_id: str, version: int = 1, noise_bytes: int = 0, **manifest: object
) -> Path:
    """A valid package folder (the starter ``road-safety`` under another id).

    ``noise_bytes``: add a WAV of random bytes that a zip cannot shrink, for big downloads.
    """
    shutil.copytree(resource("materials", "road-safety"), root)
    data = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    data.update(id=pkg_id, version=version, **manifest)
    if noise_bytes:
        (root / "talk.wav").write_bytes(b"RIFF\0\0\0\0WAVE" + os.urandom(noise_bytes))
        data["audio"] = "talk.wav"
    (root / "manifest.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return root


def publish(hub: HubServer, folder: Path) -> Published:
    """What ``kiosk-hub materials publish FOLDER`` does."""
    prepared = materials.prepare(folder)
    with hub.db.write() as s:
        return materials.publish(s, prepared, datetime.now(UTC))


def withdraw(hub: HubServer, material_id: str) -> None:
    with hub.db.write() as s:
        assert materials.withdraw(s, material_id, datetime.now(UTC)) is not None


@dataclass
class Seen:
    method: str
    path: str
    range: str | None
    body_bytes: int = 0  # answer body bytes passed on to the station


def _head(stream: BinaryIO) -> list[bytes] | None:
    lines = []
    while True:
        line = stream.readline(65537)
        if not line:
            return None
        if line in (b"\r\n", b"\n"):
            return lines
        lines.append(line)


def _header(lines: list[bytes], name: bytes) -> str | None:
    for line in lines[1:]:
        key, _, value = line.partition(b":")
        if key.strip().lower() == name:
            return value.strip().decode("latin-1")
    return None


class CuttingProxy(RelayProxy):
    """Forwards HTTP to the hub and logs every request (``seen``).

    ``cut_after``: the next package download is cut after that many body bytes (the
    connection is closed mid-answer). ``on_download`` runs when a download request arrives,
    before it is forwarded.
    """

    def __init__(self, upstream_port: int) -> None:
        self.seen: list[Seen] = []
        self.cut_after: int | None = None
        self.on_download: Callable[[], None] | None = None
        super().__init__(upstream_port)

    def downloads(self) -> list[Seen]:
        return [s for s in self.seen if s.path.startswith("/v1/materials/")]

    def _serve(self, conn: socket.socket) -> None:
        upstream = None
        try:
            client_in = conn.makefile("rb")
            while not self._stop.is_set():
                head = _head(client_in)
                if head is None:
                    return
                method, path, _ = head[0].decode("latin-1").split(" ", 2)
                body = client_in.read(int(_header(head, b"content-length") or 0))
                seen = Seen(method, path, _header(head, b"range"))
                download = path.startswith("/v1/materials/")
                with self._lock:
                    self.seen.append(seen)
                    limit, self.cut_after = (
                        (self.cut_after, None) if download else (None, self.cut_after)
                    )
                if download and self.on_download is not None:
                    self.on_download()
                if upstream is None:
                    upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
                    upstream_in = upstream.makefile("rb")
                upstream.sendall(b"".join(head) + b"\r\n" + body)
                answer = _head(upstream_in)
                if answer is None:
                    return
                length = int(_header(answer, b"content-length") or 0)
                conn.sendall(b"".join(answer) + b"\r\n")
                send = length if limit is None else min(limit, length)
                payload = upstream_in.read(send)
                conn.sendall(payload)
                seen.body_bytes = len(payload)
                if send < length:
                    return  # cut: close both connections mid-answer
        except OSError:
            return
        finally:
            conn.close()
            if upstream is not None:
                upstream.close()
