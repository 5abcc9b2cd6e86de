"""An article's byline (issue 16): `author:` a name, `{name, email}` or a list of them, or
`authors:` the same; read and type-checked into `Article.authors`, in the order written.
"""

from __future__ import annotations

from collections.abc import Mapping

from feeds.model import Author, kind, shorten, some_of
from feeds.recordfields import EMAIL, MAX_FIELD_TEXT, RecordFields, shown

MAX_AUTHORS = 20  # co-authors-plus #129: real bylines have a handful; more is a list by mistake
_EXAMPLE = "author: {name: Ada Lovelace, email: ada@example.org}"
_LIST_EXAMPLE = "authors: [Ada Lovelace, {name: Bob Example, email: bob@example.org}]"


def read_authors(record: RecordFields) -> tuple[Author, ...]:
    """Every author of the record, in byline order, each once (the first spelling of a name
    kept, case-insensitively); empty when none is given (the site's author is then used)."""
    single, several = record.get("author"), record.get("authors")
    if single is not None and several is not None:
        record.fail(
            "authors",
            shown(several),
            "is given beside author; write the byline once, as author: or authors: "
            f"(a list for several people: {_LIST_EXAMPLE})",
        )
    field = "author" if several is None else "authors"
    value = single if several is None else several
    if value is None:
        return ()
    if not isinstance(value, list | tuple):
        found = _read_author(record, value, field)
        return () if found is None else (found,)
    record.count(field, value, MAX_AUTHORS, "authors")
    authors: dict[str, Author] = {}
    for position, item in enumerate(value, start=1):
        found = _read_author(record, item, f"{field}[{position}]")
        if found is not None:
            authors.setdefault(found.name.casefold(), found)
    return tuple(authors.values())


def _read_author(record: RecordFields, value: object, field: str) -> Author | None:
    """One author from a name or `{name, email}` at `field`; None when empty (a warning)."""
    if value is None:
        return None
    if isinstance(value, str):
        name = record.clean(field, _checked_length(record, field, value, "author"))
        if not name:
            record.warn(field, shown(value), "is empty; the site's author is used")
            return None
        return Author(name=name)
    if not isinstance(value, Mapping):
        record.fail(
            field,
            shown(value),
            f"is {kind(value)}; write a name, or a name and an email: {_EXAMPLE}, or a list "
            f"of them for several authors: {_LIST_EXAMPLE}",
        )
    extra = sorted(shorten(key) for key in value if key not in ("name", "email"))
    if extra:
        record.warn(field, some_of(extra), "unknown key(s), ignored; an author has name and email")
    raw_name = value.get("name")
    if raw_name is None:
        record.fail(f"{field}.name", None, f"is missing; {_EXAMPLE}")
    name_text = record.text(f"{field}.name", raw_name, _EXAMPLE)
    name = record.clean(
        f"{field}.name", _checked_length(record, f"{field}.name", name_text, "author.name")
    )
    if not name:
        record.fail(f"{field}.name", shown(raw_name), f"is empty; {_EXAMPLE}")
    raw_email = value.get("email")
    if raw_email is None:
        return Author(name=name)
    email_text = record.text(f"{field}.email", raw_email, _EXAMPLE).strip()
    email = _checked_length(record, f"{field}.email", email_text, "author.email")
    if not EMAIL.match(email) or not email.isprintable():
        record.fail(
            f"{field}.email",
            shorten(email),
            "is not an email address; write it as name@example.org, or leave it out",
        )
    return Author(name=name, email=email)


def _checked_length(record: RecordFields, field: str, value: str, limit_of: str) -> str:
    """`value`, or an error when it is longer than the limit of `limit_of` (RFC 5321 for
    an email address)."""
    limit = MAX_FIELD_TEXT[limit_of]
    if len(value) > limit:
        record.fail(
            field,
            shorten(value),
            f"is {len(value):,} characters long; at most {limit:,} are allowed here: "
            "shorten it (the article is left out until then)",
        )
    return value
