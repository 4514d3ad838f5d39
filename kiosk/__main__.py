"""`python -m kiosk` runs the same entry point as the `kiosk` command."""

import sys

from kiosk.app import main

sys.exit(main())
