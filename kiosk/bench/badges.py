"""``python -m kiosk.bench.badges [--people N]``: ``kiosk badge issue --all`` on a roster.

A fresh station in a temporary folder gets N people (default 2,000) through
``kiosk person import``; then each form of ``badge issue --all`` runs in this process, as
the command line runs it: ``--sheet`` (one A4 PDF), ``--out-dir`` (a PNG per person) and
both. Prints wall and CPU seconds per run and the PDF's size and pages. The machine's load
shows in wall time; CPU time says more on a shared machine.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

TRADES = ("环卫", "市政", "绿化", "河道", "停车", "执法", "交警", "快递外卖", "其他")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂建国华志海燕红梅春花德胜玉"


def roster_csv(path: Path, people: int) -> Path:
    rows = ["name,trade,team,party_member,phone"]
    for i in range(people):
        given = GIVEN[(i * 7) % len(GIVEN)] + GIVEN[(i * 13) % len(GIVEN)]
        name = SURNAMES[i % len(SURNAMES)] + given
        team = ("一班", "二班", "三班", "夜班", "")[i % 5]
        rows.append(f"{name},{TRADES[i % len(TRADES)]},{team},,139{i:08d}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _kiosk(data: Path, *argv: str) -> tuple[float, float]:
    """Run one ``kiosk`` command in-process (output discarded); (wall, CPU) seconds."""
    from kiosk.app import main

    wall, cpu = time.perf_counter(), time.process_time()
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        status = main(["--data-dir", str(data), *argv])
    if status != 0:
        raise SystemExit(f"kiosk {' '.join(argv)} failed ({status}): {sink.getvalue()[-500:]}")
    return time.perf_counter() - wall, time.process_time() - cpu


def run(people: int = 2000) -> int:
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-badges-") as tmp:
        root = Path(tmp)
        data = root / "station"
        _kiosk(data, "init", "--station-name", "基准测试站")
        _kiosk(data, "person", "import", str(roster_csv(root / "people.csv", people)))
        print(f"badge issue --all for {people} people ({os.cpu_count()} CPUs, load {_load()})")
        sheet, both = ["--sheet", str(root / "a.pdf")], ["--sheet", str(root / "b.pdf")]
        for label, extra in (
            ("--sheet", sheet),
            ("--out-dir", ["--out-dir", str(root / "png")]),
            ("--out-dir --sheet", ["--out-dir", str(root / "png2"), *both]),
        ):
            wall, cpu = _kiosk(data, "badge", "issue", "--all", *extra)
            per_card = wall / people * 1000
            print(f"  {label:<18} {wall:6.1f} s wall  {cpu:6.1f} s CPU  {per_card:5.1f} ms/card")
        pdf = root / "a.pdf"
        pages = -(-people // 12)
        print(f"  PDF: {pdf.stat().st_size / 1e6:.1f} MB, {pages} A4 pages")
    return 0


def _load() -> str:
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "?"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m kiosk.bench.badges", description=__doc__)
    ap.add_argument("--people", type=int, default=2000)
    return run(ap.parse_args(argv).people)


if __name__ == "__main__":
    sys.exit(main())
