"""The records that flow through the pipeline: raw records from readers, normalised articles,
categories, and the problems any stage may report. All frozen; no stage mutates another's output."""

from __future__ import annotations

import enum
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import repeat
from typing import NamedTuple

Progress = Callable[[str, int, int], None]
"""How a long stage reports progress to the shell: (stage, done, total)."""


class FileStat(NamedTuple):
    """What a build keeps of a content file's stat: the stat key (`cache.stat_key`) and the
    device. An `os.stat_result` holds some twenty values, each its own object (about 650
    bytes); this holds five (about 130), which at a million files is half a GiB (issue 14)."""

    st_size: int
    st_mtime_ns: int
    st_ctime_ns: int
    st_ino: int
    st_dev: int

    @classmethod
    def of(cls, stat: os.stat_result) -> FileStat:
        mtime, ctime = stat.st_mtime_ns, stat.st_ctime_ns
        # one object for the two times when equal (a file written once): 32 bytes a file;
        # made by tuple's own constructor (a NamedTuple's is Python code: 2 s at 1M files)
        values = (stat.st_size, mtime, mtime if ctime == mtime else ctime, stat.st_ino,
                  stat.st_dev)  # fmt: skip
        return _new_tuple(cls, values)


def file_stats(values: Iterable[tuple[int, int, int, int, int]]) -> Iterator[FileStat]:
    """`FileStat`s of plain tuples of its five fields (as `tuple(stat)` gave them), made in
    C: pickling a NamedTuple sends its name, and Python code makes each one again."""
    return map(_new_tuple, repeat(FileStat), values)


_new_tuple = tuple.__new__


class Level(enum.Enum):
    """How bad a problem is: an error skips the article (or feed); a warning only informs."""

    ERROR = "error"
    WARNING = "warning"


def shown_name(name: str) -> str:
    """A file name (or source) as a message line shows it: quoted when it holds a line break
    or another control character, so it cannot forge a line of the build log."""
    return name if name.isprintable() else repr(name)


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with the input, named precisely enough for an editor to fix it.

    `source` is the file as the user knows it (relative to the config file's folder where
    possible), with `:LINE` for one record of a multi-record file; `field` is the key
    (`date`, `title`, `category`, ... or `file` for the file as a whole); `value` is the
    offending value as text (shortened when huge); `message` says what is wrong and what to do.
    """

    source: str
    field: str
    value: str | None
    message: str
    level: Level = Level.ERROR

    def __str__(self) -> str:
        shown = "" if self.value is None else f" {self.value!r}"
        return f"{shown_name(self.source)}: {self.field}{shown}: {self.message}"


class ContentError(Exception):
    """Raised by readers and normalisers when one record cannot be published."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def kind(value: object) -> str:
    """A loaded YAML/JSON value's type in an editor's words, for messages ("is {kind}")."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, datetime):
        return "a date and time"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple | set):
        return "a list"
    return f"a {type(value).__name__}"


def shorten(value: object, limit: int = 80) -> str:
    """A value as it may appear in a message: repr-safe text, cut at `limit` characters."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def some_of(names: list[str], shown: int = 10) -> str:
    """The first `shown` names joined, and how many more: a record with 5,000 unknown keys
    is one line, not 30 KB."""
    more = len(names) - shown
    return ", ".join(names[:shown]) + (f" and {more:,} more" if more > 0 else "")


