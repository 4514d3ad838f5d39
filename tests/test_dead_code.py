"""No unused code: ``vulture`` with the allow-list in pyproject.toml ([tool.vulture]).

Tests count as users. A name a framework calls (Qt's event handlers, pydantic validators,
FastAPI routes) goes into the allow-list there, with the reason beside it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VULTURE = [sys.executable, "-m", "vulture", "--config", str(ROOT / "pyproject.toml")]


def test_nothing_is_unused() -> None:
    run = subprocess.run(VULTURE, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr


def test_an_unused_function_is_reported(tmp_path: Path) -> None:
    shutil.copytree(
        ROOT / "kiosk", tmp_path / "kiosk", ignore=shutil.ignore_patterns("__pycache__")
    )
    (tmp_path / "kiosk" / "core" / "forgotten.py").write_text(
        "def never_called() -> int:\n    return 1\n"
    )
    run = subprocess.run(
        [*VULTURE, str(tmp_path / "kiosk"), str(ROOT / "tests")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 3, run.stdout + run.stderr
    assert "forgotten.py:1: unused function 'never_called'" in run.stdout
