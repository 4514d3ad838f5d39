"""Benchmarks run with ``python -m kiosk.bench [decode|commit|all]``."""
