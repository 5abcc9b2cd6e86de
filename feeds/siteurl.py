"""The checks of the site's base URLs (`site.url`, `site.feeds_url`): every id and link is
built from them, so a malformed one is refused when the config is read, not in a feed."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# RFC 3986 §3.2.2 reg-name labels as DNS hostnames (RFC 1123 §2.1); `_` tolerated (WHATWG)
_LABEL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")  # RFC 3986 §2.1: % and two hex digits
EXAMPLE = "e.g. https://example.org/news/"


def site_url_problem(url: str) -> str | None:
    """Why `url` cannot be a site's base URL, or None when it can."""
    if any(char.isspace() or ord(char) < 0x20 or ord(char) == 0x7F for char in url):
        return f"contains a space or control character; write it percent-encoded ({EXAMPLE})"
    try:
        parts = urlsplit(url)
        port = parts.port  # ValueError when not a number in 0-65535
    except ValueError as error:  # also an unclosed or invalid `[IPv6]` host
        return f"is not a valid URL ({error}); {EXAMPLE}"
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"must be an absolute http(s) URL, {EXAMPLE}"
    if "?" in url or "#" in url:
        return (
            f"must not have a query (?) or fragment (#): ids and links are built on it; {EXAMPLE}"
        )
    if "@" in parts.netloc:
        return f"must not carry a user name or password (user@); {EXAMPLE}"
    if port == 0 or parts.netloc.endswith(":"):
        return f"has an empty or zero port; write a port from 1 to 65535 or none, {EXAMPLE}"
    if _BAD_PERCENT.search(url):
        return f"has a % not followed by two hex digits; write a literal % as %25 ({EXAMPLE})"
    return _host_problem(parts.hostname or "", parts.netloc)


def _host_problem(host: str, netloc: str) -> str | None:
    if netloc.startswith("["):
        return None  # urlsplit already refused an invalid bracketed IPv6 address
    if not host:
        return f"has no host name; {EXAMPLE}"
    try:
        ascii_host = host.encode("idna").decode("ascii")  # RFC 3490 ToASCII for non-ASCII
    except UnicodeError:
        return f"has a host name {host!r} that is not a valid (IDNA) domain name; {EXAMPLE}"
    labels = ascii_host.removesuffix(".").split(".")
    if not all(_LABEL.match(label) for label in labels):
        return (
            f"has a host name {host!r} that is not a valid domain name (letters, digits and "
            f"hyphens between dots); {EXAMPLE}"
        )
    return None
