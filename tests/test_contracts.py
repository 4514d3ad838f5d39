"""The import contracts in pyproject.toml ([tool.importlinter]) hold, and they do catch a leak."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(source_root: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` with our pyproject.toml, on the ``kiosk`` package in ``source_root``."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(ROOT / "pyproject.toml")],
        cwd=source_root,
        env={**os.environ, "PYTHONPATH": str(source_root)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_tree_keeps_every_import_contract() -> None:
    run = lint_imports(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def test_a_leak_through_a_helper_is_caught(tmp_path: Path) -> None:
    """core → a Qt-using helper outside every layer; a core module reaching up into the UI."""
    shutil.copytree(
        ROOT / "kiosk", tmp_path / "kiosk", ignore=shutil.ignore_patterns("__pycache__")
    )
    (tmp_path / "kiosk" / "leak_helper.py").write_text("import PySide6.QtCore\n")  # unlisted
    (tmp_path / "kiosk" / "core" / "leak.py").write_text("import kiosk.leak_helper\n")
    (tmp_path / "kiosk" / "core" / "reach_up.py").write_text("import kiosk.ui.window\n")
    run = lint_imports(tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "kiosk.core.leak -> kiosk.leak_helper" in run.stdout
    assert "kiosk.core.reach_up -> kiosk.ui.window" in run.stdout
    assert "Nothing below the Qt glue imports Qt, directly or transitively BROKEN" in run.stdout
    assert "Layers: ui > Qt glue > sync > core > store > db BROKEN" in run.stdout
