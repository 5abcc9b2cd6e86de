"""One raw record's fields, each type-checked and cleaned: `RecordFields` (the fields and the
warnings found so far) and one reader per field. The rules are in `feeds.normalise`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sized
from datetime import date, datetime
from typing import NoReturn
from zoneinfo import ZoneInfo

from feeds.categories import make_category, path_key
from feeds.config import Config
from feeds.dateformat import MAX_YEAR, MIN_YEAR, rfc3339
from feeds.dates import DateError, parse_date
from feeds.fieldtext import cut_title, strip_tags
from feeds.languages import RESERVED, language_tag
from feeds.model import (
    Category,
    ContentError,
    Level,
    Problem,
    RawRecord,
    kind,
    shorten,
    some_of,
)
from feeds.textclean import clean_text, xml_safe

KEYS = (
    "title", "date", "updated", "category", "categories", "tags", "author", "authors",
    "summary", "slug", "id", "link", "draft", "image", "enclosure", "body", "body_format",
    "podcast", "feed", "lang",
    "expires",
)  # fmt: skip
_KNOWN = frozenset(KEYS)
TITLE_LIMIT = 1000  # longer titles are cut to `fieldtext.TITLE_CUT`
MAX_TAG = 200
# Characters of raw body. The entry HTML of a text or HTML body is at most about 5 bytes per
# character (`&` -> `&amp;`), under libxml2's 10,000,000-byte limit per text node.
MAX_BODY = 1_000_000
# Bounded work per record: a text field, category list or tag list over its limit refuses the
# record by name (the site's feeds would otherwise outgrow what readers and lint accept).
MAX_TEXT = 10_000  # characters in any text field but the body (titles are cut at 1,000)
MAX_FIELD_TEXT = {"author": 500, "author.name": 500, "author.email": 254}  # RFC 5321 path
MAX_CATEGORIES = 50
MAX_TAGS = 100
EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+$")


def shown(value: object) -> str | None:
    """A loaded value as a message may quote it. Scalars as written; a container only by
    its size (never stringified: a YAML alias bomb expands only when it is)."""
    if value is None:
        return None
    if isinstance(value, str):
        return shorten(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and value.bit_length() > 200:
        return "a very large number"
    if isinstance(value, int | float):
        return shorten(repr(value))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping | list | tuple | set):
        return f"({kind(value)} of {len(value)} items)"
    return f"({kind(value)})"


class RecordFields:
    """One record being normalised: its fields, and the warnings found so far."""

    def __init__(self, raw: RawRecord) -> None:
        self.source = raw.source
        self.fields = raw.fields
        self.warnings: list[Problem] = []

    def get(self, key: str) -> object:
        return self.fields.get(key)

    def fail(self, field: str, value: str | None, message: str) -> NoReturn:
        raise ContentError(Problem(self.source, field, value, message))

    def warn(self, field: str, value: str | None, message: str) -> None:
        self.warnings.append(Problem(self.source, field, value, message, Level.WARNING))

    def text(self, field: str, value: object, example: str) -> str:
        if not isinstance(value, str):
            self.fail(
                field,
                shown(value),
                f"is {kind(value)}, not text; write it as text (in quotes if it looks like "
                f"a number, date or true/false), e.g. {example}",
            )
        self.check_length(field, value)
        return value

    def check_length(self, field: str, value: str) -> None:
        limit = MAX_FIELD_TEXT.get(field, MAX_TEXT)
        if len(value) > limit:
            self.fail(
                field,
                shorten(value),
                f"is {len(value):,} characters long; at most {limit:,} are allowed here: "
                "shorten it (the article is left out until then)",
            )

    def count(self, field: str, items: Sized, limit: int, what: str) -> None:
        if len(items) > limit:
            self.fail(
                field,
                shown(items),
                f"has {len(items):,} {what}; an article has at most {limit}: keep the ones "
                "that matter",
            )

    def clean(self, field: str, value: str) -> str:
        text, notes = clean_text(value)
        for note in notes:
            self.warn(field, shorten(value), f"{note}; remove them from the source")
        return text


def warn_unknown_keys(record: RecordFields) -> None:
    """One warning listing the keys that are not in `KEYS` (they are ignored)."""
    unknown = sorted(shorten(key) for key in record.fields if key not in _KNOWN)
    if unknown:
        record.warn(
            some_of(unknown),
            None,
            f"unknown key{'s' if len(unknown) > 1 else ''}, ignored; check the spelling "
            f"(the keys are {', '.join(KEYS)})",
        )


def read_updated(
    record: RecordFields, published: datetime, tz: ZoneInfo, dayfirst: bool
) -> datetime:
    """`updated`, else the date; one earlier than the date is a warning and becomes the date."""
    if record.get("updated") is None:
        return published
    updated = read_date(record, "updated", tz, dayfirst)
    if updated < published:
        record.warn(
            "updated",
            shown(record.get("updated")),
            f"is earlier than the date ({published.isoformat()}); the date is used "
            "instead: correct updated or remove it",
        )
        return published
    return updated


def read_body(record: RecordFields, body: str) -> str:
    """`body` without the characters XML 1.0 cannot carry (a warning); over `MAX_BODY`
    characters is an error."""
    if len(body) > MAX_BODY:
        record.fail(
            "body",
            shorten(body.strip()),
            f"is {len(body):,} characters long; a feed entry carries at most "
            f"{MAX_BODY:,} (feed readers and XML parsers refuse bigger ones): shorten it, or "
            "publish a summary that links to the full text",
        )
    safe, dropped = xml_safe(body)
    if dropped:
        record.warn(
            "body",
            None,
            f"had {dropped} control character(s) XML 1.0 cannot carry; they were removed "
            "(vertical tab and form feed became line breaks): remove them from the source",
        )
    return safe


def read_title(record: RecordFields) -> str:
    """The cleaned plain-text title (required), cut with a warning when over `TITLE_LIMIT`."""
    value = record.get("title")
    if value is None:
        record.fail("title", None, "is missing; give the article a title")
    title = record.clean("title", record.text("title", value, "title: '1984, again'"))
    if not title:
        record.fail("title", shown(value), "is empty; give the article a title")
    if len(title) > TITLE_LIMIT:
        cut = cut_title(title)
        record.warn(
            "title",
            shorten(title),
            f"is {len(title):,} characters long (over {TITLE_LIMIT:,}) and was cut to "
            f"{len(cut)}; write a shorter title",
        )
        title = cut
    return title


def read_date(record: RecordFields, field: str, tz: ZoneInfo, dayfirst: bool) -> datetime:
    """`field` as an instant in `tz`, required, and writable in every feed (years 1000-9999)."""
    value = record.get(field)
    if value is None:
        record.fail(
            field,
            None,
            "is missing; add the publication date, e.g. date: 2021-03-23 10:18 "
            "(site time zone) or 2021-03-23T10:18:00+01:00",
        )
    try:
        parsed = parse_date(value, tz, dayfirst=dayfirst)
    except DateError as error:
        record.fail(field, shown(value), str(error))
    try:
        # What every feed writes (RFC 3339 §5.6 / RFC 822 §5 offsets are whole minutes): a
        # local-mean-time offset such as Berlin's +00:53:28 before 1893 is written in UTC,
        # which can move 1000-01-01 00:10 into the year 999. An offset is under a day, so
        # only a first or last year can move out (speed, issue 14: most dates are not).
        if not MIN_YEAR < parsed.instant.year < MAX_YEAR:
            rfc3339(parsed.instant)
    except (ValueError, OverflowError):
        record.fail(
            field,
            shown(value),
            "falls outside the years 1000-9999 once written in a feed (in UTC, as the site "
            "time zone's offset then was not whole minutes); write a date inside those years, "
            "e.g. 2021-03-23 10:18",
        )
    for warning in parsed.warnings:
        record.warn(field, shown(value), warning)
    return parsed.instant


def read_categories(record: RecordFields, config: Config) -> tuple[Category, ...]:
    """`category` or `categories` (not both) as categories, one per path, sorted by slugs."""
    single, several = record.get("category"), record.get("categories")
    if single is not None and several is not None:
        record.fail("categories", None, "is given together with category; keep one of the two keys")
    field, value = ("category", single) if several is None else ("categories", several)
    if value is None:
        return ()
    example = "category: 'Phones: Accessories'"
    if isinstance(value, str):
        texts = [value]
    elif isinstance(value, list):
        record.count(field, value, MAX_CATEGORIES, "categories")
        texts = []
        for number, item in enumerate(value, start=1):
            if isinstance(item, dict) and len(item) == 1:
                # `- News: Events` unquoted is YAML for a one-pair mapping; the writer meant
                # the path `News: Events`
                ((parent, child),) = item.items()
                if isinstance(parent, str) and isinstance(child, str):
                    item = f"{parent}: {child}"
            if not isinstance(item, str):
                record.fail(
                    field,
                    shown(item),
                    f"item {number} is {kind(item)}, not text; write each category as "
                    "text, e.g. categories: [Phones, 'Phones: Accessories']",
                )
            texts.append(item)
    else:
        record.fail(
            field,
            shown(value),
            f"is {kind(value)}; write a category as text, or a list of them, e.g. {example}",
        )
    found: dict[tuple[str, ...], Category] = {}
    for text in texts:
        try:
            category, notes = _made_categories.get(text, config)
        except ValueError as error:
            record.fail(field, shorten(text), str(error))
        for note in notes:
            record.warn(field, shorten(text), f"{note}; remove them from the source")
        found.setdefault(path_key(category.names), category)
    return tuple(found[key] for key in sorted(found, key=lambda k: (found[k].slugs, k)))


class _MadeCategories:
    """`make_category`, each text made once for a config (held here, so that it is the very
    one: a config is not hashable), for up to `KNOWN_UP_TO` texts; a text that raises is made
    again, to raise again. Speed (issue 14): a site's articles name a few hundred categories,
    and making one was 2.4 us of an article's reading."""

    KNOWN_UP_TO = 16384

    def __init__(self) -> None:
        self.config: Config | None = None
        self.made: Callable[[str], tuple[Category, tuple[str, ...]]] | None = None

    def get(self, text: str, config: Config) -> tuple[Category, tuple[str, ...]]:
        made = self.made
        if made is None or config is not self.config:
            made = functools.lru_cache(maxsize=self.KNOWN_UP_TO)(
                functools.partial(make_category, config=config)
            )
            self.config, self.made = config, made
        return made(text)


