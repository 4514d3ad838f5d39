"""The upstream hub: a FastAPI server, its own database schema and the ``kiosk-hub`` CLI.

Optional part of the package (``pip install .[hub]``); the kiosk UI never imports it.
"""
