"""An article's `image` as news readers want it (issue 16): a URL, or `{url, width, height,
credit}`, read and type-checked into `Article.image` and `Article.image_info`. A caption is
not taken: Media RSS `media:description` is read by feedparser 6 as the entry's summary."""

from __future__ import annotations

from collections.abc import Mapping

from feeds.model import ImageInfo, kind, shorten, some_of
from feeds.recordfields import RecordFields, shown
from feeds.recordlinks import read_image, read_url_member

_KEYS = ("url", "width", "height", "credit")
_EXAMPLE = "image: {url: lead.jpg, width: 1200, height: 675, credit: Ada Example}"
MAX_PIXELS = 100_000  # a width or height beyond this is a typo, not an image


def read_picture(record: RecordFields, link: str) -> tuple[str | None, ImageInfo | None]:
    """The image URL (resolved against the article's link) and, for the mapping form, its
    size and credit; (None, None) when missing."""
    value = record.get("image")
    if not isinstance(value, Mapping):
        return read_image(record, link), None
    unknown = sorted(shorten(key) for key in value if key not in _KEYS)
    if unknown:
        record.warn("image", some_of(unknown), f"unknown key(s), ignored; known: {_KEYS}")
    url = read_url_member(record, "image.url", value.get("url"), link, _EXAMPLE)
    info = ImageInfo(
        width=_pixels(record, "width", value.get("width")),
        height=_pixels(record, "height", value.get("height")),
        credit=_text(record, "credit", value.get("credit")),
    )
    return url, info


def _pixels(record: RecordFields, key: str, value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_PIXELS:
        record.fail(
            f"image.{key}",
            shown(value),
            f"is {kind(value) if not isinstance(value, int) else 'out of range'}; write the "
            f"{key} in pixels as a whole number from 1 to {MAX_PIXELS:,}, or leave it out",
        )
    return value


def _text(record: RecordFields, key: str, value: object) -> str | None:
    if value is None:
        return None
    text = record.clean(f"image.{key}", record.text(f"image.{key}", value, _EXAMPLE))
    return text or None
