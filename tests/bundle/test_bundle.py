"""Smoke test of the PyInstaller bundle, run from the bundle only, as a station would.

Runs when ``KIOSK_BUNDLE`` names a built ``dist/station-kiosk`` (``.ci/run`` builds it
first; locally: ``./dev bundle`` then ``KIOSK_BUNDLE=dist/station-kiosk pytest -m bundle``).
Every command runs in an empty data dir with a bare environment: no ``.venv`` on ``PATH``,
no ``PYTHONPATH``, nothing from the checkout.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk import __version__

ROOT = Path(__file__).resolve().parents[2]
SYSTEM_LIBS = ROOT / "packaging" / "deb" / "system-libs.txt"
RECORDED_SIZE = ROOT / "packaging" / "bundle-size.txt"
BUNDLE = Path(os.environ["KIOSK_BUNDLE"]).resolve() if os.environ.get("KIOSK_BUNDLE") else None

pytestmark = [
    pytest.mark.bundle,
    pytest.mark.skipif(BUNDLE is None, reason="KIOSK_BUNDLE not set (./dev bundle builds it)"),
]


@pytest.fixture(scope="module")
def kiosk() -> Path:
    assert BUNDLE is not None
    exe = BUNDLE / "kiosk"
    assert exe.is_file(), f"no {exe}: run ./dev bundle"
    return exe


@pytest.fixture
def home(tmp_path: Path) -> Path:
    (tmp_path / "home").mkdir()
    return tmp_path / "home"


def bare_env(home: Path, **extra: str) -> dict[str, str]:
    """What a station's service gets: no virtualenv, no checkout on any path."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}
    env.update(extra)
    return env


def run(kiosk: Path, home: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(kiosk), *args],
        cwd=home,
        env=bare_env(home, QT_QPA_PLATFORM="offscreen", **extra),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"{args}: {done.stderr[-2000:]}"
    return done


def test_version(kiosk: Path, home: Path) -> None:
    assert run(kiosk, home, "--version").stdout.strip() == f"kiosk {__version__}"


def test_init_person_badge_decode_scan_visits(kiosk: Path, home: Path) -> None:
    data = ["--data-dir", str(home / "data"), "--json"]
    run(kiosk, home, *data, "init", "--station-name", "烟测驿站")
    person = json.loads(
        run(kiosk, home, *data, "person", "add", "--name", "张三", "--trade", "环卫").stdout
    )
    card = home / "card.png"
    issued = json.loads(
        run(kiosk, home, *data, "badge", "issue", person["id"], "--out", str(card)).stdout
    )
    decoded = json.loads(run(kiosk, home, *data, "decode", str(card)).stdout)
    assert decoded["codes"] == [issued["token"]]
    scanned = json.loads(run(kiosk, home, *data, "scan-image", str(card)).stdout)
    assert scanned["outcome"] == "checked_in"
    assert scanned["message"] == "张师傅，欢迎回家！"
    visits = [json.loads(line) for line in run(kiosk, home, *data, "visits").stdout.splitlines()]
    assert [(v["visit_id"], v["person_id"]) for v in visits] == [
        (scanned["visit_id"], person["id"])
    ]


def test_screenshot_renders_chinese_like_the_source_tree(kiosk: Path, home: Path) -> None:
    """The bundle's 首页 against the same screen rendered from the checkout, pixel by pixel.

    The home screen has no clock or names, so the two agree unless the bundle lost its font
    set-up (empty boxes instead of 请选择服务), its style sheet or its icons.
    """
    from PIL import Image, ImageChops

    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    assert fonts.strip(), "no CJK font on this machine: apt-get install fonts-wqy-microhei"
    ours = home / "bundle-home.png"
    run(
        kiosk,
        home,
        "--data-dir",
        str(home / "data"),
        "screenshot",
        "--screen",
        "home",
        "--out",
        str(ours),
    )
    reference = home / "tree-home.png"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk",
            "--data-dir",
            str(home / "tree-data"),
            "screenshot",
            "--screen",
            "home",
            "--out",
            str(reference),
        ],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)},
        check=True,
        capture_output=True,
        timeout=120,
    )
    a, b = Image.open(ours).convert("RGB"), Image.open(reference).convert("RGB")
    assert a.size == b.size == (1280, 800)
    diff = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v > 40 else 0)
    changed = sum(diff.histogram()[255:])
    assert changed < 0.005 * a.width * a.height, f"{changed} pixels differ (see {ours})"
    # the title band holds dark strokes of 请选择服务, not a few hollow boxes
    title = a.crop((500, 10, 780, 85)).convert("L").point(lambda v: 255 if v < 100 else 0)
    assert sum(title.histogram()[255:]) > 1500


