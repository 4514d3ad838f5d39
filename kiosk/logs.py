"""Logging set-up for every entry point: a rotating file the keeper can send us.

Under systemd (``JOURNAL_STREAM`` names our stderr) INFO and above also go to the journal,
with syslog priority prefixes (``journalctl -u station-kiosk -p warning``). The file stops
while free disk is below ``disk.reserve_mb`` (:class:`DiskReserveFilter`); the journal has
its own size limits.

The touchscreen opens the file only after its first paint (``setup_logging(...,
defer_file=True)``, then :func:`open_log_file`): ``logging.handlers`` pulls in socket,
pickle, queue and copy, ~10 ms on the way to the welcome screen. Until then records wait
in memory, in order, and are written first when the file opens; an ``atexit`` hook opens
it if the window never painted, so a crash at start-up is still in the log.
"""

from __future__ import annotations

import atexit
import logging
import os
import sys
import threading
import time
from pathlib import Path
from types import TracebackType

from kiosk.core.health import DEFAULT_RESERVE_MB, MB, FreeSpace, free_bytes

LOG_FILE = "kiosk.log"
MAX_BYTES = 2_000_000
BACKUPS = 5
_EARLY_LIMIT = 10_000  # records kept before the file opens; later ones are counted, not kept
_FILE_FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"


class _EarlyRecords(logging.Handler):
    """Holds records until the log file opens (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.records: list[logging.LogRecord] = []
        self.dropped = 0
        self.target: logging.Handler | None = None  # the file, once open

    def emit(self, record: logging.LogRecord) -> None:
        if self.target is not None:  # a thread that was already on its way here at the swap
            self.target.handle(record)
        elif len(self.records) < _EARLY_LIMIT:
            self.records.append(record)
        else:
            self.dropped += 1


class DiskReserveFilter(logging.Filter):
    """Drops the log file's records while free disk is below the reserve (``disk.reserve_mb``):
    on a filling disk the log stops first, so check-ins keep the space. Free space is looked
    at every ``CHECK_SECONDS``; stderr (the journal under systemd) says when it stops."""

    CHECK_SECONDS = 30.0

    def __init__(
        self, folder: Path, reserve_mb: float = DEFAULT_RESERVE_MB, free: FreeSpace = free_bytes
    ) -> None:
        super().__init__()
        self.folder = folder
        self.reserve_bytes = int(reserve_mb * MB)
        self.free = free
        self.paused = False
        self.dropped = 0
        self._checked = float("-inf")

    def recheck(self) -> None:
        self._checked = float("-inf")

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        if now - self._checked >= self.CHECK_SECONDS:
            self._checked = now
            try:
                low = self.free(self.folder) < self.reserve_bytes
            except OSError:
                low = self.paused
            if low != self.paused:
                self.paused = low
                state = "paused: free disk below the reserve" if low else "resumed"
                sys.stderr.write(f"kiosk: log file {state} ({self.dropped} records dropped)\n")
        if self.paused:
            self.dropped += 1
            return False
        return True


class JournalFormatter(logging.Formatter):
    """stderr lines for journald: ``<3>kiosk.ui: message`` (the ``<N>`` prefix is the
    syslog priority, sd-daemon(3); journald adds the time, the unit and the pid)."""

    PRIORITIES = (
        (logging.CRITICAL, 2),
        (logging.ERROR, 3),
        (logging.WARNING, 4),
        (logging.INFO, 6),
    )

    def format(self, record: logging.LogRecord) -> str:
        priority = next((p for level, p in self.PRIORITIES if record.levelno >= level), 7)
        text = super().format(record).replace("\n", "\n" + f"<{priority}>")
        return f"<{priority}>{text}"


def under_journald(stream: object = None) -> bool:
    """stderr is connected to the journal (systemd sets ``JOURNAL_STREAM=dev:ino`` for it)."""
    expected = os.environ.get("JOURNAL_STREAM", "")
    if not expected:
        return False
    try:
        st = os.fstat((stream or sys.stderr).fileno())  # type: ignore[attr-defined]
    except (OSError, ValueError, AttributeError):
        return False
    return expected == f"{st.st_dev}:{st.st_ino}"


def set_disk_reserve(reserve_mb: float) -> None:
    """The ``disk.reserve_mb`` setting, once the station's settings are read."""
    for handler in logging.getLogger().handlers:
        for f in handler.filters:
            if isinstance(f, DiskReserveFilter):
                f.reserve_bytes = int(reserve_mb * MB)
                f.recheck()


def _remove_ours(root: logging.Logger) -> None:
    for handler in list(root.handlers):
        if getattr(handler, "_kiosk", False):
            root.removeHandler(handler)
            handler.close()


def _add(root: logging.Logger, handler: logging.Handler) -> None:
    handler._kiosk = True  # type: ignore[attr-defined]
    root.addHandler(handler)


def setup_logging(log_dir: Path, verbose: bool = False, defer_file: bool = False) -> Path:
    """Log to ``log_dir/kiosk.log`` (rotating) and warnings to stderr; returns the file's path.

    ``defer_file``: keep records in memory until :func:`open_log_file` (the touchscreen).
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    _remove_ours(root)
    console = logging.StreamHandler(sys.stderr)
    if under_journald():  # the journal keeps what the file keeps, and survives a full disk
        console.setLevel(logging.DEBUG if verbose else logging.INFO)
        console.setFormatter(JournalFormatter("%(name)s: %(message)s"))
    else:
        console.setLevel(logging.DEBUG if verbose else logging.WARNING)
        console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    _add(root, console)
    _add(root, _EarlyRecords(path))
    logging.captureWarnings(True)
    if defer_file:
        atexit.register(open_log_file)
    else:
        open_log_file()
    return path


def open_log_file() -> None:
    """Swap the in-memory buffer for the rotating file, writing the buffered records first."""
    import logging.handlers

    root = logging.getLogger()
    early = next((h for h in root.handlers if isinstance(h, _EarlyRecords)), None)
    if early is None:  # already open (or logging was set up another way)
        return
    file_handler = logging.handlers.RotatingFileHandler(
        early.path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
    )
    file_handler.setFormatter(logging.Formatter(_FILE_FORMAT))
    file_handler.addFilter(DiskReserveFilter(early.path.parent))
    assert early.lock is not None
    with early.lock:  # records logged meanwhile wait, then go straight to the file
        for record in early.records:
            file_handler.handle(record)
        early.records = []
        early.target = file_handler
        _add(root, file_handler)
        root.removeHandler(early)
    if early.dropped:
        root.warning("%d start-up log records were dropped", early.dropped)


def install_exception_hooks() -> None:
    """Log uncaught exceptions from any thread instead of losing them on stderr."""

    def log_uncaught(
        exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        logging.getLogger("kiosk.crash").critical(
            "uncaught exception", exc_info=(exc_type, exc, tb)
        )

    def log_thread(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            log_uncaught(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = log_uncaught
    threading.excepthook = log_thread
