"""Draw the application icon with QPainter and write resources/icon.png, icon.ico, icon.icns.

    .venv/bin/python packaging/make_icon.py

The icon is a stylised pouch cell: a laminate pouch with two tabs (aluminium and nickel)
whose face shows the layered stack (cathode, solid electrolyte, anode). Small sizes are
drawn with fewer, thicker stripes so they stay legible at 16 px. The .ico and .icns
containers are written by hand (PNG entries), so no Pillow is needed. Run it again only
when the drawing changes; the outputs are committed.
"""
from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt  # noqa: E402
from PySide6.QtGui import (QBrush, QColor, QGuiApplication, QImage, QLinearGradient,  # noqa: E402
                           QPainter, QPainterPath, QPen)

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"

ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS PNG entry types: (OSType, pixel size)
ICNS_TYPES = (("icp4", 16), ("icp5", 32), ("icp6", 64), ("ic07", 128), ("ic08", 256),
              ("ic09", 512), ("ic10", 1024), ("ic11", 32), ("ic12", 64), ("ic13", 256),
              ("ic14", 512))

LAMINATE_TOP = QColor("#e4e8ee")
LAMINATE_BOTTOM = QColor("#b3bcc7")
OUTLINE = QColor("#3d4856")
AL_TAB = QColor("#d5dae0")
NI_TAB = QColor("#c98a4b")
CATHODE = QColor("#27457a")
ELECTROLYTE = QColor("#f2c230")
ANODE = QColor("#6d7a8a")


