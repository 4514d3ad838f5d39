"""The dependency direction: ui → services → core → store/devices. Only ui/services use Qt."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kiosk"
QT_FREE = ["core", "store", "devices", "cli", "sync", "events"]
NOT_FROM = {
    "core": ["kiosk.ui", "kiosk.services", "kiosk.cli", "kiosk.hub"],
    "store": ["kiosk.ui", "kiosk.services", "kiosk.core", "kiosk.cli", "kiosk.devices"],
    "devices": ["kiosk.ui", "kiosk.services", "kiosk.core", "kiosk.store", "kiosk.cli"],
    "services": ["kiosk.ui"],
    # The event schema sits below store, core, sync and hub, which all import it.
    "events": [
        "kiosk.ui",
        "kiosk.services",
        "kiosk.core",
        "kiosk.store",
        "kiosk.sync",
        "kiosk.hub",
        "kiosk.cli",
        "kiosk.devices",
    ],
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def modules(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", QT_FREE)
def test_qt_free_layers_do_not_import_qt(layer: str) -> None:
    offenders = [
        f"{p.relative_to(PACKAGE)}: {name}"
        for p in modules(layer)
        for name in imports_of(p)
        if name.split(".")[0] in {"PySide6", "shiboken6"}
    ]
    assert offenders == []


@pytest.mark.parametrize("layer", sorted(NOT_FROM))
def test_dependencies_point_one_way(layer: str) -> None:
    offenders = [
        f"{p.relative_to(PACKAGE)}: {name}"
        for p in modules(layer)
        for name in imports_of(p)
        for banned in NOT_FROM[layer]
        if name == banned or name.startswith(banned + ".")
    ]
    assert offenders == []
