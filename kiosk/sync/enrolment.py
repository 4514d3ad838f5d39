"""Enrolment: a one-time code from the hub exchanged for this station's hub id and token.

Qt-free; HTTP on the caller's thread, the database steps on the station's database thread.
"""

from __future__ import annotations

import logging

import httpx
from sqlalchemy import select

from kiosk.core.errors import StationError
from kiosk.core.station import StationService
from kiosk.store.models import KeyringEntry
from kiosk.sync import state
from kiosk.sync.protocol import EnrollRequest, EnrollResponse
from kiosk.sync.token import token_store
from kiosk.sync.transport import DEFAULT_TIMEOUT, HubTransport

log = logging.getLogger(__name__)


def enroll(
    station: StationService,
    hub_url: str,
    code: str,
    timeout: httpx.Timeout = DEFAULT_TIMEOUT,
    *,
    again: bool = False,
) -> EnrollResponse:
    """Exchange a one-time code for this station's hub id and token; learn the keyring.

    ``again`` enrols a station that was enrolled before — with a hub restored from a backup
    older than its enrolment, or with another hub: the new token replaces the old one, and
    every event goes up again from the start (the hub answers ``duplicate`` for what it
    already holds from this device).
    """
    info = station.info()
    tokens = token_store(station)
    if tokens.read() is not None and not again:
        raise StationError(
            f"already enrolled (token in {tokens.path}); to enrol again with a new code, "
            "use: kiosk enroll --again HUB_URL CODE"
        )

    def own_key() -> KeyringEntry:
        with station.db.read() as s:
            entry = s.scalar(select(KeyringEntry).where(KeyringEntry.key_id == info.key_id))
        assert entry is not None
        return entry

    key = station.worker.call(own_key)
    request = EnrollRequest(
        code=code,
        key_id=key.key_id,
        public_key=key.public_key.hex(),
        local_station_id=info.id,
        device_id=info.device_id,
    )
    transport = HubTransport(hub_url, timeout=timeout)
    try:
        response = transport.enroll(request)
    finally:
        transport.close()
    tokens.write(response.token)
    now = station.clock.now()

    def save() -> None:
        with station.db.write() as s:
            state.enrolled(s, response.station_id, now)
            state.apply_keys(s, response.keyring, None, now)

    station.worker.call(save)
    station.set_setting("sync.hub_url", hub_url)
    station.reload_keyring()
    log.info(
        "%s with %s as hub station %s",
        "enrolled again" if again else "enrolled",
        hub_url,
        response.station_id,
    )
    return response
