"""Every ``kiosk-hub`` command module, in the order ``--help`` lists them.

Adding a command: a module in this package with ``add_parsers`` and ``HANDLERS``
(:mod:`kiosk.hub.cli.common`), and one line here.
"""

from __future__ import annotations

from kiosk.hub.cli import (
    activity_commands,
    announce_commands,
    export_commands,
    materials_commands,
    roster_commands,
    server_commands,
    station_commands,
    stats_commands,
    user_commands,
)

COMMAND_MODULES = (
    server_commands,  # serve, migrate
    station_commands,  # station add|list|revoke
    roster_commands,  # person import|list, badge revoke
    export_commands,  # export visits
    announce_commands,  # announce
    materials_commands,  # materials publish|list|withdraw
    user_commands,  # user add|list|disable|password
    activity_commands,  # activity, hours, report
    stats_commands,  # stats
)
HANDLERS = {name: run for module in COMMAND_MODULES for name, run in module.HANDLERS.items()}
