"""A podcast show's settings (`categories.NAME.podcast`, `site.podcast`), issue 17.

Checked at config time against Apple's podcast RSS requirements and the Podcast Index
namespace: artwork is an http(s) URL (relative ones resolve against the site URL),
`explicit` is true|false, `type` is episodic|serial, `guid` a UUID, `locked` true|false.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

SHOW_KEYS = frozenset(
    {"image", "author", "owner", "category", "explicit", "type", "guid", "locked", "funding"}
)
SHOW_TYPES = ("episodic", "serial")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class ShowConfigError(ValueError):
    """A bad show setting: `key` is the dotted path, e.g. `categories.Podcasts.podcast.image`."""

    def __init__(self, key: str, value: object, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key
        self.value = value
        self.message = message


@dataclass(frozen=True, slots=True)
class Funding:
    url: str
    text: str


@dataclass(frozen=True, slots=True)
class ShowConfig:
    image: str  # absolute http(s) URL of the show artwork (Apple: 1400-3000 px square)
    author: str
    owner_name: str
    owner_email: str
    categories: tuple[str, ...]  # Apple category names, e.g. ("Technology",)
    explicit: bool
    type: str = "episodic"
    guid: str | None = None  # None: derived from the feed URL (podcast:guid)
    locked: bool = False
    funding: tuple[Funding, ...] = ()


def _text(key: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ShowConfigError(key, value, "must be a non-empty string")
    return value.strip()


def _flag(key: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise ShowConfigError(key, value, "must be true or false")
    return value


def _url(key: str, value: object, base: str) -> str:
    url = urljoin(base, _text(key, value))
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ShowConfigError(key, value, "must be an http(s) URL (podcast apps fetch it)")
    return url


def _mapping(key: str, value: object, allowed: frozenset[str]) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise ShowConfigError(key, value, "must be a mapping")
    for name in value:
        if name not in allowed:
            raise ShowConfigError(
                f"{key}.{name}", None, f"unknown key; known keys: {', '.join(sorted(allowed))}"
            )
    return value


def _owner(key: str, value: object) -> tuple[str, str]:
    owner = _mapping(key, value, frozenset({"name", "email"}))
    for name in ("name", "email"):
        if name not in owner:
            raise ShowConfigError(f"{key}.{name}", None, "is required (Apple contacts the owner)")
    email = _text(f"{key}.email", owner["email"])
    if not _EMAIL.fullmatch(email):
        raise ShowConfigError(f"{key}.email", email, "is not an email address")
    return _text(f"{key}.name", owner["name"]), email


def _categories(key: str, value: object) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        raise ShowConfigError(key, value, "must be a category name or a list of them")
    return tuple(_text(f"{key}[{i}]", item) for i, item in enumerate(items))


def _guid(key: str, value: object) -> str | None:
    if value is None:
        return None
    text = _text(key, value)
    try:
        return str(uuid.UUID(text))
    except ValueError:
        raise ShowConfigError(key, text, "must be a UUID; leave it out to derive one") from None


def _funding(key: str, value: object, base: str) -> tuple[Funding, ...]:
    items = value if isinstance(value, list) else [value]
    result = []
    for i, item in enumerate(items):
        entry = _mapping(f"{key}[{i}]", item, frozenset({"url", "text"}))
        if "url" not in entry:
            raise ShowConfigError(f"{key}[{i}].url", None, "is required")
        text = entry.get("text", "Support the show")
        result.append(Funding(_url(f"{key}[{i}].url", entry["url"], base), _text(key, text)))
    return tuple(result)


def parse_show(key: str, value: object, base_url: str) -> ShowConfig:
    """The `podcast` mapping at `key`; raises ShowConfigError naming the bad key."""
    show = _mapping(key, value, SHOW_KEYS)
    for name in ("image", "author", "owner", "category", "explicit"):
        if name not in show:
            raise ShowConfigError(f"{key}.{name}", None, "is required by Apple Podcasts")
    kind = show.get("type", "episodic")
    if kind not in SHOW_TYPES:
        raise ShowConfigError(f"{key}.type", kind, "must be episodic or serial")
    owner_name, owner_email = _owner(f"{key}.owner", show["owner"])
    return ShowConfig(
        image=_url(f"{key}.image", show["image"], base_url),
        author=_text(f"{key}.author", show["author"]),
        owner_name=owner_name,
        owner_email=owner_email,
        categories=_categories(f"{key}.category", show["category"]),
        explicit=_flag(f"{key}.explicit", show["explicit"]),
        type=str(kind),
        guid=_guid(f"{key}.guid", show.get("guid")),
        locked=_flag(f"{key}.locked", show.get("locked", False)),
        funding=()
        if "funding" not in show
        else _funding(f"{key}.funding", show["funding"], base_url),
    )