@pytest.fixture
def notify_socket() -> Iterator[socket.socket]:
    folder = tempfile.mkdtemp(prefix="kb-")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(os.path.join(folder, "notify"))
    sock.settimeout(90)
    yield sock
    sock.close()
    shutil.rmtree(folder)


@pytest.mark.skipif(not shutil.which("Xvfb"), reason="no Xvfb")
def test_run_demo_paints_under_xvfb_and_stops_on_sigterm(
    kiosk: Path, home: Path, notify_socket: socket.socket
) -> None:
    """The first paint is when the kiosk says READY=1 (services/lifecycle.py)."""
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        display = ":" + pipe.readline().strip()
    child = subprocess.Popen(
        [
            str(kiosk),
            "--data-dir",
            str(home / "data"),
            "run",
            "--demo",
            "--camera",
            str(home / "no-camera"),
        ],
        cwd=home,
        env=bare_env(
            home, DISPLAY=display, QT_QPA_PLATFORM="xcb", NOTIFY_SOCKET=notify_socket.getsockname()
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert notify_socket.recv(4096).decode().startswith("READY=1")
        child.send_signal(signal.SIGTERM)
        _out, err = child.communicate(timeout=90)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        xvfb.terminate()
        xvfb.wait(timeout=30)
    assert child.returncode == 0, err[-2000:]


@pytest.mark.skipif(
    not shutil.which("cage") or os.geteuid() != 0, reason="needs cage, and root to drop to nobody"
)
def test_run_paints_under_cage_as_an_unprivileged_user(kiosk: Path, tmp_path: Path) -> None:
    """Debian 12's cage, headless, as on a station: Wayland, a non-root user (cage refuses
    root), the system's wayland libraries. READY=1 means the first paint happened."""
    reachable = subprocess.run(["runuser", "-u", "nobody", "--", "test", "-x", str(kiosk)])
    if reachable.returncode != 0:  # e.g. a checkout under /root (mode 0700)
        pytest.skip("the bundle is not readable by nobody here")
    home = Path(tempfile.mkdtemp(prefix="kc-"))
    home.chmod(0o755)  # nobody must reach its folders and the notify socket
    for sub in ("run", "data"):
        (home / sub).mkdir()
    (home / "run").chmod(0o700)
    shutil.chown(home / "run", "nobody")
    shutil.chown(home / "data", "nobody")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(home / "notify"))
    sock.settimeout(90)
    os.chmod(home / "notify", 0o777)
    env = bare_env(
        home,
        XDG_RUNTIME_DIR=str(home / "run"),
        WLR_BACKENDS="headless",
        WLR_RENDERER="pixman",
        QT_QPA_PLATFORM="wayland",
        NOTIFY_SOCKET=str(home / "notify"),
        KIOSK_LOG_DIR=str(home / "data/logs"),
    )
    cage = subprocess.Popen(
        [
            "runuser",
            "-u",
            "nobody",
            "--",
            "env",
            *(f"{k}={v}" for k, v in env.items()),
            "cage",
            "-d",
            "--",
            str(kiosk),
            "--data-dir",
            str(home / "data"),
            "run",
            "--demo",
            "--camera",
            str(home / "none"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        message = sock.recv(4096).decode()
        assert message.startswith("READY=1")
        stop = ROOT / "packaging" / "deb" / "session" / "stop-kiosk"
        runuser = subprocess.run(
            ["pgrep", "-P", str(cage.pid), "-x", "cage"], capture_output=True, text=True
        )
        cage_pid = runuser.stdout.split()[0]  # runuser → env → cage (exec'd): cage's pid
        subprocess.run([str(stop), cage_pid], check=True, timeout=60)  # the unit's ExecStop
        _out, err = cage.communicate(timeout=60)
    finally:
        if cage.poll() is None:
            cage.kill()
            cage.wait()
        sock.close()
        shutil.rmtree(home, ignore_errors=True)
    assert cage.returncode == 0, err[-2000:]


def _elf_files(bundle: Path) -> list[Path]:
    found = []
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as f:
                if f.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def test_every_bundled_library_finds_its_dependencies(kiosk: Path) -> None:
    """``ldd`` of every ELF file: each dependency is in the bundle or on the allow-list of
    system libraries that the .deb depends on (packaging/deb/system-libs.txt)."""
    allowed = {
        line.split()[0]
        for line in SYSTEM_LIBS.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    internal = kiosk.parent / "_internal"
    problems: dict[str, set[str]] = {}
    files = _elf_files(kiosk.parent)
    assert len(files) > 100
    for path in files:
        out = subprocess.run(
            ["ldd", str(path)],
            env={"LD_LIBRARY_PATH": str(internal)},
            capture_output=True,
            text=True,
        ).stdout
        for line in out.splitlines():
            match = re.match(r"\s*(\S+) => (not found|\S+)", line)
            if match is None:
                continue
            name, where = match.groups()
            inside = where != "not found" and Path(where).resolve().is_relative_to(kiosk.parent)
            if not inside and name not in allowed:
                problems.setdefault(f"{name} ({where})", set()).add(path.name)
    assert not problems, "\n".join(f"{k}: needed by {sorted(v)[:3]}" for k, v in problems.items())


def bundle_megabytes(bundle: Path) -> float:
    total = sum(p.lstat().st_size for p in bundle.rglob("*") if p.is_file() or p.is_symlink())
    return total / 1_000_000


def test_bundle_size_within_10_percent_of_the_recorded_figure(kiosk: Path) -> None:
    recorded = float(RECORDED_SIZE.read_text().split()[0])
    size = bundle_megabytes(kiosk.parent)
    assert size <= recorded * 1.10, (
        f"the bundle grew to {size:.0f} MB (recorded {recorded:.0f} MB in {RECORDED_SIZE.name}):"
        " leave the new weight out in kiosk.spec, or record the new figure with a reason"
    )


def test_what_a_station_does_not_run_is_left_out(kiosk: Path) -> None:
    internal = kiosk.parent / "_internal"
    names = {p.name for p in internal.iterdir()}
    for absent in ("psycopg", "psycopg_binary", "fastapi", "uvicorn", "starlette", "pytest"):
        assert absent not in names
    assert not list(internal.glob("**/libQt6WebEngine*"))
    assert not list(internal.glob("**/platformthemes/*"))
    translations = {p.name for p in (internal / "PySide6/Qt/translations").iterdir()}
    assert translations == {"qtbase_en.qm", "qtbase_zh_CN.qm"}
    platforms = {p.name for p in (internal / "PySide6/Qt/plugins/platforms").iterdir()}
    assert platforms == {"libqxcb.so", "libqwayland.so", "libqeglfs.so", "libqoffscreen.so"}
    for kept in (
        "PySide6/Qt/plugins/texttospeech/libqtexttospeech_speechd.so",
        "PySide6/Qt/plugins/multimedia/libffmpegmediaplugin.so",
        "libzbar.so.0",
        "resources/styles/kiosk.qss",
        "resources/translations/kiosk_en.qm",
        "kiosk/store/migrations/env.py",
    ):
        assert (internal / kept).exists(), kept
    assert sorted((internal / "kiosk/store/migrations/versions").glob("0001_*.py"))
