"""The articles of every category feed, in feed order, and each feed's category (issue 14):
what `plan._feed_set` works out before it makes the feeds, kept with a prepared site so that
a resident build that adds or takes out a few articles changes a few lists instead of going
through every article again (`changed_members`).

A category feed holds every article filed under the category or below it (the levels of an
article's categories, each once); its `Category` is the level as its first article names it.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter

from feeds.model import Article, Category

Slugs = tuple[str, ...]
FEED_ORDER = Article.sort_key  # `feed_order`'s key: unique (ids are)
_SLUGS = attrgetter("slugs")


def feed_position(ordered: list[Article], article: Article) -> int | None:
    """Where this very article is in `ordered` (feed order), or None."""
    position = bisect_left(ordered, article.sort_key(), key=FEED_ORDER)
    return position if position < len(ordered) and ordered[position] is article else None


@dataclass(frozen=True, slots=True)
class FeedMembers:
    """Each category feed's articles in feed order, and its category, by slugs. Not changed
    once made (`changed_members` copies what it changes)."""

    lists: dict[Slugs, list[Article]]
    categories: dict[Slugs, Category]


def members_of(ordered: Iterable[Article]) -> FeedMembers:
    """The category feeds of the articles `ordered` (feed order), with their members."""
    lists: dict[Slugs, list[Article]] = {}
    categories: dict[Slugs, Category] = {}
    # Speed (issue 6): articles share a few hundred category lists; the feeds of a list are
    # worked out at its first article. Lists are equal when their slugs are (Category
    # equality), and a feed's category is the one its first article names, so later articles
    # with the list change nothing else. Keyed by the lists' slugs, hashed and compared in C.
    feeds_of: dict[tuple[Slugs, ...], list[list[Article]]] = {}
    for article in ordered:
        key = tuple(map(_SLUGS, article.categories))
        found = feeds_of.get(key)
        if found is None:
            found = []
            for slugs, level in _levels(article):
                if slugs not in lists:
                    lists[slugs] = []
                    categories[slugs] = level
                found.append(lists[slugs])
            feeds_of[key] = found
        for members in found:
            members.append(article)
    return FeedMembers(lists, categories)


def changed_members(
    last: FeedMembers, out: Iterable[Article], coming: Iterable[Article]
) -> FeedMembers:
    """`last` with the articles `out` taken out of every feed that holds them (those no feed
    holds are passed over) and the articles `coming` put in, in feed order: equal to
    `members_of` of the changed feed order. `last` is left as it was."""
    lists, categories = dict(last.lists), dict(last.categories)
    copied: set[Slugs] = set()

    def members(slugs: Slugs) -> list[Article]:
        if slugs not in copied:
            copied.add(slugs)
            lists[slugs] = list(lists.get(slugs, ()))
        return lists[slugs]

    for article in out:
        for slugs, _ in _levels(article):
            held = lists.get(slugs)
            position = None if held is None else feed_position(held, article)
            if position is not None:
                del members(slugs)[position]
    for article in coming:
        for slugs, _ in _levels(article):
            insort(members(slugs), article, key=FEED_ORDER)
    for slugs in copied:  # each changed feed's category: as its (new) first article names it
        if lists[slugs]:
            categories[slugs] = dict(_levels(lists[slugs][0]))[slugs]
        else:
            del lists[slugs], categories[slugs]
    return FeedMembers(lists, categories)


def _levels(article: Article) -> list[tuple[Slugs, Category]]:
    """The levels of the article's categories, each once (the first naming it), in order."""
    seen: dict[Slugs, Category] = {}
    for category in article.categories:
        for level in category.lineage():
            seen.setdefault(level.slugs, level)
    return list(seen.items())
