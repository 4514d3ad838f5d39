"""Station ↔ hub sync: shared protocol schemas and the station's Qt-free sync engine."""
