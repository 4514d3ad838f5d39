"""Draw the starter library's covers and pictures (resources/materials/*/*.png) with Pillow.

Run once after changing a drawing: ``.venv/bin/python scripts/draw_material_images.py``.
The PNGs are committed; the kiosk never runs this. No text on the pictures: titles are shown
by the screens, so the pictures stay language-neutral and small.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent / "resources" / "materials"
W, H = 480, 300
CATEGORY_BG = {
    "安全": "#FFF1DC",
    "急救": "#FDE3E1",
    "政策": "#E3ECFA",
    "党建": "#FBE4E2",
    "生活": "#E2F3E7",
}
Draw = ImageDraw.ImageDraw


def canvas(bg: str, size: tuple[int, int] = (W, H)) -> tuple[Image.Image, Draw]:
    img = Image.new("RGB", size, bg)
    return img, ImageDraw.Draw(img)


def person(d: Draw, x: int, y: int, s: float, color: str, vest: str | None = None) -> None:
    """A simple standing figure with its feet at (x, y), height ~ 120*s."""
    r = 14 * s
    d.ellipse((x - r, y - 120 * s, x + r, y - 120 * s + 2 * r), fill=color)
    d.rounded_rectangle((x - 20 * s, y - 88 * s, x + 20 * s, y - 40 * s), 8 * s, fill=vest or color)
    if vest:
        d.rectangle((x - 20 * s, y - 70 * s, x + 20 * s, y - 64 * s), fill="#E8E8E8")
    d.line((x - 10 * s, y - 40 * s, x - 12 * s, y), fill=color, width=int(10 * s))
    d.line((x + 10 * s, y - 40 * s, x + 12 * s, y), fill=color, width=int(10 * s))


def sun(d: Draw, cx: int, cy: int, r: int) -> None:
    for i in range(12):
        a = i * math.pi / 6
        d.line(
            (
                cx + math.cos(a) * (r + 10),
                cy + math.sin(a) * (r + 10),
                cx + math.cos(a) * (r + 30),
                cy + math.sin(a) * (r + 30),
            ),
            fill="#F2A20C",
            width=8,
        )
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill="#F7B733")


def snowflake(d: Draw, cx: int, cy: int, r: int) -> None:
    for i in range(3):
        a = i * math.pi / 3
        dx, dy = math.cos(a) * r, math.sin(a) * r
        d.line((cx - dx, cy - dy, cx + dx, cy + dy), fill="#3A7BC8", width=8)
    d.ellipse((cx - 10, cy - 10, cx + 10, cy + 10), fill="#3A7BC8")


def cone(d: Draw, x: int, y: int, s: float) -> None:
    d.polygon(
        [(x - 30 * s, y), (x + 30 * s, y), (x + 8 * s, y - 90 * s), (x - 8 * s, y - 90 * s)],
        fill="#F26B1D",
    )
    d.polygon(
        [
            (x - 20 * s, y - 30 * s),
            (x + 20 * s, y - 30 * s),
            (x + 15 * s, y - 48 * s),
            (x - 15 * s, y - 48 * s),
        ],
        fill="#FFFFFF",
    )
    d.rectangle((x - 40 * s, y - 6 * s, x + 40 * s, y + 6 * s), fill="#333333")


def road(d: Draw, top: int) -> None:
    d.rectangle((0, top, W, H), fill="#5A5F66")
    for x in range(10, W, 90):
        d.rectangle((x, top + (H - top) // 2 - 5, x + 50, top + (H - top) // 2 + 5), fill="#F5F5F5")


def cover_heat_cold() -> Image.Image:
    img, d = canvas(CATEGORY_BG["安全"])
    d.rectangle((W // 2, 0, W, H), fill="#E4EEF9")
    sun(d, 70, 70, 30)
    snowflake(d, 360, 100, 50)
    person(d, 130, 280, 1.0, "#2E4A62")
    d.polygon([(100, 165), (160, 165), (150, 150), (110, 150)], fill="#F2A20C")  # hat
    person(d, 360, 280, 1.0, "#2E4A62", vest="#C0392B")
    d.rectangle((340, 178, 380, 192), fill="#3A7BC8")  # scarf
    return img


def shade() -> Image.Image:
    img, d = canvas("#FFF7E8", (640, 360))
    d.rectangle((0, 300, 640, 360), fill="#C9B28A")
    d.rectangle((150, 150, 180, 300), fill="#7A5230")
    d.ellipse((40, 30, 300, 200), fill="#3E8E41")
    person(d, 120, 300, 0.9, "#2E4A62")
    d.rectangle((95, 205, 145, 215), fill="#7FC8F8")  # wet towel on the neck
    sun(d, 540, 80, 40)
    d.line((330, 230, 430, 230), fill="#E67E22", width=10)  # arrow: away from the sun
    d.polygon([(330, 210), (300, 230), (330, 250)], fill="#E67E22")
    return img


def cover_road() -> Image.Image:
    img, d = canvas(CATEGORY_BG["安全"])
    road(d, 190)
    for i, x in enumerate((80, 170, 260)):
        cone(d, x, 270 - i * 0, 0.8)
    person(d, 380, 270, 1.1, "#2E4A62", vest="#F26B1D")
    return img


def cones() -> Image.Image:
    img, d = canvas("#F4F4F4", (640, 360))
    d.rectangle((0, 120, 640, 360), fill="#5A5F66")
    d.rectangle((0, 235, 640, 245), fill="#F5F5F5")
    for x in (60, 160, 260, 360):
        cone(d, x, 330, 0.8)
    person(d, 520, 330, 1.2, "#2E4A62", vest="#F26B1D")
    # a car far away, facing the worker
    d.rounded_rectangle((20, 150, 130, 200), 12, fill="#3A7BC8")
    d.ellipse((35, 190, 60, 215), fill="#222222")
    d.ellipse((90, 190, 115, 215), fill="#222222")
    return img


def cover_first_aid() -> Image.Image:
    img, d = canvas(CATEGORY_BG["急救"])
    d.rounded_rectangle((150, 60, 330, 240), 28, fill="#FFFFFF", outline="#D64541", width=8)
    d.rectangle((218, 90, 262, 210), fill="#D64541")
    d.rectangle((180, 128, 300, 172), fill="#D64541")
    d.ellipse((360, 180, 440, 260), fill="#D64541")  # a phone dial badge
    d.rounded_rectangle((385, 198, 415, 242), 6, fill="#FFFFFF")
    return img


def press() -> Image.Image:
    img, d = canvas("#FFF5F4", (640, 360))
    d.rounded_rectangle((60, 160, 580, 240), 40, fill="#F1C6A8")  # a forearm
    d.rectangle((280, 150, 380, 250), fill="#FFFFFF", outline="#CCCCCC", width=3)  # gauze
    d.ellipse((300, 190, 320, 210), fill="#D64541")
    for x in (270, 330):  # two hands pressing down
        d.rounded_rectangle((x, 60, x + 80, 160), 24, fill="#E0A883")
    d.rectangle((314, 0, 326, 30), fill="#D64541")  # "press" arrow, pointing down
    d.polygon([(298, 28), (342, 28), (320, 56)], fill="#D64541")
    return img


def cover_garbage() -> Image.Image:
    img, d = canvas(CATEGORY_BG["生活"])
    bins(d, 40, 70, 0.9)
    return img


def bins(d: Draw, x0: int, y0: int, s: float) -> None:
    colors = ["#2F6DB5", "#C0392B", "#3E8E41", "#6B6F73"]
    for i, c in enumerate(colors):
        x = x0 + i * 105 * s
        d.rounded_rectangle((x, y0 + 30 * s, x + 90 * s, y0 + 200 * s), 10, fill=c)
        d.rectangle((x - 6 * s, y0 + 14 * s, x + 96 * s, y0 + 34 * s), fill=c)
        d.rectangle((x + 30 * s, y0, x + 60 * s, y0 + 14 * s), fill=c)
        cx, cy = x + 45 * s, y0 + 110 * s
        if i == 0:  # recycle: three arrows in a circle
            d.arc((cx - 28 * s, cy - 28 * s, cx + 28 * s, cy + 28 * s), 20, 340, "#FFFFFF", 7)
        elif i == 1:  # hazardous: a cross
            d.line((cx - 22 * s, cy - 22 * s, cx + 22 * s, cy + 22 * s), "#FFFFFF", 8)
            d.line((cx - 22 * s, cy + 22 * s, cx + 22 * s, cy - 22 * s), "#FFFFFF", 8)
        elif i == 2:  # food: a leaf
            d.ellipse((cx - 16 * s, cy - 28 * s, cx + 16 * s, cy + 28 * s), "#FFFFFF")
        else:  # other: a circle
            d.ellipse(
                (cx - 24 * s, cy - 24 * s, cx + 24 * s, cy + 24 * s), outline="#FFFFFF", width=7
            )


def bins_picture() -> Image.Image:
    img, d = canvas("#F7FAF7", (640, 300))
    bins(d, 70, 40, 1.15)
    return img


def house(d: Draw, x: int, y: int, w: int, color: str) -> None:
    d.polygon([(x - 20, y), (x + w // 2, y - w // 2), (x + w + 20, y)], fill=color)
    d.rectangle((x, y, x + w, y + int(w * 0.7)), fill="#FFFFFF", outline=color, width=6)


def cover_station_guide() -> Image.Image:
    img, d = canvas(CATEGORY_BG["生活"])
    house(d, 60, 130, 170, "#1E6F3E")
    d.rectangle((125, 200, 165, 249), fill="#1E6F3E")  # door
    d.rounded_rectangle((300, 60, 420, 250), 16, fill="#2E4A62")  # the kiosk
    d.rectangle((314, 80, 406, 190), fill="#DFF0E5")
    for i in range(3):  # a QR-like pattern
        for j in range(3):
            if (i + j) % 2 == 0:
                d.rectangle(
                    (330 + i * 22, 100 + j * 22, 348 + i * 22, 118 + j * 22), fill="#2E4A62"
                )
    return img


def cover_anti_fraud() -> Image.Image:
    img, d = canvas(CATEGORY_BG["生活"])
    d.rounded_rectangle((170, 40, 310, 260), 20, fill="#2E4A62")
    d.rectangle((184, 64, 296, 220), fill="#E9EEF3")
    d.ellipse((170, 90, 310, 230), outline="#C0392B", width=14)
    d.line((195, 115, 285, 205), fill="#C0392B", width=14)
    d.text((205, 135), "¥", fill="#C0392B")
    d.ellipse((220, 125, 260, 165), fill="#F2A20C")  # a coin
    return img


def cover_labour() -> Image.Image:
    img, d = canvas(CATEGORY_BG["政策"])
    d.rectangle((236, 70, 244, 240), fill="#2E4A62")  # a balance
    d.rectangle((180, 236, 300, 252), fill="#2E4A62")
    d.line((140, 90, 340, 90), fill="#2E4A62", width=8)
    for cx in (150, 330):
        d.line((cx, 90, cx - 30, 160), fill="#2E4A62", width=3)
        d.line((cx, 90, cx + 30, 160), fill="#2E4A62", width=3)
        d.chord((cx - 45, 130, cx + 45, 190), 0, 180, fill="#3A7BC8")
    d.rectangle((360, 150, 440, 250), fill="#FFFFFF", outline="#2E4A62", width=4)  # a contract
    for y in range(170, 240, 16):
        d.line((372, y, 428, y), fill="#9AA8B5", width=4)
    return img


def cover_station_home() -> Image.Image:
    img, d = canvas(CATEGORY_BG["党建"])
    house(d, 120, 140, 240, "#C0392B")
    d.ellipse((206, 160, 242, 196), fill="#C0392B")  # a heart
    d.ellipse((238, 160, 274, 196), fill="#C0392B")
    d.polygon([(209, 186), (271, 186), (240, 222)], fill="#C0392B")
    for x, vest in ((70, "#F26B1D"), (420, "#3E8E41")):
        person(d, x, 290, 0.9, "#2E4A62", vest=vest)
    return img


DRAWINGS: dict[str, dict[str, Callable[[], Image.Image]]] = {
    "heat-cold": {"cover.png": cover_heat_cold, "shade.png": shade},
    "road-safety": {"cover.png": cover_road, "cones.png": cones},
    "first-aid": {"cover.png": cover_first_aid, "press.png": press},
    "garbage-sorting": {"cover.png": cover_garbage, "bins.png": bins_picture},
    "station-guide": {"cover.png": cover_station_guide},
    "anti-fraud": {"cover.png": cover_anti_fraud},
    "labour-rights": {"cover.png": cover_labour},
    "station-home": {"cover.png": cover_station_home},
}


def main() -> None:
    for package, files in DRAWINGS.items():
        for name, draw in files.items():
            out = ROOT / package / name
            draw().quantize(64).save(out, optimize=True)
            print(f"{out.relative_to(ROOT)}: {out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
