"""The sync worker's engine exists only for an enrolled station, and costs nothing before."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kiosk.core.station import StationService
from kiosk.paths import StationPaths

_PROBE = """
import sys
from pathlib import Path
from kiosk.core.station import StationService
from kiosk.paths import StationPaths
from kiosk.qtglue.sync import default_engine
station = StationService(StationPaths(Path(sys.argv[1])))
engine = default_engine(station)
print(engine is None, "httpx" in sys.modules)
station.close()
"""


def test_an_unenrolled_station_gets_no_engine_and_loads_no_http_stack(tmp_path: Path) -> None:
    StationService(StationPaths(tmp_path)).close()
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, str(tmp_path)], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["True", "False"]