class BodyFormat(enum.Enum):
    """How an article body is written; it is rendered to HTML only when a feed needs it."""

    MARKDOWN = "markdown"
    HTML = "html"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One article as a reader found it: fields still untyped, body still raw.

    `fields` holds front-matter / record keys as read (values may be any YAML/JSON type;
    normalisation type-checks every one). Plain-text articles put their header's date and
    category and their title under `date`, `category` and `title`.
    `default_slug` is the file name without extension for one-article files, None for records
    taken from a list or JSONL file (which must name `slug` or `id`).
    `old_path` is the URL path (below `site.url`) where the generator a site moved from
    published it, `{year}`, `{month}`, `{day}` still to fill with its date (issue 18, `ids:`).
    """

    source: str
    fields: Mapping[str, object]
    body: str
    body_format: BodyFormat
    default_slug: str | None = None
    old_path: str | None = None


@dataclass(frozen=True, slots=True)
class RecordSource:
    """Records handed to a build directly (issue 18: a CMS hook, a database query) instead
    of files: `name` names the source in messages and in the build state; `records` are
    mappings with the record keys (`title`, `date`, ..., `body`, `body_format`), read once
    per build and never all held at once. Each is named by its `key` field (default `id`,
    else `slug`), which must be unique in the source: `cms:42` in messages."""

    name: str
    records: Iterable[Mapping[str, object]]
    key: str = "id"


@dataclass(frozen=True, slots=True)
class ReadResult:
    """What a reader returns for one file: the records it could read and what it could not."""

    records: tuple[RawRecord, ...] = ()
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True, slots=True)
class Author:
    name: str
    email: str | None = None


@dataclass(frozen=True, slots=True)
class ImageInfo:
    """What news readers show with an article's image (issue 16; Media RSS): its size in
    pixels and who made it (`media:credit`)."""

    width: int | None = None
    height: int | None = None
    credit: str | None = None


@dataclass(frozen=True, slots=True)
class Enclosure:
    """RSS 2.0 <enclosure> / Atom rel="enclosure": an absolute URL, a MIME type, a size in bytes."""

    url: str
    type: str
    length: int


@dataclass(frozen=True, slots=True)
class Episode:
    """A podcast episode's fields (issue 17; Apple's `itunes:` and the `podcast:` namespace)."""

    duration: int | None = None  # seconds
    number: int | None = None
    season: int | None = None
    type: str = "full"  # full | trailer | bonus
    explicit: bool | None = None  # None: the show's setting
    image: str | None = None
    transcript: tuple[str, str, str | None] | None = None  # url, MIME type, language
    chapters: str | None = None  # JSON chapters URL (application/json+chapters)
    block: bool = False


@dataclass(frozen=True, slots=True, order=True)
class Category:
    """A category path, root first: one display name and one slug per level.

    Two categories are the same when their slugs are equal; display names are the
    canonical spellings chosen site-wide (config title, else a deterministic pick).
    """

    slugs: tuple[str, ...]
    names: tuple[str, ...] = field(compare=False)

    @property
    def term(self) -> str:
        """The slug path, e.g. `phones/accessories`: the category's stable identity."""
        return "/".join(self.slugs)

    @property
    def label(self) -> str:
        """The display path, e.g. `Phones / Accessories`."""
        return " / ".join(self.names)

    def lineage(self) -> tuple[Category, ...]:
        """This category and every ancestor, root first (`Phones`, `Phones / Accessories`)."""
        return tuple(
            Category(slugs=self.slugs[: i + 1], names=self.names[: i + 1])
            for i in range(len(self.slugs))
        )


@dataclass(frozen=True, slots=True)
class Article:
    """A normalised article. Dates are timezone-aware; links and ids are absolute IRIs.

    `body` is kept raw in `body_format`; HTML is produced lazily (feeds.body) only for
    articles that land in some feed. `summary` is the explicit summary as plain text, or
    None, in which case renderers derive one from the body's first paragraph.
    """

    source: str
    slug: str
    id: str
    link: str
    title: str
    published: datetime
    updated: datetime
    categories: tuple[Category, ...]
    body: str
    body_format: BodyFormat
    tags: tuple[str, ...] = ()
    authors: tuple[Author, ...] = ()  # byline order; empty: the site's author (issue 16)
    summary: str | None = None
    image: str | None = None
    enclosure: Enclosure | None = None
    draft: bool = False
    episode: Episode | None = None  # podcast fields (issue 17)
    in_feeds: bool = True  # `feed: false`: a valid record kept out of every feed (issue 16)
    lang: str | None = None  # BCP 47 tag; None: the site's language (issue 16)
    image_info: ImageInfo | None = None  # `image: {url, width, ...}` (issue 16)
    expires: datetime | None = None  # out of every feed from then on (Hugo's expiryDate)

    def sort_key(self) -> tuple[float, str]:
        """Feed order is newest first, then id: sort ascending on this key."""
        return (-self.published.timestamp(), self.id)
