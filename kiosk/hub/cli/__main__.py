"""``python -m kiosk.hub.cli``: the same entry point as the ``kiosk-hub`` command."""

import sys

from kiosk.hub.cli import main

sys.exit(main())
