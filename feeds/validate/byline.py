"""What a reader lists for an entry of several authors (issue 16), to compare with what it
read: every author element in the order written, and feedparser's known misreading of it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from feeds.model import Author
from feeds.render.rules import rss_author, rss_creators
from feeds.views import EntryView

Pair = tuple[str, str | None]  # an author as a reader shows it: name, email


def byline_read(authors: tuple[Author, ...], fmt: str) -> tuple[Pair, ...]:
    """The authors a reader lists, in order: in RSS the `<author>` (the first with an email)
    then each `dc:creator`; in Atom and JSON Feed each author."""
    if fmt != "rss":
        return tuple((author.name, author.email) for author in authors)
    named = rss_author(authors)
    lead: tuple[Pair, ...] = () if named is None else ((named.name, named.email),)
    return lead + tuple((name, None) for name in rss_creators(authors))


def emails_carried(found: tuple[Pair, ...], want: tuple[Pair, ...]) -> bool:
    """Whether `found` is `want` as feedparser 6 lists Atom authors: one without an email gets
    the email of the author before it (its `_sync_author_detail` reads the previous author's
    `name (email)` text back with a pattern, which finds only part of some addresses)."""
    if len(found) != len(want) or [n for n, _ in found] != [n for n, _ in want]:
        return False
    for index, ((_, got), (_, email)) in enumerate(zip(found, want, strict=True)):
        if got == email:
            continue
        before = {found[index - 1][1], want[index - 1][1]} if index else set()
        if email is not None or got is None or not any(e and got in e for e in before):
            return False
    return True


def addresses_taken(found: tuple[Pair, ...], want: tuple[Pair, ...]) -> bool:
    """Whether `found` is `want` as feedparser 6 reads RSS `dc:creator` names: one in which
    its address pattern finds an email address (a name such as `jane@example.org`) comes
    back as that address and the rest of the name, as a single RSS author does."""
    if len(found) != len(want):
        return False
    for (name, email), (want_name, want_email) in zip(found, want, strict=True):
        if (name, email) == (want_name, want_email):
            continue
        if want_email is not None or email is None or email not in want_name:
            return False
        if name.strip() not in want_name:
            return False
    return True


class Where(Protocol):
    """Where a comparison reports (`compare._Where`)."""

    quirks: bool

    def differs(self, field: str, expected: str | None, found: str | None, what: str) -> None: ...

    def altered(self, field: str, expected: str | None, found: str | None, what: str) -> None: ...


def compare_byline(
    where: Where,
    view: EntryView,
    authors: tuple[Author, ...],
    fmt: str,
    quirk: Callable[[Pair], Pair],
) -> None:
    """Several authors: every author element, in order, as a reader lists them; in JSON Feed
    also 1.0 `author` as the first. A difference feedparser's heuristics explain (`quirk`
    on the text, the carried email, RSS `email (name)` split by a pattern, an address found
    in a `dc:creator` name) is `altered`."""
    want = byline_read(authors, fmt)
    lead = view.author if fmt == "json" else want[0]
    if view.authors == want and lead == want[0]:
        return
    quirked = tuple(quirk(pair) for pair in want)
    heuristic = where.quirks and (
        view.authors == quirked
        or emails_carried(view.authors, want)
        or (
            fmt == "rss"
            and len(view.authors) == len(want)
            and view.authors[1:] in (want[1:], quirked[1:])
        )
        or (fmt == "rss" and addresses_taken(view.authors, want))
    )
    (where.altered if heuristic else where.differs)(
        "authors",
        "; ".join(_text(pair) for pair in want),
        "; ".join(_text(pair) for pair in view.authors)
        + ("" if lead == want[0] else f" (JSON Feed 1.0 author: {_text(lead)})"),
        "the authors",
    )


def _text(pair: Pair | None) -> str:
    if pair is None:
        return "None"
    return pair[0] if pair[1] is None else f"{pair[0]} <{pair[1]}>"
