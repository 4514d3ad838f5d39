"""Hearing from the operating system that the network came back.

``NetworkWatch`` wraps ``QNetworkInformation`` (NetworkManager, GLib or ConnMan backends on
Linux). When no backend loads — no D-Bus in a container, an exotic system — it says so once
in the log and stays silent; the sync worker's backoff still retries on its own, only
later. The OS's reachability is what the watch trusts: a change from "no network" to any
network (a city intranet counts as ``Site``) is "came back", and sync runs at once.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)


class NetworkWatch(QObject):
    came_online = Signal()
    """The network was down (or unknown) and now is up."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.online: bool | None = None  # None until a backend reports
        self._info: QObject | None = None

    def start(self) -> bool:
        """Load the OS backend and listen; False (logged) when there is none."""
        from PySide6.QtNetwork import QNetworkInformation

        if not QNetworkInformation.loadDefaultBackend():
            log.info("no network-status backend; sync relies on its retry timer alone")
            return False
        info = QNetworkInformation.instance()
        self._info = info
        self.online = self._is_up(info.reachability())
        info.reachabilityChanged.connect(self.on_reachability)
        log.info("watching network status (%s backend)", info.backendName())
        return True

    def stop(self) -> None:
        if self._info is not None:
            self._info.reachabilityChanged.disconnect(self.on_reachability)
            self._info = None

    @staticmethod
    def _is_up(reachability: object) -> bool:
        from PySide6.QtNetwork import QNetworkInformation

        r = QNetworkInformation.Reachability
        return reachability in (r.Local, r.Site, r.Online)

    @Slot(object)
    def on_reachability(self, reachability: object) -> None:
        up = self._is_up(reachability)
        was, self.online = self.online, up
        if up and was is not True:
            log.info("network is back (%s)", getattr(reachability, "name", reachability))
            self.came_online.emit()
        elif not up and was:
            log.info("network lost (%s)", getattr(reachability, "name", reachability))
