"""Hostile images for tests: a PNG that claims far more pixels than its bytes suggest."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path


def write_png_bomb(path: Path, side: int = 20_000) -> Path:
    """A valid 1-bit PNG of ``side`` × ``side`` white pixels (20,000²: ~75 KB on disk).

    Written row by row, so making it never holds the decoded picture in memory.
    """

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    row = b"\0" + b"\xff" * ((side + 7) // 8)  # filter byte, then the packed bits
    z = zlib.compressobj(9)
    body = b"".join(z.compress(row) for _ in range(side)) + z.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1 bit, grey
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )
    return path
