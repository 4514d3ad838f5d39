"""Decode benchmark: the kiosk decoder (live and still modes) against single libraries.

One run, every decoder on the same images, each image handed to all decoders in turn so load
spikes on a shared machine hit them alike:

1. **Live frames** (the camera scan loop). Idle frames (no code: most of the kiosk's day) and
   degraded synthetic badge frames at 640x480 and 1280x720: ms per frame and success for the
   live mode, the live pipeline as it was before the two modes (a frozen copy kept in
   :mod:`kiosk.bench._legacy_decoder`, the idle-cost baseline), raw pyzbar and raw zxing-cpp.
2. **Still images** (``kiosk decode``/``scan-image``): the photo-like set of
   :func:`kiosk.devices.synthetic_stills.still_samples` (inverted, rotated, mirrored,
   non-UTF-8 text, codes filling the photo, several codes, perspective, blur, low contrast,
   JPEG, uneven light). An image counts as read only if every payload in it comes out with
   the right text.
   Decoders: kiosk still and live modes, raw pyzbar, raw zxing-cpp (library defaults) and
   OpenCV's ``QRCodeDetectorAruco``.

Targets: still mode reads at least as many still images as the best single library; the live
mode's median idle-frame cost (each frame's fastest of ``--repeat`` timings) is within 10 % of
the old pipeline's at each size. ``--photos DIR`` adds a folder of real photos (ZXing's
blackbox layout: ``NAME.jpg`` + ``NAME.txt``) with the same decoders and targets (plus >= 92 %).
Run ``python -m kiosk.bench decode --frames 200 --still 8 --seed 0``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SIZES: tuple[tuple[int, int], ...] = ((640, 480), (1280, 720))
IDLE_TOLERANCE = 1.10


@dataclass
class _Result:
    ms: list[float] = field(default_factory=list)
    ok: int = 0
    wrong: int = 0
    fails: Counter[str] = field(default_factory=Counter)
    stages: Counter[str] = field(default_factory=Counter)


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _live_decoders() -> dict[str, Any]:
    from kiosk.bench._legacy_decoder import LegacyKioskDecoder
    from kiosk.devices.baseline_decoders import PyzbarDecoder, ZxingDecoder
    from kiosk.devices.decoding import DecodeMode, KioskDecoder

    return {
        "live": KioskDecoder(DecodeMode.LIVE),
        "old-live": LegacyKioskDecoder(),
        "pyzbar": PyzbarDecoder(),
        "zxing": ZxingDecoder(),
    }


def _still_decoders() -> dict[str, Any]:
    from kiosk.devices.baseline_decoders import OpenCvDecoder, PyzbarDecoder, ZxingDecoder
    from kiosk.devices.decoding import DecodeMode, KioskDecoder

    return {
        "still": KioskDecoder(DecodeMode.STILL),
        "live": KioskDecoder(DecodeMode.LIVE),
        "pyzbar": PyzbarDecoder(),
        "zxing": ZxingDecoder(),
        "opencv": OpenCvDecoder(),
    }


def _turn(decoders: dict[str, Any], i: int) -> list[tuple[str, Any]]:
    """The decoders starting with a different one for each image: the first to touch a fresh
    image pays for bringing it into the CPU caches (seen: 7.8 vs 4.0 ms median on 720p badge
    frames for two equivalent pipelines, the one always first being slower)."""
    items = list(decoders.items())
    k = i % len(items)
    return items[k:] + items[:k]


def _timed(dec: Any, image: Any) -> tuple[list[str], float]:
    start = time.perf_counter()
    codes = dec.decode(image)
    return codes, (time.perf_counter() - start) * 1000


def run(argv: Sequence[str] | None = None) -> int:
    """Print the benchmark tables; returns 0 if the decoder meets its targets, else 1."""
    from kiosk.devices import synthetic, synthetic_stills

    ap = argparse.ArgumentParser(prog="python -m kiosk.bench decode")
    ap.add_argument("--frames", type=int, default=200, help="degraded badge frames per size")
    ap.add_argument("--idle", type=int, default=40, help="idle frames per size")
    ap.add_argument(
        "--repeat", type=int, default=5, help="timings per idle frame (the fastest counts)"
    )
    ap.add_argument("--still", type=int, default=8, help="still images per kind")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--photos",
        type=Path,
        help="also a folder of real photos: NAME.jpg/png with the exact text in NAME.txt "
        "(ZXing's blackbox layout); an image without .txt must give no code",
    )
    args = ap.parse_args(argv)
    photos = _load_photos(args.photos) if args.photos else None

    t0 = time.perf_counter()
    payload = synthetic.badge_payload(args.seed)
    idle = {s: synthetic.idle_frames(args.idle, s, args.seed) for s in SIZES}
    badges = {s: synthetic.degraded_samples(payload, args.frames, s, args.seed) for s in SIZES}
    stills = synthetic_stills.still_samples(args.still, args.seed)
    print(f"generated images in {time.perf_counter() - t0:.1f} s (seed {args.seed})")

    live = _live_decoders()
    for dec in live.values():  # warm up lazy library loading
        dec.decode(idle[SIZES[0]][0])
    idle_res: dict[tuple[tuple[int, int], str], _Result] = {}
    badge_res: dict[tuple[tuple[int, int], str], _Result] = {}
    for size in SIZES:
        for name in live:
            idle_res[size, name], badge_res[size, name] = _Result(), _Result()
        for frame in idle[size]:
            # Each decoder's fastest of --repeat timings of the frame: load spikes on a shared
            # machine only ever add time, so the minimum is the frame's cost. The order
            # alternates so neither the new nor the old pipeline always goes first.
            best = {name: float("inf") for name in live}
            for rep in range(max(args.repeat, 1)):
                for name in list(live) if rep % 2 == 0 else list(reversed(live)):
                    codes, ms = _timed(live[name], frame)
                    best[name] = min(best[name], ms)
                    idle_res[size, name].wrong += len(codes) * (rep == 0)
            for name, ms in best.items():
                idle_res[size, name].ms.append(ms)
        for i, sample in enumerate(badges[size]):
            for name, dec in _turn(live, i):
                r = badge_res[size, name]
                codes, ms = _timed(dec, sample.frame)
                r.ms.append(ms)
                if payload in codes:
                    r.ok += 1
                    r.stages[getattr(dec, "last_stage", None) or "-"] += 1
                else:
                    r.fails[sample.kind] += 1
                r.wrong += len([c for c in codes if c != payload])

    still = _still_decoders()
    still_res = {name: _Result() for name in still}
    union_ok = 0
    for i, sample in enumerate(stills):
        expected = set(sample.payloads)
        got: dict[str, set[str]] = {}
        for name, dec in _turn(still, i):
            r = still_res[name]
            codes, ms = _timed(dec, sample.image)
            got[name] = set(codes)
            r.ms.append(ms)
            if expected <= got[name]:
                r.ok += 1
                for code in codes:
                    r.stages[getattr(dec, "last_stages", {}).get(code, "-")] += 1
            else:
                r.fails[sample.kind] += 1
            r.wrong += len(got[name] - expected)
        union_ok += expected <= got["zxing"] | got["pyzbar"]

    _print_live(idle_res, badge_res, args.frames, args.idle, args.repeat)
    _print_still(still_res, len(stills), args.still, union_ok)
    status = _verdict(idle_res, still_res, len(stills))
    if photos is not None:
        status |= _real_photos(photos, still, args.photos)
    return status


def _load_photos(folder: Path) -> list[tuple[str, Any, set[str]]]:
    """(name, image, expected texts) for every readable image under ``folder``."""
    import cv2

    out = []
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() not in {".jpg", ".jpeg", ".png", ".webp", ".bmp"}:
            continue
        image = cv2.imread(str(path), cv2.IMREAD_COLOR)
        if image is None:
            print(f"skipped unreadable {path}")
            continue
        txt = path.with_suffix(".txt")
        expected = {txt.read_bytes().decode("utf-8")} if txt.exists() else set()
        out.append((str(path.relative_to(folder)), image, expected))
    return out


def _real_photos(photos, decoders: dict[str, Any], folder: Path) -> int:
    """Real photos: the same table as the still set, and the still mode's two targets."""
    res = {name: _Result() for name in decoders}
    union_ok = 0
    for i, (name, image, expected) in enumerate(photos):
        got: dict[str, set[str]] = {}
        for dec_name, dec in _turn(decoders, i):
            codes, ms = _timed(dec, image)
            got[dec_name] = set(codes)
            r = res[dec_name]
            r.ms.append(ms)
            ok = expected <= got[dec_name] if expected else not codes
            r.ok += ok
            if not ok:
                r.fails[name] += 1
            r.wrong += len(got[dec_name] - expected)
        union = got["zxing"] | got["pyzbar"]
        union_ok += expected <= union if expected else not union
    n = len(photos)
    print(f"\nReal photos in {folder}: {n} images")
    print(f"{'decoder':<9} {'ok':>9} {'rate':>7} {'median':>8} {'p95':>8} {'wrong':>6}")
    for name, r in res.items():
        median = statistics.median(r.ms) if r.ms else 0.0
        p95 = _p(r.ms, 0.95) if r.ms else 0.0
        print(
            f"{name:<9} {r.ok:>4}/{n:<4} {100 * r.ok / max(n, 1):6.1f}% {median:8.1f} "
            f"{p95:8.1f} {r.wrong:6d}"
        )
    print(f"{'zxing|pyzbar':<13} {union_ok:>4}/{n:<4} (union of the two libraries)")
    missed = sorted(res["still"].fails)
    if missed:
        print("still mode missed: " + ", ".join(missed[:20]) + (" ..." if len(missed) > 20 else ""))
    best = max(res[k].ok for k in ("pyzbar", "zxing", "opencv"))
    checks = (
        (
            f"real photos: still {res['still'].ok} >= best single library {best}",
            res["still"].ok >= best,
        ),
        (
            f"real photos: still {100 * res['still'].ok / max(n, 1):.1f}% >= 92%",
            res["still"].ok >= 0.92 * n,
        ),
    )
    ok = True
    for text, passed in checks:
        ok &= passed
        print(f"{'PASS' if passed else 'FAIL'}  {text}")
    return 0 if ok else 1


