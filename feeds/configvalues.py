"""Readers of single config values (`ConfigError` naming the key when a value cannot be used):
mappings with known keys, strings XML 1.0 can carry, folders, lists, booleans, bounded whole
numbers, absolute http(s) URLs. `feeds.config` builds `Config` from them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from feeds.model import shorten
from feeds.siteurl import site_url_problem
from feeds.textclean import xml_illegal_char


class ConfigError(Exception):
    """A setting that cannot be used; `key` is the dotted path, e.g. `site.timezone`."""

    def __init__(self, key: str, value: object, message: str) -> None:
        if value is None:
            shown = ""
        else:
            shown = " " + (repr(shorten(value)) if isinstance(value, str) else shorten(value))
        super().__init__(f"{key}{shown}: {message}")
        self.key = key
        self.value = value


def mapping_value(key: str, value: object, allowed: set[str] | None) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(key, value, f"must be a mapping, not {type(value).__name__}")
    if allowed is not None:
        for name in value:
            if name not in allowed:
                where = f"{key}.{name}" if key != "config" else str(name)
                raise ConfigError(
                    where, None, f"unknown key; known keys: {', '.join(sorted(allowed))}"
                )
    return value


def string_value(key: str, value: object, *, required: bool = False) -> str:
    if not isinstance(value, str):
        raise ConfigError(key, value, f"must be a string, not {type(value).__name__}")
    if required and not value.strip():
        raise ConfigError(key, value, "must not be empty")
    bad = xml_illegal_char(value)  # XML 1.0 §2.2
    if bad is not None:
        raise ConfigError(
            key, value, f"contains U+{ord(bad):04X}, which XML 1.0 cannot carry; remove it"
        )
    return value


def folder_value(key: str, value: object) -> Path:
    """A folder setting; `~` and `~user` are the home folder, as in a shell."""
    text = str(value) if isinstance(value, Path) else string_value(key, value, required=True)
    try:
        return Path(text).expanduser()
    except RuntimeError:  # no home folder known for `~` or `~user`
        raise ConfigError(key, text, "starts with ~ but that home folder is unknown") from None


def string_list_value(key: str, value: object) -> list[str]:
    if isinstance(value, str) or not isinstance(value, list):
        raise ConfigError(key, value, "must be a list of strings")
    return [string_value(f"{key}[{i}]", item) for i, item in enumerate(value)]


def bool_value(key: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(key, value, "must be true or false")
    return value


def int_value(key: str, value: object, *, minimum: int, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(key, value, "must be a whole number")
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"from {minimum} to {maximum}" if maximum is not None else f"at least {minimum}"
        raise ConfigError(key, value, f"must be {bound}")
    return value


def absolute_url_value(key: str, value: object, *, directory: bool = False) -> str:
    url = string_value(key, value, required=True).strip()
    try:
        parts = urlsplit(url)
    except ValueError as error:  # e.g. `https://[::1/`
        raise ConfigError(key, url, f"is not a valid URL ({error})") from None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(key, url, "must be an absolute http(s) URL, e.g. https://example.org/")
    problem = site_url_problem(url) if directory else None  # site.url, site.feeds_url
    if problem is not None:
        raise ConfigError(key, url, problem)
    if directory and not url.endswith("/"):
        url += "/"
    return url


def optional_url_value(key: str, value: object, base: str) -> str | None:
    if value is None:
        return None
    return urljoin(base, string_value(key, value, required=True))


FEED_KINDS = ("site", "category", "tag", "author")
CONTENT_POLICIES = ("full", "summary", "both")  # issue 16: body, summary, or two feeds


def content_policies_value(key: str, value: object) -> dict[str, str]:
    """`feeds.content`: one policy for every kind, or `{kind: policy}` (the rest `full`)."""
    if not isinstance(value, Mapping):
        return dict.fromkeys(FEED_KINDS, content_policy_value(key, value))
    given = mapping_value(key, value, set(FEED_KINDS))
    return {
        kind: content_policy_value(f"{key}.{kind}", given.get(kind, "full")) for kind in FEED_KINDS
    }


def content_policy_value(key: str, value: object) -> str:
    """A feed's content policy (issue 16)."""
    if value not in CONTENT_POLICIES:
        raise ConfigError(
            key,
            value,
            "must be full (the article text), summary (the summary only, readers click "
            "through) or both (a summary feed, and its full-text copy under feeds/full/)",
        )
    return str(value)


# A host name as `html.allow_iframes` lists it: lower-case DNS labels, dot-separated.
_HOST = re.compile(r"(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}$")


def iframe_hosts_value(key: str, value: object) -> tuple[str, ...]:
    """Host names whose https iframes article bodies may embed (issue 16), lower case,
    sorted, each once. A URL, a path, a port or a wildcard is refused: name the host."""
    hosts = set()
    for index, item in enumerate(string_list_value(key, value)):
        host = item.strip().lower().rstrip(".")
        if not _HOST.fullmatch(host):
            raise ConfigError(
                f"{key}[{index}]",
                item,
                "is not a host name; write the embed host only, e.g. www.youtube-nocookie.com "
                "(no https://, path, port or *)",
            )
        hosts.add(host)
    return tuple(sorted(hosts))
