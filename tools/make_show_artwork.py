"""Draw the sample show's artwork (static/media/podcast/show-artwork.png): an original
1400 x 1400 RGB PNG (Apple: square, 1400 to 3000 px, RGB, JPEG or PNG), stdlib only.

Run `python tools/make_show_artwork.py` to write it again; the output is deterministic.
"""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

SIZE = 1400
NAVY = bytes((18, 32, 58))
TEAL = bytes((32, 178, 170))
CREAM = bytes((246, 239, 222))
CORAL = bytes((240, 112, 86))
OUT = Path(__file__).resolve().parent.parent / "static/media/podcast/show-artwork.png"


def pixel(x: int, y: int) -> bytes:
    """Sound rings around a microphone: concentric bands, a capsule, a stand."""
    cx, cy = SIZE // 2, SIZE // 2 - 60
    dx, dy = x - cx, y - cy
    r2 = dx * dx + dy * dy
    top, bottom = -150, 10  # the capsule: a stadium of radius 110 between these centres
    if abs(dx) <= 110 and top <= dy <= bottom:
        return CREAM
    if min((dy - top) ** 2, (dy - bottom) ** 2) + dx * dx <= 110**2:
        return CREAM
    if (abs(dx) <= 18 and 170 <= dy <= 360) or (abs(dx) <= 160 and 360 <= dy <= 396):
        return CREAM  # the stand and its foot
    if (150 <= dy <= 170 and abs(dx) <= 170) or (120 <= dy <= 170 and 150 <= abs(dx) <= 170):
        return CORAL  # the cradle
    for inner, outer in ((300, 340), (420, 460), (540, 580)):
        if inner * inner <= r2 <= outer * outer and dy < 200:
            return TEAL
    return NAVY


def png(width: int, height: int, rows: list[bytes]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 on every row
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def main() -> int:
    rows = [b"".join(pixel(x, y) for x in range(SIZE)) for y in range(SIZE)]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(png(SIZE, SIZE, rows))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
