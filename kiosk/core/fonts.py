"""Finding a CJK font file for Pillow (badge cards). Qt uses fontconfig on its own."""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

from kiosk.resources import resource


class FontNotFoundError(RuntimeError):
    pass


@functools.cache
def cjk_font_path() -> Path:
    listed = resource("fonts.txt")
    if listed.exists():
        for line in listed.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#") and Path(line).is_file():
                return Path(line)
    if shutil.which("fc-match"):
        out = subprocess.run(
            ["fc-match", "-f", "%{file}", ":lang=zh-cn"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.strip()
        # fc-match always answers; only trust it when the file is a CJK-capable family.
        if (
            out
            and Path(out).is_file()
            and any(
                tag in out.lower() for tag in ("cjk", "wqy", "hei", "ming", "song", "kai", "droid")
            )
        ):
            return Path(out)
    raise FontNotFoundError(
        "no Chinese font found; install one (Debian: apt-get install fonts-wqy-microhei)"
    )
