"""Raw records -> `Article`s, every field type-checked before use; then site-wide checks.

Rules an editor can rely on (the README's input table repeats them):
- A key with an empty value (YAML `key:` / JSON null) is the same as a missing key.
  Unknown keys are one warning listing them; they are ignored.
- Text fields take text only: a number, date, true/false, list or mapping where text belongs
  is an error (quote it). Containers are never turned into text, so a YAML alias bomb
  cannot explode in a message.
- `title` is required, cleaned (`clean_text`) and plain text (`<` and `&` are characters).
  A title over 1,000 characters is cut at a word boundary to at most 300 characters ending
  in `…`, with a warning.
- `date` is required, `updated` defaults to it; an `updated` before the date is a warning and
  becomes the date. A date must lie in 1000-9999 as the feeds write it (RFC 822/3339).
- `category` or `categories` (not both): text or a list of texts, each a path
  (`Phones: Accessories`). No category is allowed: the article is in the site feed only.
- `tags`: text (split at commas) or a list of texts (not split).
- `author`: a name, or `{name, email}`; missing -> the site's author is used when rendering.
- `summary`: plain text. If it contains HTML tags (`<p>`, `<b>`, `<a href>`, ... from a known
  list) they are removed, block tags leaving a space, and entities are decoded.
- `slug`: explicit, else the file name (made safe with a warning if it is not a URL
  segment), else made from the title (with a warning unless `id` is given). Explicit slugs
  must be one safe path segment (no `/` or `\\`, not `.`/`..`, no leading `.`, no spaces or
  control characters, at most 200 characters); they are NFC-normalised and percent-encoded in
  the link.
- `link`: explicit http(s) URL (relative ones resolve against `site.url`), else
  `site.permalink` with `{url}`, `{slug}`, `{year}`, `{month}`, `{day}` (the date in the site
  zone). Non-ASCII is percent-encoded (hosts with IDNA).
- `id`: an explicit `http:`, `https:`, `urn:` or `tag:` IRI is used as is; any other text or
  whole number is a local id, published as `urn:uuid:` + uuid5(NAMESPACE_URL, site.url + "#"
  + id) (RFC 4122 §4.3: stable, and unique to the site). Without `id`, the id is the link.
  Categories, build time, file order and output format never enter an id.
- `draft`: true or false only (YAML booleans, not the text "yes").
- `image`: a URL, resolved against the article's link. `enclosure`: `{url, type, length}`;
  url resolved like `image`, type a MIME type, length whole bytes >= 0 (default 0, which the
  RSS Advisory Board recommends when the size is unknown).
- The body only loses characters XML 1.0 cannot carry (a warning says how many). A body over
  `MAX_BODY` characters is an error: its HTML would pass the 10 MB a safe XML parser (libxml2
  without XML_PARSE_HUGE, as in `feeds.lint` and most feed readers) accepts in one text node,
  and the feed holding it could not be published at all.
"""

from __future__ import annotations

import html
import operator
import re
import unicodedata
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import NoReturn
from urllib.parse import quote, urljoin, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from feeds.categories import make_category, path_key, resolve_categories, slugify
from feeds.config import Config
from feeds.dates import DateError, parse_date, rfc3339
from feeds.model import (
    Article,
    Author,
    Category,
    ContentError,
    Enclosure,
    Level,
    Problem,
    RawRecord,
    kind,
    shorten,
)
from feeds.textclean import clean_text, xml_safe

KEYS = (
    "title", "date", "updated", "category", "categories", "tags", "author", "summary",
    "slug", "id", "link", "draft", "image", "enclosure", "body", "body_format",
)  # fmt: skip
_KNOWN = frozenset(KEYS)
TITLE_LIMIT = 1000  # longer titles are cut ...
TITLE_CUT = 300  # ... to at most this many characters, "…" included
MAX_SLUG = 200
MAX_TAG = 200
# Characters of raw body. The entry HTML of a text or HTML body is at most about 5 bytes per
# character (`&` -> `&amp;`), under libxml2's 10,000,000-byte limit per text node.
MAX_BODY = 1_000_000
# RFC 3986 §3.3 pchar minus "%": what a path segment may carry unencoded.
_PCHAR = "-._~!$&'()*+,;=:@"
_URL_SAFE = _PCHAR + "/?#[]%"  # for whole URLs: keep structure and existing %-escapes
_IRI_SCHEMES = ("http", "https", "urn", "tag")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# RFC 6838 §4.2 type/subtype names.
_MIME = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$")
_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+$")
_HTML_TAG = re.compile(
    r"<!--.*?-->|</?(?:a|abbr|b|blockquote|br|cite|code|del|div|em|h[1-6]|hr|i|img|ins|kbd"
    r"|li|mark|ol|p|pre|q|s|small|span|strong|sub|sup|u|ul)(?:\s[^<>]*)?/?>",
    re.IGNORECASE | re.DOTALL,
)
_INLINE = re.compile(
    r"</?(?:a|abbr|b|cite|code|del|em|i|ins|kbd|mark|q|s|small|span|strong|sub|sup|u)\b",
    re.IGNORECASE,
)


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


