"""The .deb's shape, built by the real packaging/build-deb.sh around a small stand-in bundle
(the real bundle's own checks are in tests/bundle/), and its systemd unit verified."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk import __version__

ROOT = Path(__file__).resolve().parents[2]
DEB = ROOT / "packaging" / "deb"

pytestmark = pytest.mark.skipif(not shutil.which("dpkg-deb"), reason="no dpkg-deb")


@pytest.fixture(scope="module")
def deb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("deb")
    bundle = work / "station-kiosk"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "kiosk").write_text("#!/bin/sh\necho kiosk\n")
    (bundle / "kiosk").chmod(0o755)
    subprocess.run(
        [str(ROOT / "packaging" / "build-deb.sh")],
        env={**os.environ, "BUNDLE": str(bundle), "OUT_DIR": str(work / "out")},
        check=True,
        capture_output=True,
        timeout=300,
    )
    return work / "out" / f"station-kiosk_{__version__}_amd64.deb"


def _field(deb: Path, name: str) -> str:
    return subprocess.run(
        ["dpkg-deb", "-f", str(deb), name], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_depends_names_every_system_library_package_and_the_session(deb: Path):
    depends = {d.strip() for d in _field(deb, "Depends").split(",")}
    needed = {
        line.split()[1]
        for line in (DEB / "system-libs.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert needed <= depends
    session = {"cage", "xwayland", "fonts-wqy-microhei", "speech-dispatcher", "libpam-systemd"}
    assert session <= depends
    assert _field(deb, "Version") == __version__
    assert _field(deb, "Architecture") == "amd64"


def test_files_owners_and_scripts(deb: Path):
    listing = subprocess.run(
        ["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True
    ).stdout
    for path in (
        "./opt/station-kiosk/kiosk",
        "./opt/station-kiosk/session/stop-kiosk",
        "./usr/bin/kiosk",
        "./lib/systemd/system/station-kiosk.service",
        "./etc/pam.d/station-kiosk",
        "./etc/default/station-kiosk",
    ):
        line = next((x for x in listing.splitlines() if x.endswith(" " + path)), None)
        assert line is not None, path
        assert "root/root" in line, line
    control = subprocess.run(
        ["dpkg-deb", "--ctrl-tarfile", str(deb)], capture_output=True, check=True
    ).stdout
    names = subprocess.run(
        ["tar", "-tvf", "-"], input=control, capture_output=True, check=True
    ).stdout.decode()
    for script in ("preinst", "postinst", "prerm", "postrm"):
        assert re.search(rf"^-rwxr-xr-x .* \./{script}$", names, re.M), names
    for script in (*(DEB / "maintainer").iterdir(), *(DEB / "session").iterdir()):
        subprocess.run(["sh", "-n", str(script)], check=True)  # syntax


@pytest.mark.skipif(
    not (shutil.which("systemd-analyze") and shutil.which("cage")),
    reason="systemd-analyze verify needs systemd and cage installed",
)
def test_systemd_accepts_the_unit(tmp_path: Path):
    """``systemd-analyze verify``; only the stop helper's path points into the checkout (the
    package puts it under /opt/station-kiosk/)."""
    unit = (DEB / "systemd" / "station-kiosk.service").read_text()
    stop = DEB / "session" / "stop-kiosk"
    assert "/opt/station-kiosk/session/stop-kiosk" in unit
    (tmp_path / "station-kiosk.service").write_text(
        unit.replace("/opt/station-kiosk/session/stop-kiosk", str(stop))
    )
    done = subprocess.run(
        ["systemd-analyze", "verify", str(tmp_path / "station-kiosk.service")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0 and done.stderr.strip() == "", done.stderr
    for must in (
        "StartLimitAction=reboot",
        "Restart=always",
        "Type=notify",
        "NotifyAccess=all",
        "WatchdogSec=",
        "TTYPath=/dev/tty1",
        "User=kiosk",
        "PAMName=station-kiosk",
    ):
        assert must in unit
    # a group missing on the machine (render, input on a minimal Debian 12) fails the start
    assert not re.search(r"^SupplementaryGroups=", unit, re.M)