def _size(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


def _print_live(idle_res, badge_res, n_frames: int, n_idle: int, repeat: int) -> None:
    from kiosk.devices.synthetic import DEGRADATION_KINDS

    print(f"\nLive: idle frames (no QR), {n_idle} per size: ms per frame, best of {repeat}")
    print(f"{'size':<9} {'decoder':<9} {'median':>7} {'p95':>7} {'mean':>7} {'false':>6}")
    for (size, name), r in idle_res.items():
        print(
            f"{_size(size):<9} {name:<9} {statistics.median(r.ms):7.2f} {_p(r.ms, 0.95):7.2f} "
            f"{statistics.fmean(r.ms):7.2f} {r.wrong:6d}"
        )

    print(f"\nLive: degraded badge frames, {n_frames} per size: success and ms per frame")
    print(f"{'size':<9} {'decoder':<9} {'ok':>9} {'rate':>7} {'median':>7} {'p95':>7} {'wrong':>6}")
    for (size, name), r in badge_res.items():
        print(
            f"{_size(size):<9} {name:<9} {r.ok:>4}/{n_frames:<4} {100 * r.ok / n_frames:6.1f}% "
            f"{statistics.median(r.ms):7.2f} {_p(r.ms, 0.95):7.2f} {r.wrong:6d}"
        )
    kinds = DEGRADATION_KINDS
    print(f"\nLive: failures per degradation kind (frames per kind ~ {n_frames // len(kinds)})")
    print(f"{'size':<9} {'decoder':<9} " + " ".join(f"{k[:8]:>8}" for k in kinds))
    for (size, name), r in badge_res.items():
        print(f"{_size(size):<9} {name:<9} " + " ".join(f"{r.fails[k]:8d}" for k in kinds))
    print("\nLive mode: which stage decoded the successful frames")
    for size in SIZES:
        stages = badge_res[size, "live"].stages
        print(f"{_size(size):<9} " + ", ".join(f"{k}={v}" for k, v in stages.most_common()))


def _print_still(still_res, n_images: int, per_kind: int, union_ok: int) -> None:
    from kiosk.devices.synthetic_stills import STILL_KINDS

    print(f"\nStill images: {n_images} ({per_kind} per kind): all payloads read, right text")
    print(f"{'decoder':<9} {'ok':>9} {'rate':>7} {'median':>8} {'p95':>8} {'mean':>8} {'wrong':>6}")
    for name, r in still_res.items():
        print(
            f"{name:<9} {r.ok:>4}/{n_images:<4} {100 * r.ok / n_images:6.1f}% "
            f"{statistics.median(r.ms):8.1f} {_p(r.ms, 0.95):8.1f} {statistics.fmean(r.ms):8.1f} "
            f"{r.wrong:6d}"
        )
    print(f"{'zxing|pyzbar':<13} {union_ok:>4}/{n_images:<4} (union of the two libraries)")
    print(f"\nStill images: failures per kind ({per_kind} images per kind)")
    for start in range(0, len(STILL_KINDS), 8):
        kinds = STILL_KINDS[start : start + 8]
        print(f"{'decoder':<9} " + " ".join(f"{k[:11]:>11}" for k in kinds))
        for name, r in still_res.items():
            print(f"{name:<9} " + " ".join(f"{r.fails[k]:11d}" for k in kinds))
    stages = still_res["still"].stages
    print(
        "\nStill mode: stage that found each code\n  "
        + ", ".join(f"{k}={v}" for k, v in stages.most_common())
    )


def _verdict(idle_res, still_res, n_images: int) -> int:
    ok = True
    print("\nTargets")
    for size in SIZES:
        new = statistics.median(idle_res[size, "live"].ms)
        old = statistics.median(idle_res[size, "old-live"].ms)
        passed = new <= IDLE_TOLERANCE * old
        ok &= passed
        print(
            f"{'PASS' if passed else 'FAIL'}  live idle {_size(size)}: {new:.2f} ms vs old "
            f"{old:.2f} ms ({new / old:.2f}x, limit {IDLE_TOLERANCE:.2f}x)"
        )
    best_name, best = max(
        ((n, r.ok) for n, r in still_res.items() if n in ("pyzbar", "zxing", "opencv")),
        key=lambda t: t[1],
    )
    still_ok = still_res["still"].ok
    passed = still_ok >= best
    ok &= passed
    print(
        f"{'PASS' if passed else 'FAIL'}  still images: {still_ok}/{n_images} >= best single "
        f"library ({best_name}) {best}/{n_images}"
    )
    return 0 if ok else 1