class _Record:
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
        return value

    def clean(self, field: str, value: str) -> str:
        text, notes = clean_text(value)
        for note in notes:
            self.warn(field, shorten(value), f"{note}; remove them from the source")
        return text


def normalise_record(raw: RawRecord, config: Config) -> tuple[Article, tuple[Problem, ...]]:
    """One raw record -> an `Article` and its warnings (rules in the module docstring).

    Raises `ContentError` with the first error; its problem names the record's source, the
    field, the value and what to do.
    """
    record = _Record(raw)
    unknown = sorted(shorten(key) for key in raw.fields if key not in _KNOWN)
    if unknown:
        record.warn(
            ", ".join(unknown),
            None,
            f"unknown key{'s' if len(unknown) > 1 else ''}, ignored; check the spelling "
            f"(the keys are {', '.join(KEYS)})",
        )
    title = _title(record)
    tz = config.site.tzinfo
    published = _date(record, "date", tz, config.dayfirst)
    updated = published
    if record.get("updated") is not None:
        updated = _date(record, "updated", tz, config.dayfirst)
        if updated < published:
            record.warn(
                "updated",
                shown(record.get("updated")),
                f"is earlier than the date ({published.isoformat()}); the date is used "
                "instead: correct updated or remove it",
            )
            updated = published
    categories = _categories(record, config)
    tags = _tags(record)
    author = _author(record)
    summary = _summary(record)
    slug = _slug(record, raw.default_slug, title)
    link = _link(record, config, slug, published)
    article_id = _id(record, config, link)
    draft = _draft(record)
    image = _image(record, link)
    enclosure = _enclosure(record, link)
    if len(raw.body) > MAX_BODY:
        record.fail(
            "body",
            shorten(raw.body.strip()),
            f"is {len(raw.body):,} characters long; a feed entry carries at most "
            f"{MAX_BODY:,} (feed readers and XML parsers refuse bigger ones): shorten it, or "
            "publish a summary that links to the full text",
        )
    body, dropped = xml_safe(raw.body)
    if dropped:
        record.warn(
            "body",
            None,
            f"had {dropped} control character(s) XML 1.0 cannot carry; they were removed "
            "(vertical tab and form feed became line breaks): remove them from the source",
        )
    article = Article(
        source=raw.source,
        slug=slug,
        id=article_id,
        link=link,
        title=title,
        published=published,
        updated=updated,
        categories=categories,
        body=body,
        body_format=raw.body_format,
        tags=tags,
        author=author,
        summary=summary,
        image=image,
        enclosure=enclosure,
        draft=draft,
    )
    return article, tuple(record.warnings)


# --- fields -----------------------------------------------------------------------------


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


def _title(record: _Record) -> str:
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


def _date(record: _Record, field: str, tz: ZoneInfo, dayfirst: bool) -> datetime:
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
        # which can move 1000-01-01 00:10 into the year 999.
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


def _categories(record: _Record, config: Config) -> tuple[Category, ...]:
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
        texts = []
        for number, item in enumerate(value, start=1):
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
            category, notes = make_category(text, config)
        except ValueError as error:
            record.fail(field, shorten(text), str(error))
        for note in notes:
            record.warn(field, shorten(text), f"{note}; remove them from the source")
        found.setdefault(path_key(category.names), category)
    return tuple(found[key] for key in sorted(found, key=lambda k: (found[k].slugs, k)))


def _tags(record: _Record) -> tuple[str, ...]:
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


def _author(record: _Record) -> Author | None:
    value = record.get("author")
    example = "author: {name: Ada Lovelace, email: ada@example.org}"
    if value is None:
        return None
    if isinstance(value, str):
        name = record.clean("author", value)
        if not name:
            record.warn("author", shown(value), "is empty; the site's author is used")
            return None
        return Author(name=name)
    if not isinstance(value, Mapping):
        record.fail(
            "author",
            shown(value),
            f"is {kind(value)}; write a name, or a name and an email: {example}",
        )
    extra = sorted(shorten(key) for key in value if key not in ("name", "email"))
    if extra:
        record.warn(
            "author", ", ".join(extra), "unknown key(s), ignored; an author has name and email"
        )
    raw_name = value.get("name")
    if raw_name is None:
        record.fail("author.name", None, f"is missing; {example}")
    name = record.clean("author.name", record.text("author.name", raw_name, example))
    if not name:
        record.fail("author.name", shown(raw_name), f"is empty; {example}")
    raw_email = value.get("email")
    if raw_email is None:
        return Author(name=name)
    email = record.text("author.email", raw_email, example).strip()
    if not _EMAIL.match(email) or not email.isprintable():
        record.fail(
            "author.email",
            shorten(email),
            "is not an email address; write it as name@example.org, or leave it out",
        )
    return Author(name=name, email=email)


