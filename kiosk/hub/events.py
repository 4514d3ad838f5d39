"""Per-event validation of pushed events, so one bad event is rejected, not the batch.

Each known ``(type, schema_version)`` has its payload model in :mod:`kiosk.events.schema`
(the station writes with the same models); required fields must be there with the right
types, extra fields are allowed (a newer station may add some). Ids and short fields have
the lengths the hub's projected tables hold; roster lengths are checked on projection.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import ValidationError

from kiosk.events.schema import AS_STORED, is_declared, model_for
from kiosk.sync.protocol import PushEvent


def check_event(event: PushEvent) -> tuple[datetime | None, str | None]:
    """``(device_time, None)`` for a storable event, else ``(None, reason)``."""
    try:
        if str(uuid.UUID(event.id)) != event.id.lower():
            raise ValueError
    except ValueError:
        return None, "bad_id: not a UUID"
    model = model_for(event.type, event.schema_version)
    if model is None:
        if not is_declared(event.type):
            return None, f"unknown_type: {event.type}"
        return None, f"unsupported_schema_version: {event.type} v{event.schema_version}"
    try:
        device_time = datetime.fromisoformat(event.device_time)
    except ValueError:
        return None, "bad_device_time"
    if device_time.tzinfo is None:
        return None, "bad_device_time: no UTC offset"
    try:
        model.model_validate(event.payload, context=AS_STORED)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return None, f"bad_payload: {where}: {first['msg']}"[:300]
    return device_time, None
