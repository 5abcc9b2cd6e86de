"""Media in article bodies (issue 16): `<picture>`, `<video>`, `<audio>` (with `<source>` and
`<track>`) and `srcset` survive sanitising, with every URL in them absolute. Works on nh3's
output, where every attribute is `name="value"` with `" < > &` escaped."""

from __future__ import annotations

import re
from html import escape, unescape
from typing import Any
from urllib.parse import urljoin, urlsplit

import nh3

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


# -- iframes from an allow-list (html.allow_iframes) ------------------------------------------

IFRAME_ATTRIBUTES = {"src", "width", "height", "title", "allowfullscreen", "loading"}
_BARE_IFRAME = re.compile(r'<iframe(?![^>]*\ssrc=")[^>]*>.*?</iframe>', re.DOTALL)


def iframe_src(value: str, hosts: tuple[str, ...]) -> str | None:
    """An iframe `src` kept: https (a protocol-relative `//host/...` becomes https) on one of
    `hosts` exactly; None for anything else (the iframe then goes)."""
    url = "https:" + value if value.startswith("//") else value
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return None
    if parts.scheme != "https" or parts.username or parts.password or host not in hosts:
        return None
    return url


_CLEANERS: dict[tuple[str, ...], nh3.Cleaner] = {}


def iframe_cleaner(hosts: tuple[str, ...], settings: dict[str, Any]) -> nh3.Cleaner:
    """The body cleaner (`settings`, which `feeds.body` always builds the same) that also
    keeps iframes whose `src` is https on one of `hosts`; built once per allow-list."""
    cached = _CLEANERS.get(hosts)
    if cached is not None:
        return cached
    options = dict(settings)
    options["tags"] = set(options["tags"]) | {"iframe"}
    options["clean_content_tags"] = set(options["clean_content_tags"]) - {"iframe"}
    options["attributes"] = {**options["attributes"], "iframe": IFRAME_ATTRIBUTES}

    def keep(element: str, attribute: str, value: str) -> str | None:
        if element == "iframe" and attribute == "src":
            return iframe_src(value, hosts)
        return value

    options["attribute_filter"] = keep
    if len(_CLEANERS) >= 8:
        _CLEANERS.clear()
    cleaner = _CLEANERS[hosts] = nh3.Cleaner(**options)
    return cleaner


def without_bare_iframes(markup: str) -> str:
    """`markup` without the iframes whose `src` the cleaner removed (not allowed hosts)."""
    return _BARE_IFRAME.sub("", markup) if "<iframe" in markup else markup
