"""The ``kiosk`` command line: keepers' and scripts' way into the station (Qt-free)."""
