"""``kiosk materials import|list|remove``: the study corner's content packages.

Thin, like the other commands: :class:`kiosk.core.study.service.StudyService` does the work.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.cli.output import Output
from kiosk.core.station import StationService
from kiosk.core.study.package import PackageError
from kiosk.core.study.service import StudyService
from kiosk.resources import resource


def install_starter_library(station: StationService) -> int:
    """Install the starter packages if this station has no material yet; returns how many."""
    return len(StudyService(station).ensure_starter_library(resource("materials")))


def cmd_materials(station: StationService, args: argparse.Namespace, out: Output) -> int:
    study = StudyService(station)
    match args.materials_command:
        case "import":
            failures = 0
            for path in args.paths:
                try:
                    result = study.install_package(Path(path))
                except PackageError as e:
                    failures += 1
                    out.emit({"path": path, "error": str(e)}, f"{path}: refused: {e}")
                    continue
                p = result.package
                out.emit(
                    {
                        "path": path,
                        "id": p.id,
                        "version": p.version,
                        "action": result.action,
                        "previous_version": result.previous_version,
                        "sha256": p.sha256,
                        "size": p.size,
                    },
                    f"{path}: {result.action} {p.id} v{p.version}"
                    + (f" (was v{result.previous_version})" if result.action == "upgraded" else ""),
                )
            return 1 if failures else 0
        case "list":
            for m in study.materials():
                out.emit(
                    {
                        "id": m.id,
                        "version": m.version,
                        "title": m.title,
                        "category": m.category,
                        "questions": m.question_count,
                        "size": m.size,
                        "sha256": m.sha256,
                        "source": m.source,
                        "installed_at": m.installed_at,
                    },
                    f"{m.id}  v{m.version}  {m.category}  {m.title}  "
                    f"({m.question_count} questions, {m.size // 1024} KB)",
                )
            return 0
        case "remove":
            try:
                version = study.remove(args.material_id)
            except PackageError as e:
                out.emit({"id": args.material_id, "error": str(e)}, f"refused: {e}")
                return 1
            out.emit(
                {"id": args.material_id, "removed_version": version},
                f"removed {args.material_id} v{version}",
            )
            return 0
    return 2


MATERIALS_HANDLERS = {"materials": cmd_materials}