def strip_tags(text: str) -> str:
    """Summary text without the HTML tags it may carry (see the module docstring)."""
    if "<" not in text or not _HTML_TAG.search(text):
        return text

    def gap(match: re.Match[str]) -> str:
        return "" if _INLINE.match(match.group(0)) else " "

    return html.unescape(_HTML_TAG.sub(gap, text))


def _summary(record: _Record) -> str | None:
    value = record.get("summary")
    if value is None:
        return None
    text = record.text("summary", value, "summary: 'One line about the article.'")
    return record.clean("summary", strip_tags(text)) or None


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
    if any(unicodedata.category(c)[0] in "CZ" for c in slug):
        return "contains spaces or control characters"
    if len(slug) > MAX_SLUG:
        return f"is {len(slug):,} characters long; at most {MAX_SLUG} are allowed"
    return None


def _slug(record: _Record, default_slug: str | None, title: str) -> str:
    value = record.get("slug")
    fix = "use letters, digits and '-', e.g. slug: new-phone-review"
    if value is not None:
        slug = unicodedata.normalize("NFC", record.text("slug", value, "slug: '2021'").strip())
        reason = unsafe_slug(slug)
        if reason is not None:
            record.fail("slug", shown(value), f"{reason}; {fix}")
        return slug
    if default_slug is not None:
        slug = unicodedata.normalize("NFC", default_slug)
        reason = unsafe_slug(slug)
        if reason is None:
            return slug
        made = slugify(slug)
        record.warn(
            "slug",
            shorten(default_slug),
            f"the file name {reason}, so it cannot be the slug; {made!r} is used: "
            f"rename the file or add slug: {made}",
        )
        return made
    made = slugify(title)
    if record.get("id") is None:
        record.warn(
            "slug",
            None,
            f"is missing and so is id; {made!r} was made from the title, so a title edit "
            f"will change the article's identity: add slug: {made}",
        )
    return made


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
    return urlunsplit(
        (
            parts.scheme,
            netloc,
            quote(parts.path, safe=_URL_SAFE),
            quote(parts.query, safe=_URL_SAFE),
            quote(parts.fragment, safe=_URL_SAFE),
        )
    )


def _link(record: _Record, config: Config, slug: str, published: datetime) -> str:
    value = record.get("link")
    site = config.site
    if value is None:
        local = published.astimezone(site.tzinfo)
        return site.permalink.format(
            url=site.url,
            slug=quote(slug, safe=_PCHAR),
            year=f"{local.year:04d}",
            month=f"{local.month:02d}",
            day=f"{local.day:02d}",
        )
    text = record.text("link", value, "link: https://example.org/elsewhere/")
    try:
        return absolute_url(text, site.url)
    except ValueError as error:
        record.fail(
            "link",
            shorten(text),
            f"{error}; write the article's web address, e.g. https://example.org/a/page/ "
            "(relative ones resolve against site.url), or leave it out",
        )


def _id(record: _Record, config: Config, link: str) -> str:
    value = record.get("id")
    if value is None:
        return link  # RFC 4287 §4.2.6: the permalink is a permanent, unique IRI
    if isinstance(value, bool) or not isinstance(value, int | str):
        record.fail(
            "id",
            shown(value),
            f"is {kind(value)}; write the id as text or a whole number, e.g. id: post-1234",
        )
    token = unicodedata.normalize("NFC", str(value).strip())
    if not token:
        record.fail("id", shown(value), "is empty; give an id, or remove the key")
    scheme = _SCHEME.match(token)
    if scheme is None or scheme.group(1).lower() not in _IRI_SCHEMES:
        # RFC 4122 §4.3: a name-based UUID is stable for the same name and namespace.
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, config.site.url + '#' + token)}"
    if any(unicodedata.category(c)[0] in "CZ" for c in token) or (
        scheme.group(1).lower() in ("http", "https") and not urlsplit(token).netloc
    ):
        record.fail(
            "id",
            shown(value),
            "is not a valid IRI (spaces, control characters, or a URL without a host); "
            "fix it, or use a plain id such as post-1234",
        )
    return token


def _draft(record: _Record) -> bool:
    value = record.get("draft")
    if value is None:
        return False
    if not isinstance(value, bool):
        record.fail(
            "draft",
            shown(value),
            f"is {kind(value)}, not true or false; write draft: true or draft: false "
            "(without quotes)",
        )
    return value


