"""The grammar of ``kiosk activity`` (issue 14, section 4); handlers: ``activity_commands``."""

from __future__ import annotations

import argparse


def add_activity_parser(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    common: argparse.ArgumentParser,
    parser_class: type[argparse.ArgumentParser],
) -> None:
    """Add ``activity`` to ``sub``; called by ``cli/parser.build_parser``."""
    activity = sub.add_parser(
        "activity",
        help="activities: 组织生活, lectures, volunteer service, sign-in sheets",
        description="activities and their sign-in",
        parents=[common],
    ).add_subparsers(
        dest="activity_command", required=True, parser_class=parser_class, metavar="ACTION"
    )
    a_add = activity.add_parser("add", help="schedule an activity here", parents=[common])
    a_add.add_argument("--title", required=True)
    a_add.add_argument(
        "--kind", required=True, help="organization-life lecture volunteer meeting other"
    )
    a_add.add_argument("--start", required=True, metavar='"YYYY-MM-DD HH:MM"')
    a_add.add_argument("--end", required=True, metavar='"YYYY-MM-DD HH:MM"')
    a_add.add_argument("--host", metavar="UNIT", help="the host unit")
    a_add.add_argument("--place", help="where (default: this station)")
    a_add.add_argument(
        "--service-hours", action="store_true", help="attendance credits service hours"
    )
    a_list = activity.add_parser("list", help="activities, of one day or all", parents=[common])
    a_list.add_argument("--date", metavar="YYYY-MM-DD")
    for name, help_ in (
        ("show", "one activity: attendance and counts by category"),
        ("start", "start it now (a start still ahead moves to now)"),
        ("end", "end it: everyone still in is signed out; forgotten ones go to review"),
    ):
        activity.add_parser(name, help=help_, parents=[common]).add_argument(
            "activity_id", metavar="ID"
        )
    a_scan = activity.add_parser("scan", help="sign in/out with badge texts", parents=[common])
    a_scan.add_argument("activity_id", metavar="ID")
    a_scan.add_argument("texts", nargs="+", metavar="TEXT")
    a_guest = activity.add_parser("guest", help="sign in a walk-in guest", parents=[common])
    a_guest.add_argument("activity_id", metavar="ID")
    a_guest.add_argument("--name", required=True)
    a_guest.add_argument("--category", required=True, help="驿站党员 流动党员 … or a code")
    a_guest.add_argument("--unit")
    a_guest.add_argument("--phone-tail", metavar="NNNN", help="last 4 digits of a phone")
    a_cancel = activity.add_parser(
        "cancel", help="cancel one nobody signed in to", parents=[common]
    )
    a_cancel.add_argument("activity_id", metavar="ID")
    a_cancel.add_argument("--reason")
    a_sheet = activity.add_parser("sheet", help="the 签到表 as an A4 PDF", parents=[common])
    a_sheet.add_argument("activity_id", metavar="ID")
    a_sheet.add_argument("--out", required=True, metavar="FILE.pdf")
