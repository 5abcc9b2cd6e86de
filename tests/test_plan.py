"""Which feeds exist, what they hold, where they go; RFC 5005 archive pages; extra links."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from factories import raw_site

from feeds.config import Config, parse_config
from feeds.model import Article, BodyFormat, Category
from feeds.plan import extra_links, plan_site

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2021, 1, 1, 12, 0, tzinfo=BERLIN)
PHONES = Category(("phones",), ("Phones",))
ACCESSORIES = Category(("phones", "accessories"), ("Phones", "Accessories"))
LAPTOPS = Category(("computing", "laptops"), ("Computing", "Laptops"))


def make_config(**feeds: Any) -> Config:
    data: dict[str, Any] = {
        "site": raw_site(),
        "feeds": feeds,
    }
    return parse_config(data, Path("/srv/site"))


def make_article(n: int, *categories: Category, hours: int | None = None) -> Article:
    when = START + timedelta(hours=n if hours is None else hours)
    return Article(
        source=f"content/a{n}.md",
        slug=f"a{n}",
        id=f"https://news.example.org/articles/a{n}/",
        link=f"https://news.example.org/articles/a{n}/",
        title=f"Article {n}",
        published=when,
        updated=when,
        categories=tuple(categories),
        body="",
        body_format=BodyFormat.MARKDOWN,
    )


def test_site_feed_and_every_level_of_every_category() -> None:
    articles = [make_article(1, ACCESSORIES), make_article(2, LAPTOPS), make_article(3, PHONES)]
    plan = plan_site(articles, make_config())
    assert [f.key for f in plan.feeds] == [
        "all",
        "computing",
        "computing/laptops",
        "phones",
        "phones/accessories",
    ]
    by_key = {f.key: f for f in plan.feeds}
    assert [a.slug for a in by_key["all"].entries] == ["a3", "a2", "a1"]
    assert [a.slug for a in by_key["phones"].entries] == ["a3", "a1"]  # parent holds children
    assert [a.slug for a in by_key["phones/accessories"].entries] == ["a1"]
    assert by_key["computing"].title == "Example Tech News: Computing"
    assert by_key["phones/accessories"].title == "Example Tech News: Phones / Accessories"


def test_paths_follow_the_documented_layout() -> None:
    plan = plan_site([make_article(1, ACCESSORIES)], make_config(formats=["rss", "atom", "json"]))
    assert plan.paths() == (
        "feeds/all.rss.xml",
        "feeds/all.atom.xml",
        "feeds/all.json",
        "feeds/category/phones.rss.xml",
        "feeds/category/phones.atom.xml",
        "feeds/category/phones.json",
        "feeds/category/phones/accessories.rss.xml",
        "feeds/category/phones/accessories.atom.xml",
        "feeds/category/phones/accessories.json",
    )


def test_newest_first_then_id_and_max_items() -> None:
    same_time = [make_article(n, PHONES, hours=5) for n in (3, 1, 2)]
    older = make_article(9, PHONES, hours=1)
    plan = plan_site([older, *same_time], make_config(max_items=3))
    site = plan.feeds[0]
    assert [a.slug for a in site.entries] == ["a1", "a2", "a3"]
    assert site.total == 4


def test_updated_is_the_newest_entry_update_not_the_clock() -> None:
    a = make_article(1, PHONES)
    b = make_article(2, PHONES)
    late_edit = START + timedelta(days=30)
    from dataclasses import replace

    a = replace(a, updated=late_edit)
    plan = plan_site([a, b], make_config())
    assert plan.feeds[0].updated == late_edit


def test_an_article_in_two_categories_is_once_in_the_parent() -> None:
    a = make_article(1, PHONES, ACCESSORIES)
    plan = plan_site([a], make_config())
    phones = next(f for f in plan.feeds if f.key == "phones")
    assert [x.slug for x in phones.entries] == ["a1"]


def test_plan_does_not_depend_on_input_order() -> None:
    articles = [make_article(n, (PHONES, ACCESSORIES, LAPTOPS)[n % 3]) for n in range(40)]
    config = make_config(max_items=7)
    expected = plan_site(articles, config)
    for seed in range(5):
        shuffled = articles[:]
        random.Random(seed).shuffle(shuffled)
        assert plan_site(shuffled, config) == expected


def test_no_articles_gives_an_empty_site_feed() -> None:
    plan = plan_site([], make_config())
    assert [(f.key, f.entries, f.updated) for f in plan.feeds] == [("all", (), None)]


# RFC 5005 archives


def archive_plan(count: int, *, max_items: int = 3, page_size: int = 2) -> Any:
    articles = [make_article(n, PHONES) for n in range(1, count + 1)]
    config = make_config(max_items=max_items, archive=True, archive_page_size=page_size)
    return plan_site(articles, config), config


def test_archive_pages_are_numbered_from_the_oldest() -> None:
    plan, _ = archive_plan(8)  # current: 8,7,6; archived: 5,4,3,2,1
    site_pages = [p for p in plan.archives if p.category is None]
    assert [(p.page, [a.slug for a in p.entries]) for p in site_pages] == [
        (1, ["a2", "a1"]),
        (2, ["a4", "a3"]),
        (3, ["a5"]),
    ]
    assert plan.feeds[0].archive_pages == 3
    assert [a.slug for a in plan.feeds[0].entries] == ["a8", "a7", "a6"]
    assert site_pages[0].path("atom") == "feeds/archive/all/1.atom.xml"
    phones_page = next(p for p in plan.archives if p.category is not None)
    assert phones_page.path("rss") == "feeds/archive/category/phones/1.rss.xml"


def test_a_new_article_never_changes_a_full_archive_page() -> None:
    before, _ = archive_plan(8)
    after, _ = archive_plan(9)
    full_before = {p.path("atom"): p for p in before.archives if len(p.entries) == 2}
    full_after = {p.path("atom"): p for p in after.archives}
    for path, page in full_before.items():
        assert full_after[path] == page


def test_archive_links() -> None:
    plan, config = archive_plan(8)
    current = plan.feeds[0]
    assert extra_links(current, "atom", config) == (
        ("prev-archive", "https://news.example.org/feeds/archive/all/3.atom.xml"),
    )
    first, second = plan.archives[0], plan.archives[1]
    assert extra_links(first, "rss", config) == (
        ("current", "https://news.example.org/feeds/all.rss.xml"),
    )
    assert extra_links(second, "atom", config) == (
        ("current", "https://news.example.org/feeds/all.atom.xml"),
        ("prev-archive", "https://news.example.org/feeds/archive/all/1.atom.xml"),
    )


def test_json_feeds_have_no_archive_pages() -> None:
    articles = [make_article(n, PHONES) for n in range(1, 6)]
    config = make_config(max_items=2, archive=True, formats=["json", "atom"])
    plan = plan_site(articles, config)
    assert {fmt for _, fmt in plan.archive_jobs()} == {"atom"}


def test_hub_link_only_on_subscription_feeds() -> None:
    data: dict[str, Any] = {
        "site": {
            "title": "T",
            "url": "https://news.example.org/",
            "description": "D",
            "language": "en",
            "timezone": "UTC",
        },
        "feeds": {"max_items": 1, "archive": True},
        "websub": {"hub": "https://hub.example.net/"},
    }
    config = parse_config(data, Path("/srv/site"))
    plan = plan_site([make_article(1, PHONES), make_article(2, PHONES)], config)
    assert extra_links(plan.feeds[0], "atom", config)[0] == ("hub", "https://hub.example.net/")
    assert all(rel != "hub" for rel, _ in extra_links(plan.archives[0], "atom", config))
