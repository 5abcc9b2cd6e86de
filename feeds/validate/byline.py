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


def _address_taken(found: Pair, want: Pair) -> bool:
    """feedparser 6 reads an RSS `dc:creator` name in which its address pattern finds an
    email address (`jane@example.org`) as that address and the rest of the name, as it
    does a single RSS author."""
    (name, email), (want_name, want_email) = found, want
    return (
        want_email is None
        and email is not None
        and email in want_name
        and name.strip() in want_name
    )


def rss_creators_altered(
    found: tuple[Pair, ...], want: tuple[Pair, ...], quirked: tuple[Pair, ...]
) -> bool:
    """Whether the RSS authors after the first (`dc:creator`, never an email) are `want`'s,
    each as written, with feedparser's text quirk or with an address taken out; the first
    (`<author>`, `email (name)` split by a pattern) may come back in any form."""
    return len(found) == len(want) and all(
        pair in (wanted, quirk) or _address_taken(pair, wanted) or _address_taken(pair, quirk)
        for pair, wanted, quirk in zip(found[1:], want[1:], quirked[1:], strict=True)
    )


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
    in a `dc:creator` name, alone or together) is `altered`."""
    want = byline_read(authors, fmt)
    lead = view.author if fmt == "json" else want[0]
    if view.authors == want and lead == want[0]:
        return
    quirked = tuple(quirk(pair) for pair in want)
    heuristic = where.quirks and (
        view.authors == quirked
        or emails_carried(view.authors, want)
        or (fmt == "rss" and rss_creators_altered(view.authors, want, quirked))
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