_made_categories = _MadeCategories()


def read_tags(record: RecordFields) -> tuple[str, ...]:
    """The cleaned tags: one per `path_key` (its smallest spelling), sorted by that key."""
    value = record.get("tags")
    if value is None:
        return ()
    if isinstance(value, str):
        texts = value.split(",")
    elif isinstance(value, list):
        texts = [record.text("tags", item, "tags: [phones, '5G']") for item in value]
    else:
        record.fail(
            "tags",
            shown(value),
            f"is {kind(value)}; write tags as a list, e.g. tags: [phones, batteries]",
        )
    record.count("tags", texts, MAX_TAGS, "tags")
    spellings: dict[str, str] = {}
    for text in texts:
        tag = record.clean("tags", text)
        if not tag:
            continue
        if len(tag) > MAX_TAG:
            record.fail(
                "tags",
                shorten(tag),
                f"has a tag of {len(tag):,} characters; a tag has at most {MAX_TAG}: shorten it",
            )
        key = path_key((tag,))[0]
        spellings[key] = min(spellings.get(key, tag), tag)
    return tuple(spellings[key] for key in sorted(spellings))


def read_summary(record: RecordFields) -> str | None:
    """The plain-text summary without HTML tags; None when missing or empty."""
    value = record.get("summary")
    if value is None:
        return None
    text = record.text("summary", value, "summary: 'One line about the article.'")
    return record.clean("summary", strip_tags(text)) or None


