"""The argument grammar of ``kiosk``; handlers live in :mod:`kiosk.cli.commands`."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from kiosk import __version__
from kiosk.cli.quick_args import UsageError
from kiosk.screen_names import SCREENSHOT_SCENES

__all__ = ["UsageError", "build_parser", "parse_args"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see --help)")

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            sys.stderr.write(message)
        raise SystemExit(status)


def _common() -> argparse.ArgumentParser:
    """Options accepted both before and after the sub-command."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        default=argparse.SUPPRESS,
        help="station data folder (default: $KIOSK_DATA_DIR or the user data dir)",
    )
    common.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help="print one JSON object per line",
    )
    common.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,
        help="log debug messages to stderr too",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = _Parser(prog="kiosk", description="驿站终端 — Station Kiosk", parents=[common])
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    def add(name: str, help_: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help_, description=help_, parents=[common])

    run = add("run", "open the touchscreen (the default command)")
    run.add_argument("--demo", action="store_true", help="use a demo station with demo workers")
    run.add_argument("--camera", metavar="SRC", help="camera index, video file or image folder")
    run.add_argument("--windowed", action="store_true", help="a normal window, not full screen")
    run.add_argument("--lang", choices=["zh", "en"], default="zh")
    run.add_argument(
        "--headless",
        action="store_true",
        help="no screen: print demo badges and scan them (with --demo)",
    )

    shot = add("screenshot", "render one screen offscreen to a PNG and exit")
    shot.add_argument(
        "--screen",
        required=True,
        choices=SCREENSHOT_SCENES,
    )
    shot.add_argument("--out", required=True, metavar="FILE.png")
    shot.add_argument("--size", default="1280x800", metavar="WxH")
    shot.add_argument("--lang", choices=["zh", "en"], default="zh")

    init = add("init", "create this station and its badge-signing key")
    init.add_argument("--station-name", required=True, metavar="NAME")

    person = add("person", "the roster").add_subparsers(
        dest="person_command", required=True, parser_class=_Parser, metavar="ACTION"
    )
    p_add = person.add_parser("add", help="add a person", parents=[common])
    p_add.add_argument("--name", required=True)
    p_add.add_argument(
        "--trade", required=True, help="环卫 市政 绿化 河道 停车 执法 交警 快递外卖 其他"
    )
    p_add.add_argument("--team")
    p_add.add_argument("--party-member", action="store_true")
    p_add.add_argument("--phone")
    p_add.add_argument(
        "--category",
        help="驿站党员 流动党员 两新党员 机关党员（下沉） 社区党员 群众 志愿者 共建单位",
    )
    p_import = person.add_parser(
        "import", help="import a CSV (name,trade,team,party_member,phone)", parents=[common]
    )
    p_import.add_argument("file", metavar="FILE.csv")
    p_list = person.add_parser("list", help="list the roster", parents=[common])
    p_list.add_argument("--all", action="store_true", help="include inactive people")
    p_find = person.add_parser("find", help="search by name, pinyin or initials", parents=[common])
    p_find.add_argument("query")

    badge = add("badge", "badges").add_subparsers(
        dest="badge_command", required=True, parser_class=_Parser, metavar="ACTION"
    )
    b_issue = badge.add_parser("issue", help="issue a badge and draw its card", parents=[common])
    b_issue.add_argument("person_id", nargs="?", metavar="PERSON_ID")
    b_issue.add_argument("--all", action="store_true", help="a badge for every active person")
    b_issue.add_argument("--out", metavar="FILE.png")
    b_issue.add_argument("--out-dir", metavar="DIR", help="one PNG card per person (with --all)")
    b_issue.add_argument(
        "--sheet", metavar="FILE.pdf", help="A4 pages of cards with cut marks, to print"
    )
    b_issue.add_argument("--expires", metavar="YYYY-MM-DD")
    b_revoke = badge.add_parser("revoke", help="revoke all of a person's badges", parents=[common])
    b_revoke.add_argument("person_id", metavar="PERSON_ID")

    scan = add("scan", "check in/out with badge texts, exactly as a camera read would")
    scan.add_argument("texts", nargs="+", metavar="TEXT")
    scan_image = add("scan-image", "decode images, then check in/out as `scan` does")
    scan_image.add_argument("files", nargs="+", metavar="FILE")
    decode = add("decode", "decode QR codes in images (no check-in)")
    decode.add_argument("files", nargs="+", metavar="FILE")

    visits = add("visits", "list a day's visits")
    visits.add_argument("--date", metavar="YYYY-MM-DD")
    stats = add("stats", "a day's or a month's figures: 人次, people, by trade, rest hours")
    when = stats.add_mutually_exclusive_group()
    when.add_argument("--date", metavar="YYYY-MM-DD")
    when.add_argument(
        "--month", metavar="YYYY-MM", help="a whole month (the keeper's 统计), with study"
    )

    enroll = add("enroll", "join the bureau's hub with a one-time code")
    enroll.add_argument("hub_url", metavar="HUB_URL")
    enroll.add_argument("code", metavar="CODE")
    enroll.add_argument(
        "--again",
        action="store_true",
        help="enrol again with a new code (the hub was restored from an older backup, or "
        "another hub); every event is sent again",
    )
    sync = add("sync", "send events to the hub and fetch news (push, then pull)")
    sync.add_argument("--once", action="store_true", help="one round, then exit")
    add("sync-status", "pending and quarantined events, last success and error, clock offset")
    add("sync-quarantine", "export the events the hub rejected (kept, never resent)")

    from kiosk.cli.activity_grammar import add_activity_parser

    add_activity_parser(sub, common, _Parser)

    materials = add("materials", "study content packages (讲习所)").add_subparsers(
        dest="materials_command", required=True, parser_class=_Parser, metavar="ACTION"
    )
    m_import = materials.add_parser(
        "import", help="install packages (folders or zips), strictly", parents=[common]
    )
    m_import.add_argument("paths", nargs="+", metavar="PATH")
    materials.add_parser("list", help="list installed materials", parents=[common])
    m_remove = materials.add_parser("remove", help="uninstall a material", parents=[common])
    m_remove.add_argument("material_id", metavar="ID")

    admin = add("admin", "the station keeper's PIN").add_subparsers(
        dest="admin_command", required=True, parser_class=_Parser, metavar="ACTION"
    )
    admin.add_parser(
        "set-pin",
        help="set the touchscreen's admin PIN (asked twice; or one line on stdin)",
        parents=[common],
    )

    backup = add("backup", "copy the station database (online; default: <data dir>/backups/)")
    backup.add_argument("--out", metavar="FILE", help="where to write the backup")
    restore = add("restore", "replace the station database with a backup (stop the kiosk first)")
    restore.add_argument("file", metavar="FILE", help="a file made by `kiosk backup`")
    restore.add_argument(
        "--other-station", action="store_true", help="allow a backup of another station"
    )

    config = add("config", "read or change settings").add_subparsers(
        dest="config_command", required=True, parser_class=_Parser, metavar="ACTION"
    )
    c_get = config.add_parser("get", help="show one setting, or all", parents=[common])
    c_get.add_argument("key", nargs="?")
    c_set = config.add_parser("set", help="change a setting", parents=[common])
    c_set.add_argument("key")
    c_set.add_argument("value")
    return parser


_GLOBAL_DEFAULTS = {"data_dir": None, "json": False, "verbose": False}


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Parse ``argv``; no command means ``run``. (``kiosk.app`` tries the quicker
    :func:`kiosk.cli.quick_args.parse_run` first; it accepts a subset of this grammar.)"""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args([*argv, "run"])
    for name, default in _GLOBAL_DEFAULTS.items():
        if not hasattr(args, name):
            setattr(args, name, default)
    return args
