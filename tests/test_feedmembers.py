"""The category feeds' members kept with a prepared site, and changed for a few articles
(feeds/feedmembers.py, issue 14): always what going through every article again gives."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from factories import category, make_article

from feeds.feedmembers import FeedMembers, changed_members, members_of
from feeds.model import Article, Category

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _article(number: int, *categories: Category | str, **fields: object) -> Article:
    published = (START - timedelta(hours=number)).isoformat()
    return make_article(f"story-{number:04d}", published=published, categories=categories, **fields)


def _shape(members: FeedMembers) -> dict[tuple[str, ...], tuple[list[str], tuple[str, ...]]]:
    """Each feed's member sources in order and its category's names (which equality skips)."""
    assert set(members.lists) == set(members.categories)
    return {
        slugs: ([a.source for a in held], members.categories[slugs].names)
        for slugs, held in members.lists.items()
    }


def test_each_level_holds_its_articles_once_named_as_its_first_article_names_it() -> None:
    # newest first: 1 is the newest; its spelling of the `phones` level is the feed's
    first = _article(1, Category(("phones", "accessories"), ("Fones", "Accessories")))
    second = _article(2, "Phones", "Phones: Accessories")  # phones twice: held once
    third = _article(3, "Computing: Laptops", "Phones")
    members = members_of([first, second, third])
    assert _shape(members) == {
        ("phones",): (
            ["content/story-0001.md", "content/story-0002.md", "content/story-0003.md"],
            ("Fones",),
        ),
        ("phones", "accessories"): (
            ["content/story-0001.md", "content/story-0002.md"],
            ("Fones", "Accessories"),
        ),
        ("computing",): (["content/story-0003.md"], ("Computing",)),
        ("computing", "laptops"): (["content/story-0003.md"], ("Computing", "Laptops")),
    }


def test_taking_out_the_first_article_names_the_feed_as_the_next_one_does() -> None:
    first = _article(1, Category(("phones",), ("Fones",)))
    second = _article(2, "Phones")
    last = members_of([first, second])
    changed = changed_members(last, [first], [])
    assert _shape(changed) == {("phones",): (["content/story-0002.md"], ("Phones",))}
    # and the kept members are left as they were
    assert _shape(last) == {
        ("phones",): (["content/story-0001.md", "content/story-0002.md"], ("Fones",))
    }


def test_a_feed_left_empty_goes_and_a_new_level_comes() -> None:
    lone = _article(5, "Science: Space")
    other = _article(6, "Phones")
    coming = _article(1, "Travel: Rail")
    changed = changed_members(members_of([lone, other]), [lone], [coming])
    assert _shape(changed) == {
        ("phones",): (["content/story-0006.md"], ("Phones",)),
        ("travel",): (["content/story-0001.md"], ("Travel",)),
        ("travel", "rail"): (["content/story-0001.md"], ("Travel", "Rail")),
    }


def test_an_article_no_feed_holds_is_passed_over() -> None:
    held = _article(2, "Phones")
    never = _article(1, "Phones")  # same feed, never put in
    changed = changed_members(members_of([held]), [never], [])
    assert _shape(changed) == {("phones",): (["content/story-0002.md"], ("Phones",))}


# -- against going through every article, on sites nobody wrote by hand ------------------

_LEVELS = [
    ("Phones",),
    ("Phones", "Accessories"),
    ("Phones", "Accessories", "Cases"),
    ("Computing",),
    ("Computing", "Laptops"),
    ("Science", "Space"),
    ("Science", "Biology"),
    ("Travel", "Rail"),
]
_SPELLINGS = {"Phones": ["Phones", "PHONES", "Fones"], "Science": ["Science", "Sciences"]}


def _random_category(rng: random.Random) -> Category:
    names = rng.choice(_LEVELS)
    shown = tuple(rng.choice(_SPELLINGS.get(name, [name])) for name in names)
    return category(": ".join(shown), *(name.lower() for name in names))


def _random_article(rng: random.Random, number: int) -> Article:
    count = rng.choice([1, 1, 1, 2, 3])
    return _article(number, *(_random_category(rng) for _ in range(count)))


def _every_article(ordered: list[Article]) -> FeedMembers:
    """The members worked out the slow way: each level of each category, every article."""
    lists: dict[tuple[str, ...], list[Article]] = {}
    names: dict[tuple[str, ...], Category] = {}
    for article in ordered:
        for category_ in article.categories:
            for depth in range(1, len(category_.slugs) + 1):
                slugs = category_.slugs[:depth]
                held = lists.setdefault(slugs, [])
                if not held or held[-1] is not article:
                    held.append(article)
                if len(held) == 1 and slugs not in names:
                    names[slugs] = Category(slugs, category_.names[:depth])
    return FeedMembers(lists, names)


def _feed_order(articles: list[Article]) -> list[Article]:
    return sorted(articles, key=Article.sort_key)


def test_changed_members_equal_those_of_the_changed_site() -> None:
    rng = random.Random(20261207)
    taken: set[int] = set()

    def number() -> int:  # an hour back from START no other article has: anywhere in order
        found = rng.randrange(1, 2000)
        while found in taken:
            found = rng.randrange(1, 2000)
        taken.add(found)
        return found

    site = [_random_article(rng, number()) for _ in range(60)]
    members = members_of(_feed_order(site))
    assert _shape(members) == _shape(_every_article(_feed_order(site)))
    newest_in = 0
    for _ in range(200):
        out = rng.sample(site, min(len(site), rng.choice([0, 1, 1, 2, 3])))
        coming = [_random_article(rng, number()) for _ in range(rng.choice([0, 1, 2, 3]))]
        newest_in += any(a.published > max(b.published for b in site) for a in coming)
        before = _shape(members)
        changed = changed_members(members, out, coming)
        assert _shape(members) == before  # the last build's are not touched
        site = [a for a in site if a not in out] + coming
        assert _shape(changed) == _shape(_every_article(_feed_order(site)))
        members = changed
    assert len(site) > 30 and len(members.lists) == 10  # a site left, every level in it
    assert newest_in > 3  # some came in first (a feed's category named anew)
