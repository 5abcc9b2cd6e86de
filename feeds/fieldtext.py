"""Text and URL rules of article fields, without the record they come from: titles cut to
length, summary HTML tags stripped, slugs that are one URL path segment, absolute http(s) URLs.
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

TITLE_CUT = 300  # a title too long is cut to at most this many characters, "…" included
MAX_SLUG = 200
# RFC 3986 §3.3 pchar minus "%": what a path segment may carry unencoded.
PCHAR = "-._~!$&'()*+,;=:@"
_URL_SAFE = PCHAR + "/?#[]%"  # for whole URLs: keep structure and existing %-escapes
_HTML_TAG = re.compile(
    r"<!--.*?-->|</?(?:a|abbr|b|blockquote|br|cite|code|del|div|em|h[1-6]|hr|i|img|ins|kbd"
    r"|li|mark|ol|p|pre|q|s|small|span|strong|sub|sup|u|ul)(?:\s[^<>]*)?/?>",
    re.IGNORECASE | re.DOTALL,
)
_INLINE = re.compile(
    r"</?(?:a|abbr|b|cite|code|del|em|i|ins|kbd|mark|q|s|small|span|strong|sub|sup|u)\b",
    re.IGNORECASE,
)


def cut_title(title: str, limit: int = TITLE_CUT) -> str:
    """`title` in at most `limit` characters ending in `…`, cut at the last space when it
    is in the second half of the allowance, else hard."""
    room = limit - 1
    if len(title) <= room:
        return title
    head = title[: room + 1]
    space = head.rfind(" ")
    head = head[:space] if space >= room // 2 else head[:room]
    return head.rstrip(" ,;:-–—\u200d") + "…"


def strip_tags(text: str) -> str:
    """Summary text without the HTML tags it may carry (see `feeds.normalise`)."""
    if "<" not in text or not _HTML_TAG.search(text):
        return text

    def gap(match: re.Match[str]) -> str:
        return "" if _INLINE.match(match.group(0)) else " "

    return html.unescape(_HTML_TAG.sub(gap, text))


# The ASCII characters of Unicode categories C and Z: the C0 controls, space and DEL.
_ASCII_C_OR_Z = re.compile(r"[\x00-\x20\x7f]")


def _c_or_z(text: str) -> bool:
    return any(unicodedata.category(c)[0] in "CZ" for c in text)


def unsafe_slug(slug: str) -> str | None:
    """Why `slug` cannot be one URL path segment, or None when it can."""
    if not slug:
        return "is empty"
    if slug in (".", ".."):
        return "is a folder step ('.' or '..'), not a name"
    if slug.startswith("."):
        return "starts with '.', which web servers hide"
    if "/" in slug or "\\" in slug:
        return "contains a slash; a slug is one path segment"
    if _ASCII_C_OR_Z.search(slug) if slug.isascii() else _c_or_z(slug):
        return "contains spaces or control characters"
    if len(slug) > MAX_SLUG:
        return f"is {len(slug):,} characters long; at most {MAX_SLUG} are allowed"
    return None


# RFC 3986 §3.2: an authority is unreserved, pct-encoded and sub-delims characters, ":", "@"
# and the brackets of an IP literal.
_AUTHORITY = re.compile(r"^[A-Za-z0-9\-._~%!$&'()*+,;=:@\[\]]+$")


def absolute_url(text: str, base: str) -> str:
    """`text` resolved against `base` as an absolute http(s) URL, percent-encoded where URLs
    need it (spaces, non-ASCII; hosts as IDNA). Raises ValueError saying what is wrong."""
    text = text.strip()
    if not text:
        raise ValueError("is empty")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in text):
        raise ValueError("contains control characters")
    try:
        written = urlsplit(text)
        parts = urlsplit(urljoin(base, text))
        parts.port  # noqa: B018 - raises ValueError for a port outside 0-65535
    except ValueError:  # "http://[::1", "http://x:99999/"
        raise ValueError("is not a valid URL (its host or port cannot be read)") from None
    if written.scheme and (written.scheme.lower() not in ("http", "https") or not written.netloc):
        raise ValueError("is not an http(s) URL")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("is not an http(s) URL")
    netloc = parts.netloc
    if any(c.isspace() for c in netloc):
        raise ValueError("has a space in its host name")
    if not netloc.isascii():
        user, at, hostport = netloc.rpartition("@")
        host, colon, port = hostport.partition(":")
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise ValueError("has a host name that is not valid (IDNA)") from None
        netloc = f"{user}{at}{quote(host)}{colon}{port}"
    if not _AUTHORITY.match(netloc):  # `http://{x}`, `https://a|b/`
        raise ValueError("has a character no host name holds (one of {}|\\^` or similar)")
    return urlunsplit(
        (
            parts.scheme,
            netloc,
            quote(parts.path, safe=_URL_SAFE),
            quote(parts.query, safe=_URL_SAFE),
            quote(parts.fragment, safe=_URL_SAFE),
        )
    )
