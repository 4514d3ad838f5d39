"""The touchscreen's screens by name, and the scenes ``kiosk screenshot`` renders.

Qt-free, so the CLI's parser can list the scenes without loading Qt. A page declares its
screen (``screen = Screen.HOME``); every screen can be rendered by name except those in
``NOT_RENDERED``, and ``VARIANTS`` adds the scenes that show one screen in another state.
"""

from __future__ import annotations

from enum import Enum


class Screen(Enum):
    WELCOME = "welcome"
    HOME = "home"
    SCAN = "scan"
    GREETING = "greeting"
    SEARCH = "search"
    TRADES = "trades"
    SERVICES = "services"
    PIN = "pin"
    SETTINGS = "settings"
    STUDY = "study"
    STUDY_LIST = "study-list"
    STUDY_READER = "study-reader"
    STUDY_QUIZ = "study-quiz"
    MY_STUDY = "my-study"
    # The keeper's station (issue 15): ui/keeper_flow.py and ui/screens/keeper_*.py
    KEEPER = "keeper"
    KEEPER_PRESENT = "keeper-present"
    KEEPER_STATS = "keeper-stats"
    KEEPER_EXPORT = "keeper-export"
    KEEPER_DEVICE = "keeper-device"
    KEEPER_PIN = "keeper-pin"
    # Activities (issue 14): ui/activity_flow.py and ui/screens/activity_*.py, keeper_activit*.py
    ACTIVITY_SIGNIN = "activity-signin"
    ACTIVITY_GUEST = "activity-guest"
    KEEPER_ACTIVITIES = "keeper-activities"
    KEEPER_ACTIVITY = "keeper-activity"
    KEEPER_ACTIVITY_NEW = "keeper-activity-new"
    KEEPER_BADGE = "keeper-badge"  # 工牌: find a person (ui/screens/keeper_badge.py)
    KEEPER_BADGE_PERSON = "keeper-badge-person"  # 工牌: print, or replace a lost card
    KEEPER_CAMERA = "keeper-camera"  # 设备状态 → 摄像头检查: read a badge, check no one in


NOT_RENDERED = frozenset({Screen.SCAN, Screen.PIN})  # a live camera view; a PIN pad
VARIANTS: dict[Screen, tuple[str, ...]] = {
    Screen.GREETING: ("checkout", "refusal", "activity-offer", "activity-joined"),
    Screen.WELCOME: ("welcome-activity",),
    Screen.STUDY_QUIZ: ("study-score",),
    Screen.KEEPER_BADGE_PERSON: ("keeper-badge-lost",),
    Screen.KEEPER: ("keeper-usb-offer",),
}
SCREENSHOT_SCENES: tuple[str, ...] = tuple(
    name
    for screen in Screen
    if screen not in NOT_RENDERED
    for name in (screen.value, *VARIANTS.get(screen, ()))
)
