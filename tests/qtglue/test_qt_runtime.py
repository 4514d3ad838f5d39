"""Guards against a broken Qt binding: PySide6 6.12.0 on Python 3.11 leaks a reference to
``True`` on every ``Signal.emit()`` and the process aborts (``bool_dealloc``) after a few
thousand emits — within minutes for a kiosk whose camera preview emits 8 times a second.
pyproject.toml excludes it; this test fails if a version with the bug gets installed."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_signal_emit_keeps_reference_counts() -> None:
    probe = textwrap.dedent(
        """
        import sys
        from PySide6.QtCore import QCoreApplication, QObject, Signal

        class Source(QObject):
            happened = Signal(object)

        app = QCoreApplication([])
        source = Source()
        source.happened.connect(lambda value: None)
        before = sys.getrefcount(True)
        for i in range(500):
            source.happened.emit(i)
        print(sys.getrefcount(True) - before)
        """
    )
    # In a child process: if the bug is there, the probe may abort rather than report.
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=60,
        env={"QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"},
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert int(done.stdout.strip()) == 0
