"""The station's one error for the person at the keyboard."""

from __future__ import annotations


class StationError(Exception):
    """A problem the person at the keyboard can fix; its message says how."""
