"""systemd's notify protocol: a few datagrams to ``$NOTIFY_SOCKET`` (sd_notify(3)).

Written out (a dozen lines of stdlib) rather than a dependency: python-systemd needs
libsystemd's headers to build, and the small ``sdnotify`` package is unmaintained; the
protocol is one ``sendto`` of ``KEY=VALUE`` lines. Without ``NOTIFY_SOCKET`` (not started by
systemd with ``Type=notify``) every call is a no-op. Qt-free; the GUI-thread watchdog timer
is in ``services/lifecycle.py``.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import socket

log = logging.getLogger(__name__)


class SystemdNotifier:
    """Sends state lines to the service manager, if there is one."""

    def __init__(self, environ: dict[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        address = env.get("NOTIFY_SOCKET", "")
        if address.startswith("@"):  # Linux abstract namespace
            address = "\0" + address[1:]
        self.address = address
        self.watchdog_usec = _watchdog_usec(env)
        self._socket: socket.socket | None = None
        self.failures = 0

    @property
    def enabled(self) -> bool:
        return bool(self.address)

    def notify(self, *lines: str) -> bool:
        """Send ``lines`` as one datagram; True if it was sent (never raises)."""
        if not self.address:
            return False
        try:
            if self._socket is None:
                import socket  # here: a kiosk outside systemd never needs it

                self._socket = socket.socket(
                    socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC
                )
            self._socket.sendto("\n".join(lines).encode(), self.address)
            return True
        except OSError as e:  # the manager went away: nothing we can do but say so once
            level = logging.DEBUG if self.failures else logging.WARNING
            self.failures += 1
            log.log(level, "sd_notify %s failed: %s", lines[0] if lines else "", e)
            return False

    def ready(self, status: str = "") -> bool:
        return self.notify("READY=1", *([f"STATUS={status}"] if status else []))

    def watchdog(self) -> bool:
        return self.notify("WATCHDOG=1")

    def stopping(self) -> bool:
        return self.notify("STOPPING=1")

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None


def _watchdog_usec(env: dict[str, str] | os._Environ[str]) -> int:
    """``WATCHDOG_USEC`` when it is meant for this process, else 0.

    ``WATCHDOG_PID`` names the service's main process. Under cage that is the compositor and
    the kiosk is its child (the unit says ``NotifyAccess=all``), so the parent counts too.
    """
    pid = env.get("WATCHDOG_PID")
    if pid and pid not in (str(os.getpid()), str(os.getppid())):
        return 0
    try:
        return max(0, int(env.get("WATCHDOG_USEC", "0")))
    except ValueError:
        return 0
