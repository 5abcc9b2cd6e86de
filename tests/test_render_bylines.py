"""Several authors per article (issue 16) as each format writes them, and the round trip that
checks every one of them (feeds.validate.compare)."""

from __future__ import annotations

import json

import pytest
from factories import make_article, make_config, static_content
from lxml import etree

from feeds.findings import Severity
from feeds.model import Article, Author
from feeds.plan import FeedSpec, plan_site
from feeds.render import render_feed
from feeds.validate import check_round_trip

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONFIG = make_config(formats=("rss", "atom", "json"))
ADA = Author("Ada Lovelace", "ada@example.org")
BOB = Author("Bob Example")
CARLA = Author("Carla Example", "carla@example.org")


def site_feed(*articles: Article) -> FeedSpec:
    return plan_site(articles, CONFIG).feeds[0]


def render(feed: FeedSpec, fmt: str) -> bytes:
    return render_feed(feed, fmt, CONFIG, static_content)


def item_xml(authors: tuple[Author, ...], fmt: str) -> etree._Element:
    data = render(site_feed(make_article("a", authors=authors)), fmt)
    root = etree.fromstring(data)
    found = root.find("channel/item") if fmt == "rss" else root.find(f"{ATOM}entry")
    assert found is not None
    return found


def test_rss_names_every_author_as_dc_creator_and_one_author_with_email() -> None:
    item = item_xml((BOB, ADA, CARLA), "rss")
    assert [e.text for e in item.iter("author")] == ["ada@example.org (Ada Lovelace)"]
    assert [e.text for e in item.iter(f"{DC}creator")] == [
        "Bob Example",
        "Ada Lovelace",
        "Carla Example",
    ]


def test_rss_several_authors_without_email_have_no_author_element() -> None:
    item = item_xml((BOB, Author("Dan")), "rss")
    assert item.find("author") is None
    assert [e.text for e in item.iter(f"{DC}creator")] == ["Bob Example", "Dan"]


def test_rss_one_author_is_written_as_before() -> None:
    item = item_xml((ADA,), "rss")
    assert [e.text for e in item.iter("author")] == ["ada@example.org (Ada Lovelace)"]
    assert item.find(f"{DC}creator") is None


def test_atom_writes_one_author_element_each_in_byline_order() -> None:
    entry = item_xml((ADA, BOB), "atom")
    authors = [
        (a.findtext(f"{ATOM}name"), a.findtext(f"{ATOM}email")) for a in entry.iter(f"{ATOM}author")
    ]
    assert authors == [("Ada Lovelace", "ada@example.org"), ("Bob Example", None)]


def test_json_feed_lists_every_author_and_the_first_as_1_0_author() -> None:
    document = json.loads(render(site_feed(make_article("a", authors=(BOB, ADA))), "json"))
    item = document["items"][0]
    assert item["authors"] == [
        {"name": "Bob Example"},
        {"name": "Ada Lovelace", "url": "mailto:ada@example.org"},
    ]
    assert item["author"] == {"name": "Bob Example"}


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_several_authors_round_trip_clean(fmt: str) -> None:
    # Bob (no email) first: feedparser reads this order exactly in every format.
    feed = site_feed(make_article("a", authors=(BOB, ADA, CARLA)))
    found = check_round_trip(render(feed, fmt), fmt, feed, CONFIG, static_content, file="x")
    assert found == []


def test_atom_author_after_one_with_email_is_a_reader_warning_not_an_error() -> None:
    # feedparser 6 gives Bob the email of Ada, written before him: the bytes are right.
    feed = site_feed(make_article("a", authors=(ADA, BOB)))
    found = check_round_trip(render(feed, "atom"), "atom", feed, CONFIG, static_content, file="x")
    assert [(f.rule, f.field, f.level) for f in found] == [
        ("ReaderAltersText", "authors", Severity.WARNING)
    ]


@pytest.mark.parametrize(
    ("fmt", "old", "new"),
    [
        ("rss", "<dc:creator>Carla Example</dc:creator>", ""),
        ("rss", "<dc:creator>Ada Lovelace</dc:creator>", "<dc:creator>Ada L.</dc:creator>"),
        ("atom", "<name>Carla Example</name>", "<name>Carla</name>"),
        ("atom", "<email>carla@example.org</email>", "<email>c@example.org</email>"),
        ("json", '"name": "Carla Example"', '"name": "Carla"'),
        # JSON Feed 1.0 `author` must be the first author, as 1.1 `authors` lists it
        ("json", '"author": {\n        "name": "Bob Example"\n      }', '"author": {"name": "X"}'),
    ],
)
def test_a_changed_or_missing_author_is_an_error(fmt: str, old: str, new: str) -> None:
    feed = site_feed(make_article("a", authors=(BOB, ADA, CARLA)))
    data = render(feed, fmt)
    assert data.count(old.encode()) == 1, data.decode()
    broken = data.replace(old.encode(), new.encode())
    found = check_round_trip(broken, fmt, feed, CONFIG, static_content, file="x")
    assert [(f.rule, f.field, f.level) for f in found] == [("RoundTrip", "authors", Severity.ERROR)]