def draw_pixel_icon(size: int) -> QImage:
    """The 16 px icon drawn on the pixel grid (no anti-aliasing blur), scaled for size 16n."""
    img = QImage(16, 16, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setPen(Qt.PenStyle.NoPen)
    # (x, y, w, h, color); later rectangles paint over earlier ones
    rects = [(3, 0, 3, 4, OUTLINE), (10, 0, 3, 4, OUTLINE), (4, 1, 1, 3, AL_TAB), (11, 1, 1, 3, NI_TAB),
             (1, 3, 14, 13, OUTLINE), (2, 4, 12, 11, LAMINATE_TOP), (2, 11, 12, 4, LAMINATE_BOTTOM),
             (3, 5, 10, 9, OUTLINE),
             (4, 6, 8, 3, CATHODE), (4, 9, 8, 2, ELECTROLYTE), (4, 11, 8, 2, ANODE)]
    for x, y, w, h, color in rects:
        p.fillRect(x, y, w, h, color)
    for x, y in ((1, 3), (14, 3), (1, 15), (14, 15)):  # rounded corners
        p.fillRect(x, y, 1, 1, Qt.GlobalColor.transparent)
    p.end()
    return img if size == 16 else img.scaled(size, size, Qt.AspectRatioMode.IgnoreAspectRatio,
                                             Qt.TransformationMode.FastTransformation)


def draw_icon(size: int) -> QImage:
    """The icon at `size` x `size` pixels (ARGB, transparent background)."""
    if size == 16:
        return draw_pixel_icon(size)
    img = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 256.0  # drawing in a 256-unit grid
    small = size <= 24
    pen_w = max(1.0, (10 if small else 7) * s)

    # Tabs first, so the pouch overlaps their lower ends.
    tab_w, tab_top = (46 if small else 36) * s, 14 * s
    inset = (64 if small else 70) * s  # wider tabs, further out, when small
    for x0, color in ((inset, AL_TAB), (size - inset - tab_w, NI_TAB)):
        p.setPen(QPen(OUTLINE, pen_w * 0.8))
        p.setBrush(color)
        p.drawRoundedRect(QRectF(x0, tab_top, tab_w, 70 * s), 4 * s, 4 * s)

    # Pouch body: laminate with a vertical sheen.
    body = QRectF(28 * s, 56 * s, 200 * s, 188 * s)
    radius = 26 * s
    grad = QLinearGradient(body.topLeft(), body.bottomLeft())
    grad.setColorAt(0.0, LAMINATE_TOP)
    grad.setColorAt(1.0, LAMINATE_BOTTOM)
    p.setPen(QPen(OUTLINE, pen_w))
    p.setBrush(QBrush(grad))
    p.drawRoundedRect(body, radius, radius)

    # The stack window: the seal is the laminate margin around it.
    margin = (30 if small else 24) * s
    window = body.adjusted(margin, margin, -margin, -margin)
    clip = QPainterPath()
    clip.addRoundedRect(window, 10 * s, 10 * s)
    p.save()
    p.setClipPath(clip)
    if small:
        bands = (CATHODE, ELECTROLYTE, ANODE)
        weights = (1.0, 0.8, 1.0)
    elif size <= 48:
        bands = (CATHODE, ELECTROLYTE, ANODE, ELECTROLYTE, CATHODE)
        weights = (1.2, 0.8, 1.0, 0.8, 1.2)
    else:
        bands = (CATHODE, ELECTROLYTE, ANODE, ELECTROLYTE, CATHODE, ELECTROLYTE, ANODE)
        weights = (1.3, 0.7, 1.0, 0.7, 1.3, 0.7, 1.0)
    total = sum(weights)
    y = window.top()
    p.setPen(Qt.PenStyle.NoPen)
    for color, w in zip(bands, weights):
        h = window.height() * w / total
        p.setBrush(color)
        p.drawRect(QRectF(window.left(), y, window.width(), h + 0.5))
        y += h
    if size >= 64:  # a thin highlight on each band's top edge gives the layers depth
        y = window.top()
        p.setPen(QPen(QColor(255, 255, 255, 70), 2 * s))
        for w in weights:
            p.drawLine(QRectF(window.left(), y, 0, 0).topLeft(),
                       QRectF(window.right(), y, 0, 0).topLeft())
            y += window.height() * w / total
    p.restore()
    p.setPen(QPen(OUTLINE, pen_w * 0.6))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRoundedRect(window, 10 * s, 10 * s)
    p.end()
    return img


def png_bytes(img: QImage) -> bytes:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    if not img.save(buf, "PNG"):
        raise RuntimeError("PNG encoding failed")
    buf.close()
    return bytes(data)


def ico_bytes(images: dict[int, bytes]) -> bytes:
    """A Windows .ico holding PNG-compressed entries (supported since Windows Vista)."""
    sizes = sorted(images)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    entries, blobs = [], []
    for n in sizes:
        blob = images[n]
        entries.append(struct.pack("<BBBBHHII", n % 256, n % 256, 0, 0, 1, 32, len(blob), offset))
        blobs.append(blob)
        offset += len(blob)
    return header + b"".join(entries) + b"".join(blobs)


def icns_bytes(images: dict[int, bytes]) -> bytes:
    """A macOS .icns holding PNG entries (supported since OS X 10.7)."""
    chunks = b"".join(kind.encode("ascii") + struct.pack(">I", 8 + len(images[n])) + images[n]
                      for kind, n in ICNS_TYPES)
    return b"icns" + struct.pack(">I", 8 + len(chunks)) + chunks


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (fonts, plugins)
    sizes = sorted(set(ICO_SIZES) | {n for _, n in ICNS_TYPES})
    pngs = {n: png_bytes(draw_icon(n)) for n in sizes}
    RESOURCES.mkdir(exist_ok=True)
    (RESOURCES / "icon.png").write_bytes(pngs[256])
    (RESOURCES / "icon.ico").write_bytes(ico_bytes({n: pngs[n] for n in ICO_SIZES}))
    (RESOURCES / "icon.icns").write_bytes(icns_bytes(pngs))
    for name in ("icon.png", "icon.ico", "icon.icns"):
        print(f"wrote {RESOURCES / name} ({(RESOURCES / name).stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
