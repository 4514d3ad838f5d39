"""SQLAlchemy helpers both schemas use: the station's (``kiosk.store``) and the hub's.

The UTC datetime type and the constraint naming convention (:mod:`kiosk.db.types`), SQLite's
durable connection settings and the read/write session factory (:mod:`kiosk.db.sessions`),
and the start-up migration runner (:mod:`kiosk.db.migrations`). Neither schema imports the
other's models.
"""
