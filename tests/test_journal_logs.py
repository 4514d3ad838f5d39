"""Under systemd the log also goes to the journal: stderr lines with syslog priorities."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

_CHILD = """
import logging, sys
from pathlib import Path
from kiosk.logs import setup_logging
setup_logging(Path(sys.argv[1]))
log = logging.getLogger("kiosk.test")
log.debug("not without -v")
log.info("station opened")
log.warning("camera gone\\nsecond line")
log.error("database trouble")
"""


def _run(tmp_path: Path, journal: bool) -> str:
    err = tmp_path / f"stderr-{journal}"
    with err.open("wb") as stream:
        st = os.fstat(stream.fileno())
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
        env.pop("JOURNAL_STREAM", None)
        if journal:
            env["JOURNAL_STREAM"] = f"{st.st_dev}:{st.st_ino}"
        subprocess.run(
            [sys.executable, "-c", _CHILD, str(tmp_path / "logs")],
            stderr=stream,
            env=env,
            check=True,
            timeout=60,
        )
    return err.read_text(encoding="utf-8")


def test_under_journald_info_and_up_go_to_stderr_with_priorities(tmp_path: Path):
    assert _run(tmp_path, journal=True).splitlines() == [
        "<6>kiosk.test: station opened",
        "<4>kiosk.test: camera gone",
        "<4>second line",
        "<3>kiosk.test: database trouble",
    ]
    # the file has them too
    assert "station opened" in (tmp_path / "logs" / "kiosk.log").read_text(encoding="utf-8")


def test_elsewhere_stderr_keeps_warnings_only(tmp_path: Path):
    assert _run(tmp_path, journal=False).splitlines() == [
        "WARNING kiosk.test: camera gone",
        "second line",
        "ERROR kiosk.test: database trouble",
    ]
