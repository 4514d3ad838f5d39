"""讲习所: upload a study package (checked exactly as ``kiosk-hub materials publish`` checks
it: :func:`kiosk.hub.materials.prepare`, the station's own strict importer), publish,
withdraw; study figures by material from :func:`kiosk.hub.stats.study_stats`."""

from __future__ import annotations

import tempfile
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, UploadFile
from fastapi.responses import Response

from kiosk.hub import materials as hub_materials
from kiosk.hub.console import PACKAGE_LIMIT, audit
from kiosk.hub.console.accounts import Role
from kiosk.hub.console.auth import Forbidden, Principal, need, now_of
from kiosk.hub.console.web import TZ, back, page
from kiosk.hub.stats import study_stats

router = APIRouter()


def _listing(
    request: Request, me: Principal, status: int = 200, error: str | None = None
) -> Response:
    with request.app.state.db.read() as s:
        rows = hub_materials.list_materials(s)
        study = study_stats(s, None, None, TZ, me.stations)
    return page(
        request,
        "materials.html",
        "materials",
        status_code=status,
        rows=rows,
        by_material={k: v.record() for k, v in study.by_material.items()},
        by_station=sorted((k, v.record()) for k, v in study.by_station.items()),
        overall=study.overall.record(),
        error=error,
    )


@router.get("/materials")
def materials_page(
    request: Request, me: Annotated[Principal, Depends(need(Role.VIEWER))]
) -> Response:
    return _listing(request, me)


@router.post("/materials")
async def material_publish(
    request: Request, me: Annotated[Principal, Depends(need(Role.ADMIN))], file: UploadFile
) -> Response:
    name = FilePath(file.filename or "package.zip").name
    if not name.lower().endswith(".zip"):
        return _listing(request, me, 400, "请上传 .zip 格式的学习资料包。")
    data = await file.read(PACKAGE_LIMIT + 1)
    if len(data) > PACKAGE_LIMIT:
        return _listing(request, me, 400, f"资料包超过 {PACKAGE_LIMIT // (1024 * 1024)} MB。")
    now = now_of(request)
    with tempfile.TemporaryDirectory(prefix="kiosk-console-") as tmp:
        path = FilePath(tmp) / "package.zip"
        path.write_bytes(data)
        try:
            prepared = hub_materials.prepare(path)
            with request.app.state.db.write() as s:
                done = hub_materials.publish(s, prepared, now)
                audit.record(
                    s,
                    me.actor,
                    "material.publish",
                    now,
                    done.material.id,
                    f"v{done.material.version} {done.action}",
                )
        except hub_materials.MaterialError as e:
            reason = str(e).replace(str(path), name)
            return _listing(request, me, 400, f"资料包未通过检查，未发布：{reason}")
    return back("/console/materials", "published")


@router.post("/materials/{material_id}/withdraw")
def material_withdraw(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.ADMIN))],
    material_id: Annotated[str, Path(max_length=64)],
) -> Response:
    now = now_of(request)
    with request.app.state.db.write() as s:
        row = hub_materials.withdraw(s, material_id, now)
        if row is None:
            raise Forbidden("没有这个资料包。")
        audit.record(s, me.actor, "material.withdraw", now, material_id)
    return back("/console/materials", "withdrawn")
