"""The station's printer, if any: a PDF handed to CUPS' ``lp``.

A kiosk has at most one printer, set up once by the installer as the CUPS default; no
printer (no ``lp``, or CUPS refuses the job) is a :class:`PrinterError` the screen turns into
"save it to a USB stick instead".
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

TIMEOUT_S = 20


class PrinterError(Exception):
    """The job was not accepted; the message is for the log."""


def print_pdf(path: Path) -> str:
    """Queue ``path`` on the default printer; CUPS' answer (its job id line)."""
    lp = shutil.which("lp")
    if lp is None:
        raise PrinterError("no lp command: CUPS is not installed")
    try:
        done = subprocess.run(
            [lp, "--", str(path)], capture_output=True, text=True, timeout=TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        raise PrinterError(f"lp failed: {e}") from None
    if done.returncode != 0:
        raise PrinterError(f"lp exit {done.returncode}: {done.stderr.strip()[:200]}")
    return done.stdout.strip()
