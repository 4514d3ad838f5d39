"""The log file: records made before the touchscreen opens it are kept, in order."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kiosk.logs import LOG_FILE, open_log_file, setup_logging


@pytest.fixture
def restore_root_logger():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)


def test_deferred_records_reach_the_file_first_and_in_order(tmp_path: Path, restore_root_logger):
    path = setup_logging(tmp_path, defer_file=True)
    log = logging.getLogger("kiosk.test")
    log.info("one")
    worker = threading.Thread(target=lambda: log.warning("two, from a thread"))
    worker.start()
    worker.join()
    assert not path.exists() or path.read_text(encoding="utf-8") == ""

    open_log_file()
    log.info("three")
    open_log_file()  # a second call changes nothing
    log.info("four")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [line.rsplit(": ", 1)[1] for line in lines] == [
        "one",
        "two, from a thread",
        "three",
        "four",
    ]
    assert "WARNING Thread-" in lines[1] and "kiosk.test" in lines[1]


def test_not_deferred_writes_at_once(tmp_path: Path, restore_root_logger):
    path = setup_logging(tmp_path)
    logging.getLogger("kiosk.test").info("now")
    assert path.read_text(encoding="utf-8").endswith("kiosk.test: now\n")


def test_a_crash_before_the_file_opened_is_still_logged(tmp_path: Path):
    code = (
        "import logging, sys\nfrom pathlib import Path\n"
        "from kiosk.logs import install_exception_hooks, setup_logging\n"
        "setup_logging(Path(sys.argv[1]), defer_file=True)\ninstall_exception_hooks()\n"
        "logging.getLogger('kiosk').info('starting')\n"
        "raise RuntimeError('broken before the first paint')\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True)
    assert done.returncode == 1
    text = (tmp_path / LOG_FILE).read_text(encoding="utf-8")
    assert "kiosk: starting" in text
    assert "CRITICAL" in text and "RuntimeError: broken before the first paint" in text
