"""Media in article bodies (issue 16): `<picture>`, `<video>`, `<audio>` (with `<source>` and
`<track>`) and `srcset` survive sanitising, with every URL in them absolute. Works on nh3's
output, where every attribute is `name="value"` with `" < > &` escaped."""

from __future__ import annotations

import re
from html import escape, unescape
from urllib.parse import urljoin, urlsplit

# The tags and attributes `feeds.body` keeps for media (HTML Living Standard §4.8). No
# `autoplay`: a feed reader should not start sound on its own.
MEDIA_TAGS = frozenset({"picture", "source", "video", "audio", "track"})
MEDIA_ATTRIBUTES = {
    "img": {"srcset", "sizes"},
    "source": {"src", "srcset", "sizes", "type", "media", "width", "height"},
    "video": {"src", "poster", "controls", "width", "height", "loop", "muted", "playsinline",
              "preload"},
    "audio": {"src", "controls", "loop", "muted", "preload"},
    "track": {"src", "kind", "srclang", "label", "default"},
}  # fmt: skip
_SCHEMES = ("http", "https")
_MEDIA_TAG = re.compile(r"<(?:video|audio|source|track)\s[^>]*>")
_MEDIA_URL = re.compile(r'(\s(?:src|poster)=")([^"]*)"')
_SRCSET = re.compile(r'(<(?:img|source)(?:\s[^>]*?)?\ssrcset=")([^"]*)"')


def absolute_media_urls(markup: str, base_url: str) -> str:
    """`markup` with the relative `src`/`poster` of media elements and every `srcset`
    candidate resolved against `base_url`; a `srcset` candidate that is not http(s) after
    that (`data:`, `javascript:`) is dropped, and an empty `srcset` with it."""
    if "srcset=" in markup:
        markup = _SRCSET.sub(lambda m: _srcset(m, base_url), markup)
    if "<video" in markup or "<audio" in markup or "<source" in markup or "<track" in markup:
        markup = _MEDIA_TAG.sub(lambda m: _MEDIA_URL.sub(lambda a: _url(a, base_url), m[0]), markup)
    return markup


def _url(match: re.Match[str], base_url: str) -> str:
    return f'{match[1]}{_attribute(urljoin(base_url, unescape(match[2])))}"'


def _srcset(match: re.Match[str], base_url: str) -> str:
    kept = []
    for url, descriptor in srcset_candidates(unescape(match[2])):
        absolute = urljoin(base_url, url)
        if urlsplit(absolute).scheme in _SCHEMES:
            kept.append(f"{absolute} {descriptor}".strip())
    if not kept:  # drop the whole attribute
        return match[1][: -len(' srcset="')]
    return f'{match[1]}{_attribute(", ".join(kept))}"'


def srcset_candidates(value: str) -> list[tuple[str, str]]:
    """(URL, descriptor) pairs of a `srcset` (HTML §4.8.4.3.3 "parse a srcset attribute": a
    URL is a run of non-space characters, its trailing commas end the candidate; else the
    descriptors run to the next comma outside parentheses)."""
    found: list[tuple[str, str]] = []
    position, size = 0, len(value)
    while position < size:
        while position < size and (value[position].isspace() or value[position] == ","):
            position += 1
        start = position
        while position < size and not value[position].isspace():
            position += 1
        url = value[start:position]
        if not url:
            break
        if url.endswith(","):
            found.append((url.rstrip(","), ""))
            continue
        depth, start = 0, position
        while position < size and (value[position] != "," or depth):
            depth += {"(": 1, ")": -1}.get(value[position], 0)
            position += 1
        found.append((url, " ".join(value[start:position].split())))
    return found


def _attribute(text: str) -> str:
    return escape(text, quote=False).replace('"', "&quot;")
