"""Names of the screens ``kiosk screenshot`` can render; Qt-free so the CLI parser can list them."""

from __future__ import annotations

STUDY_SCREENS = ("study", "study-list", "study-reader", "study-quiz", "study-score", "my-study")
KEEPER_SCREENS = (  # issue 15, kiosk/ui/keeper_flow.py
    "keeper",
    "keeper-present",
    "keeper-stats",
    "keeper-export",
    "keeper-device",
    "keeper-pin",
)
SCREENSHOT_SCREENS = (
    "welcome",
    "home",
    "greeting",
    "checkout",
    "refusal",
    "search",
    "trades",
    "services",
    "settings",
    *STUDY_SCREENS,
    *KEEPER_SCREENS,
)
