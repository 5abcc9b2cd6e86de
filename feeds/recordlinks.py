"""The fields that say where an article and its media live, each type-checked: `slug`,
`link`, `id`, `image`, `enclosure` (rules in `feeds.normalise`).
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Mapping
from datetime import datetime
from urllib.parse import quote, urlsplit

from feeds.categories import slugify
from feeds.config import Config
from feeds.fieldtext import PCHAR, absolute_url, unsafe_slug
from feeds.model import Enclosure, kind, shorten, some_of
from feeds.recordfields import RecordFields, shown

MAX_ENCLOSURE_LENGTH = 2**63 - 1  # readers keep the size in a signed 64-bit integer
_IRI_SCHEMES = ("http", "https", "urn", "tag")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# RFC 6838 §4.2 type/subtype names.
_MIME = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$")


def read_slug(record: RecordFields, default_slug: str | None, title: str) -> str:
    """The explicit slug, else the file name (made safe), else one made from the title."""
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


def read_link(record: RecordFields, config: Config, slug: str, published: datetime) -> str:
    """The explicit http(s) link (resolved against `site.url`), else `site.permalink` filled in."""
    value = record.get("link")
    site = config.site
    if value is None:
        local = published.astimezone(site.tzinfo)
        return site.permalink.format(
            url=site.url,
            slug=quote(slug, safe=PCHAR),
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


def read_id(record: RecordFields, config: Config, link: str) -> str:
    """The explicit IRI as is, a local id as a `urn:uuid:`, else the link."""
    value = record.get("id")
    base = config.site.id_base or config.site.url
    if value is None:
        # RFC 4287 §4.2.6: the permalink is a permanent, unique IRI; under site.id_base when
        # the site moved, so that it stays the IRI it was.
        if config.site.id_base and link.startswith(config.site.url):
            return base + link[len(config.site.url) :]
        return link
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
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, base + '#' + token)}"
    dotnet = _DOTNET_GUID.match(token)
    if dotnet is not None:  # RFC 4122 §3: a UUID is written in lowercase, without braces
        return f"urn:uuid:{uuid.UUID(dotnet.group(1))}"
    if not _valid_iri(token, scheme.group(1).lower()):
        record.fail(
            "id",
            shown(value),
            'is not a valid IRI (spaces, control characters, one of <>"{}|\\^` , or a URL '
            "without a valid host); fix it, or use a plain id such as post-1234",
        )
    return token


# A .NET-style GUID in a URN: `urn:uuid:{6B29FC40-CA47-1067-B31D-00DD010662DA}`.
_DOTNET_GUID = re.compile(r"(?i)^urn:uuid:\{([0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})\}$")
# RFC 3987 §2.2: characters no IRI holds (besides spaces and controls).
_NOT_IN_IRI = frozenset('<>"{}|\\^`')


def _valid_iri(token: str, scheme: str) -> bool:
    if len(token) <= len(scheme) + 1:  # nothing after `urn:`
        return False
    if any(c in _NOT_IN_IRI or unicodedata.category(c)[0] in "CZ" for c in token):
        return False
    if scheme not in ("http", "https"):
        return True
    try:
        return bool(urlsplit(token).netloc)
    except ValueError:  # a bracketed host that is no IP address: `https://[x]/`
        return False


def read_image(record: RecordFields, link: str) -> str | None:
    """The image URL resolved against the article's link; None when missing."""
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


def read_url_member(record: RecordFields, key: str, raw: object, link: str, example: str) -> str:
    """A required URL inside a mapping field (`enclosure.url`, `image.url`), resolved against
    the article's link."""
    if raw is None:
        record.fail(key, None, f"is missing; {example}")
    text = record.text(key, raw, example)
    try:
        return absolute_url(text, link)
    except ValueError as error:
        record.fail(key, shorten(text), f"{error}; {example}")


def read_enclosure(record: RecordFields, link: str) -> Enclosure | None:
    """The enclosure `{url, type, length}` checked (length 0 when unknown); None when missing."""
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
            some_of(extra),
            "unknown key(s), ignored; an enclosure has url, type and length",
        )
    raw_type, length = value.get("type"), value.get("length", 0)
    url = read_url_member(record, "enclosure.url", value.get("url"), link, example)
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
    if length > MAX_ENCLOSURE_LENGTH:
        record.fail(
            "enclosure.length",
            shown(length),
            f"is more than {MAX_ENCLOSURE_LENGTH:,} bytes, the most feed readers can store "
            "(a signed 64-bit size); write the file's real size in bytes, or 0 when unknown",
        )
    return Enclosure(url=url, type=mime, length=length)
