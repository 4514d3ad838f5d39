"""Every check-in acknowledged to a worker survives the process being killed."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.core.station import StationService
from kiosk.paths import StationPaths
from kiosk.store.models import Visit

CHILD = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from kiosk.core.station import StationService
    from kiosk.paths import StationPaths

    station = StationService(StationPaths(Path(sys.argv[1])))
    tokens = json.loads(Path(sys.argv[2]).read_text())
    print("READY", flush=True)
    for token in tokens:
        result = station.scan(token)          # returns only after COMMIT
        print("ACK", result.visit_id, flush=True)  # the moment a worker would be greeted
    print("DONE", flush=True)
    """
)


@pytest.mark.slow
def test_sigkill_during_checkins_loses_no_acknowledged_visit(tmp_path: Path) -> None:
    data = tmp_path / "station"
    setup = StationService(StationPaths(data))
    setup.init("断电测试站")
    tokens = []
    for i in range(400):
        person = setup.add_person(name=f"工人{i}", trade="环卫")
        tokens.append(setup.issue_badge(person.id).token)
    setup.close()
    token_file = tmp_path / "tokens.json"
    token_file.write_text(json.dumps(tokens))

    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data), str(token_file)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "READY"
    acked: list[str] = []
    for line in child.stdout:
        kind, _, visit_id = line.strip().partition(" ")
        assert kind == "ACK", line
        acked.append(visit_id)
        if len(acked) == 150:
            child.send_signal(signal.SIGKILL)  # mid-stream: the child is still writing
            break
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    after = StationService(StationPaths(data))
    try:
        assert after.db.integrity_check() == "ok"
        with after.db.read() as s:
            stored = set(s.scalars(select(Visit.id)))
        assert set(acked) <= stored
        assert len(stored) < len(tokens)  # really killed before the end
    finally:
        after.close()