def _image(record: _Record, link: str) -> str | None:
    value = record.get("image")
    if value is None:
        return None
    text = record.text("image", value, "image: /images/photo.jpg")
    try:
        return absolute_url(text, link)
    except ValueError as error:
        record.fail(
            "image",
            shorten(text),
            f"{error}; write the image's address, absolute or relative to the article",
        )


def _enclosure(record: _Record, link: str) -> Enclosure | None:
    value = record.get("enclosure")
    example = "enclosure: {url: /audio/show-12.mp3, type: audio/mpeg, length: 24986239}"
    if value is None:
        return None
    if not isinstance(value, Mapping):
        record.fail(
            "enclosure", shown(value), f"is {kind(value)}, not a url/type/length mapping; {example}"
        )
    extra = sorted(shorten(key) for key in value if key not in ("url", "type", "length"))
    if extra:
        record.warn(
            "enclosure",
            ", ".join(extra),
            "unknown key(s), ignored; an enclosure has url, type and length",
        )
    raw_url, raw_type, length = value.get("url"), value.get("type"), value.get("length", 0)
    if raw_url is None:
        record.fail("enclosure.url", None, f"is missing; {example}")
    url_text = record.text("enclosure.url", raw_url, example)
    try:
        url = absolute_url(url_text, link)
    except ValueError as error:
        record.fail("enclosure.url", shorten(url_text), f"{error}; {example}")
    if raw_type is None:
        record.fail("enclosure.type", None, f"is missing (RSS 2.0 requires it); {example}")
    mime = record.text("enclosure.type", raw_type, example).strip().lower()
    if not _MIME.match(mime):
        record.fail(
            "enclosure.type",
            shown(raw_type),
            "is not a MIME type; write one such as audio/mpeg, video/mp4 or image/jpeg",
        )
    if length is None:
        length = 0
    if isinstance(length, bool) or not isinstance(length, int) or length < 0:
        record.fail(
            "enclosure.length",
            shown(length),
            "is not a size in bytes; write a whole number >= 0 (0 when unknown)",
        )
    return Enclosure(url=url, type=mime, length=length)


# --- site-wide --------------------------------------------------------------------------


# Speed (issue 6): attrgetter builds the sort key in C, twice as fast as a lambda.
_SITE_ORDER = operator.attrgetter("source", "id", "slug", "link")


def resolve_site(
    articles: Sequence[Article], config: Config
) -> tuple[tuple[Article, ...], tuple[Problem, ...]]:
    """The articles that can be published together, and the problems that kept others out.

    Two articles with the same id or the same link are one ERROR naming both sources, and
    neither is published (which one is meant cannot be known). With the default permalink a
    shared link means a shared slug, and the problem says so; with a dated permalink
    (`{year}/{slug}`) equal slugs on different dates are different articles. Then
    `resolve_categories`. Pass only what is to be published (no drafts), so a draft cannot
    block a published article. The result is sorted by source; input order never matters.
    """
    ordered = sorted(articles, key=_SITE_ORDER)
    by_id: dict[str, list[int]] = defaultdict(list)
    by_link: dict[str, list[int]] = defaultdict(list)
    for index, article in enumerate(ordered):
        by_id[article.id].append(index)
        by_link[article.link].append(index)
    problems: list[Problem] = []
    reported: set[tuple[int, ...]] = set()
    # Only shared links and ids are sorted (issue 6: sorting every one cost more than the rest).
    for link in sorted(link for link, group in by_link.items() if len(group) > 1):
        group = tuple(by_link[link])
        reported.add(group)
        problems.append(_duplicate(ordered, group, "link", link))
    for article_id in sorted(i for i, group in by_id.items() if len(group) > 1):
        group = tuple(by_id[article_id])
        if group not in reported:
            reported.add(group)
            problems.append(_duplicate(ordered, group, "id", article_id))
    left_out = {index for group in reported for index in group}
    kept = [a for i, a in enumerate(ordered) if i not in left_out] if left_out else ordered
    resolved, category_problems = resolve_categories(kept, config)
    return resolved, tuple(problems) + category_problems


def _duplicate(
    ordered: Sequence[Article], group: tuple[int, ...], field: str, value: str
) -> Problem:
    first, *others = (ordered[i] for i in group)
    names = ", ".join(a.source for a in others)
    if field == "link" and all(a.slug == first.slug for a in others):
        return Problem(
            first.source,
            "slug",
            shorten(first.slug),
            f"is also the slug of {names}, so they share the link {value}; neither is "
            "published: give one of them another slug",
        )
    return Problem(
        first.source,
        field,
        shorten(value),
        f"is also the {field} of {names}; an entry's {field} must be unique, so neither is "
        f"published: give one of them another {field} (or slug)",
    )
