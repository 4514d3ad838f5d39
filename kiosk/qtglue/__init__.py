"""Qt-aware glue without widgets: scanner thread, station bridge, idle timer, input filters.

Only this package and :mod:`kiosk.ui` import PySide6. Submodules are imported explicitly.
"""
