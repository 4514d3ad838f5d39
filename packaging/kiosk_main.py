"""PyInstaller's entry script: the same ``main()`` as the ``kiosk`` console command."""

import sys

from kiosk.app import main

sys.exit(main())
