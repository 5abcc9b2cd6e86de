"""URL checks: absolute URIs (RFC 3986 §4.3), web URLs, an absolute xml:base in scope."""

from __future__ import annotations

import re

from lxml import etree

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_HIERARCHICAL = ("http", "https", "ftp")
_URL_FORBIDDEN = re.compile(r'[\s<>"{}|\\^`]')


def scheme_of(url: str) -> str | None:
    match = _SCHEME.match(url)
    return match.group()[:-1].lower() if match else None


def is_absolute_uri(url: str) -> bool:
    """True for an absolute URI/IRI (RFC 3986 §4.3), with a host for http, https and ftp."""
    url = url.strip()
    scheme = scheme_of(url)
    if scheme is None or _URL_FORBIDDEN.search(url):
        return False
    if scheme in _HIERARCHICAL:
        return re.match(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#]", url) is not None
    return len(url) > len(scheme) + 1


def is_web_url(url: str) -> bool:
    return is_absolute_uri(url) and scheme_of(url.strip()) in ("http", "https")


def has_absolute_base(el: etree._Element) -> bool:
    # XML Base §4.2 (RFC 4287 §2): relative references resolve against xml:base in scope.
    base = el.base
    return base is not None and is_absolute_uri(base)


# RFC 3986 §2 / RFC 3987 §2.2: spaces, controls and "<>\^`{|} are never part of a URI or IRI
# (the characters the record reader refuses in ids and links too). A "%" without two hex
# digits is not flagged: the W3C validator and readers take it as it is, and so do ids.
_URI_BAD_CHAR = re.compile(r'[\x00-\x20"<>\\^`{|}\x7f]')


def bad_uri_char(url: str) -> str | None:
    """The first character RFC 3986/3987 forbids inside `url` (surrounding whitespace aside,
    which `has_surrounding_space` reports), or None."""
    match = _URI_BAD_CHAR.search(url.strip())
    return None if match is None else match.group()


def has_surrounding_space(value: str) -> bool:
    return value != value.strip()
