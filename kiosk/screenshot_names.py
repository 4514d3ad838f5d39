"""Names of the scenes ``kiosk screenshot`` renders; Qt-free so the CLI parser can list them."""

from __future__ import annotations

STUDY_SCREENS = ("study", "study-list", "study-reader", "study-quiz", "study-score", "my-study")
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
)