def read_draft(record: RecordFields) -> bool:
    """`draft`: true or false only; False when missing."""
    return _flag(record, "draft", False, "write draft: true or draft: false (without quotes)")


def read_in_feeds(record: RecordFields) -> bool:
    """`feed`: true or false only (issue 16: `feed: false` keeps the article out of every
    feed); True when missing."""
    advice = (
        "write feed: false to keep the article out of every feed (without quotes), or leave "
        "the key out"
    )
    return _flag(record, "feed", True, advice)


def _flag(record: RecordFields, key: str, missing: bool, advice: str) -> bool:
    """A true/false field (YAML 1.2: only `true` and `false` are booleans)."""
    value = record.get(key)
    if value is None:
        return missing
    if not isinstance(value, bool):
        record.fail(key, shown(value), f"is {kind(value)}, not true or false; {advice}")
    return value


def read_lang(record: RecordFields) -> str | None:
    """`lang`: a BCP 47 language tag (`de`, `pt-BR`), in its canonical case; None when
    missing (the site's language) (issue 16)."""
    value = record.get("lang")
    if value is None:
        return None
    text = record.text("lang", value, "lang: de").strip()
    tag = language_tag(text)
    if tag is not None and tag.lower() in RESERVED:
        record.fail(
            "lang",
            shorten(text),
            "names a folder of the feeds (feeds/<lang>/ would collide); feeds cannot carry "
            "this language code, so leave lang out",
        )
    if tag is None:
        record.fail(
            "lang",
            shorten(text),
            "is not a BCP 47 language tag; write one such as de, fr-CA or zh-Hant "
            "(a hyphen, not an underscore), or leave it out for the site's language",
        )
    return tag
