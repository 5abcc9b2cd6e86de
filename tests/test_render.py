"""feeds.render (rss_atom and json_feed): feed bytes for planned feeds.

The golden files in tests/golden/ are the fixture site's feeds (tests/factories.py), reviewed
by hand. After an intended change of output, regenerate them with
`FEEDS_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_render.py` and review the diff.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest
from factories import (
    SITE_URL,
    fixture_articles,
    fixture_site,
    make_article,
    make_config,
    static_content,
)
from lxml import etree

from feeds.body import EntryContent
from feeds.config import Config
from feeds.model import Article, Author, ContentError, Enclosure
from feeds.plan import FeedSpec, plan_site
from feeds.render import render_feed

GOLDEN = Path(__file__).parent / "golden"
ATOM = "{http://www.w3.org/2005/Atom}"
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "media": "http://search.yahoo.com/mrss/",
}
CONFIG, PLAN = fixture_site()
CASES = [(CONFIG, feed, fmt) for feed in PLAN.feeds for fmt in PLAN.formats]
# issue 16: the newsroom fixture (tag, author and language feeds, ttl, a Phones image); the
# feeds it adds are pinned too, as its config writes them
NEWSROOM_CONFIG, NEWSROOM_PLAN = fixture_site(newsroom=True)
BASE_PATHS = {feed.path("rss") for feed in PLAN.feeds}
CASES += [
    (NEWSROOM_CONFIG, feed, fmt)
    for feed in NEWSROOM_PLAN.feeds
    if feed.path("rss") not in BASE_PATHS
    for fmt in NEWSROOM_PLAN.formats
]


def site_feed(*articles: Article, **site: object) -> tuple[FeedSpec, object]:
    config = make_config(formats=("rss", "atom", "json"), **site)
    return plan_site(articles, config).feeds[0], config


def render(feed: FeedSpec, fmt: str, config: object) -> bytes:
    return render_feed(feed, fmt, config, static_content)  # type: ignore[arg-type]


def xml(data: bytes) -> etree._Element:
    return etree.fromstring(data)


# -- golden files ---------------------------------------------------------------------------


def test_fixture_site_has_the_expected_feeds() -> None:
    assert [feed.path("rss") for feed in PLAN.feeds] == [
        "feeds/all.rss.xml",
        "feeds/category/laptops.rss.xml",
        "feeds/category/phones.rss.xml",
        "feeds/category/phones/accessories.rss.xml",
        "feeds/category/podcasts.rss.xml",
    ]
    # issue 16: tag and author feeds after the categories, then the de and en sets
    assert [feed.path("rss") for feed in NEWSROOM_PLAN.feeds] == [
        *(feed.path("rss") for feed in PLAN.feeds),
        "feeds/tag/buying-guide.rss.xml",
        "feeds/tag/cases.rss.xml",
        "feeds/author/ann-example.rss.xml",
        "feeds/author/jorg-muller.rss.xml",
        "feeds/de/all.rss.xml",
        "feeds/de/category/laptops.rss.xml",
        "feeds/de/author/ann-example.rss.xml",
        "feeds/de/author/jorg-muller.rss.xml",
        "feeds/en/all.rss.xml",
        "feeds/en/category/laptops.rss.xml",
        "feeds/en/category/phones.rss.xml",
        "feeds/en/category/phones/accessories.rss.xml",
        "feeds/en/category/podcasts.rss.xml",
        "feeds/en/tag/buying-guide.rss.xml",
        "feeds/en/tag/cases.rss.xml",
        "feeds/en/author/ann-example.rss.xml",
    ]


@pytest.mark.parametrize(
    ("config", "feed", "fmt"), CASES, ids=[feed.path(fmt) for _, feed, fmt in CASES]
)
def test_golden(config: Config, feed: FeedSpec, fmt: str) -> None:
    data = render_feed(feed, fmt, config, static_content)
    golden = GOLDEN / feed.path(fmt)
    if os.environ.get("FEEDS_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(data)
    assert data == golden.read_bytes()


def test_no_stray_golden_files() -> None:
    written = {feed.path(fmt) for _, feed, fmt in CASES}
    found = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file()}
    # tests/golden/sample/ is the sample site's, pinned by tests/test_sample_golden.py
    assert {p for p in found if not p.startswith("sample/")} == written


# -- determinism ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_same_input_same_bytes_whatever_the_input_order(fmt: str) -> None:
    config = CONFIG
    forward = plan_site(fixture_articles(), config).feeds[0]
    backward = plan_site(tuple(reversed(fixture_articles())), config).feeds[0]
    first = render_feed(forward, fmt, config, static_content)
    assert render_feed(forward, fmt, config, static_content) == first
    assert render_feed(backward, fmt, config, static_content) == first


def test_entries_are_written_in_plan_order_newest_first() -> None:
    feed = PLAN.feeds[0]
    expected = [
        "https://news.example.org/articles/summer-phones/",
        "https://news.example.org/articles/cases-and-covers/",
        "https://news.example.org/articles/laptop-test/",
        "https://news.example.org/articles/podcast-12/",
        "urn:uuid:6b1f7f0e-3c1a-4bb3-9d8e-2f6c2f9e4a10",
        "https://news.example.org/articles/breaking/",
    ]
    rss = xml(render(feed, "rss", CONFIG))
    assert [g.text for g in rss.iterfind("channel/item/guid")] == expected
    atom = xml(render(feed, "atom", CONFIG))
    assert [i.text for i in atom.iterfind(f"{ATOM}entry/{ATOM}id")] == expected
    items = json.loads(render(feed, "json", CONFIG))["items"]
    assert [item["id"] for item in items] == expected


def test_an_empty_feed_is_dated_at_the_epoch_never_now() -> None:
    feed, config = site_feed()
    rss = xml(render(feed, "rss", config))
    assert rss.findtext("channel/lastBuildDate") == "Thu, 01 Jan 1970 01:00:00 +0100"
    assert rss.findall("channel/item") == []
    atom = xml(render(feed, "atom", config))
    assert atom.findtext(f"{ATOM}updated") == "1970-01-01T00:00:00Z"


def test_feed_updated_is_the_newest_update_not_the_newest_publication() -> None:
    older_but_edited = make_article(
        "edited", published="2021-01-01T10:00:00+01:00", updated="2021-03-01T10:00:00+01:00"
    )
    newer = make_article("newer", published="2021-02-01T10:00:00+01:00")
    feed, config = site_feed(older_but_edited, newer)
    assert xml(render(feed, "rss", config)).findtext("channel/lastBuildDate") == (
        "Mon, 01 Mar 2021 10:00:00 +0100"
    )
    assert xml(render(feed, "atom", config)).findtext(f"{ATOM}updated") == ("2021-03-01T09:00:00Z")


# -- dates ----------------------------------------------------------------------------------


def test_rss_dates_are_shown_in_the_site_zone_atom_and_json_in_utc() -> None:
    # 09:00 in New York (-05:00) is 15:00 in Berlin (+01:00) and 14:00 UTC; in July Berlin
    # is +02:00. Issue 13: an Emacs reader drops RFC 3339 offsets, so Atom/JSON write `Z`.
    winter = make_article("ny", published="2021-01-07T09:00:00-05:00")
    summer = make_article("utc", published="2021-07-01T10:00:00+00:00")
    feed, config = site_feed(winter, summer)
    rss = xml(render(feed, "rss", config))
    assert [d.text for d in rss.iterfind("channel/item/pubDate")] == [
        "Thu, 01 Jul 2021 12:00:00 +0200",
        "Thu, 07 Jan 2021 15:00:00 +0100",
    ]
    atom = xml(render(feed, "atom", config))
    assert [d.text for d in atom.iterfind(f"{ATOM}entry/{ATOM}published")] == [
        "2021-07-01T10:00:00Z",
        "2021-01-07T14:00:00Z",
    ]
    assert [d.text for d in atom.iterfind(f"{ATOM}entry/{ATOM}updated")] == [
        "2021-07-01T10:00:00Z",
        "2021-01-07T14:00:00Z",
    ]
    items = json.loads(render(feed, "json", config))["items"]
    assert [i["date_published"] for i in items] == [
        "2021-07-01T10:00:00Z",
        "2021-01-07T14:00:00Z",
    ]
    assert [i["date_modified"] for i in items] == [
        "2021-07-01T10:00:00Z",
        "2021-01-07T14:00:00Z",
    ]


def test_rss_items_carry_no_update_time() -> None:
    # Issue 13: a PHP parser took RSS item `atom:updated` for the publication date.
    edited = make_article(
        "edited", published="2021-01-01T10:00:00+01:00", updated="2021-03-01T10:00:00+01:00"
    )
    feed, config = site_feed(edited)
    data = render(feed, "rss", config)
    assert b"updated" not in data
    assert xml(data).findtext("channel/item/pubDate") == "Fri, 01 Jan 2021 10:00:00 +0100"


def test_a_zone_offset_with_seconds_is_written_in_utc() -> None:
    # Berlin kept local mean time (+00:53:28) until 1893: 12:00 LMT is 11:06:32 UTC,
    # and 1 January 1850 was a Tuesday.
    from zoneinfo import ZoneInfo

    from feeds.model import Category

    article = make_article("old", categories=[Category(("history",), ("History",))])
    article = dataclasses.replace(
        article,
        published=article.published.replace(
            year=1850, month=1, day=1, hour=12, minute=0, tzinfo=ZoneInfo("Europe/Berlin")
        ),
    )
    article = dataclasses.replace(article, updated=article.published)
    feed, config = site_feed(article)
    rss = xml(render(feed, "rss", config))
    assert rss.findtext("channel/item/pubDate") == "Tue, 01 Jan 1850 11:06:32 +0000"
    atom = xml(render(feed, "atom", config))
    assert atom.findtext(f"{ATOM}entry/{ATOM}published") == "1850-01-01T11:06:32Z"


def test_microseconds_are_dropped() -> None:
    article = make_article("fine", published="2021-01-08T14:30:00.999999+01:00")
    feed, config = site_feed(article)
    atom = xml(render(feed, "atom", config))
    assert atom.findtext(f"{ATOM}entry/{ATOM}published") == "2021-01-08T13:30:00Z"


def test_a_date_that_leaves_the_four_digit_years_is_refused() -> None:
    article = make_article("late", published="9999-12-31T23:30:00-05:00")  # 10000 in Berlin
    feed, config = site_feed(article)
    with pytest.raises(ContentError) as caught:
        render(feed, "rss", config)
    assert caught.value.problem.source == "content/late.md"
    assert caught.value.problem.field == "date"


# -- authors, links, ids --------------------------------------------------------------------


def test_rss_author_needs_an_email_else_dc_creator() -> None:
    with_email = make_article("a", authors=(Author("Ann Example", "ann@example.org"),))
    without = make_article("b", published="2021-01-09T10:00:00+01:00", authors=(Author("Bob"),))
    feed, config = site_feed(with_email, without)
    rss = xml(render(feed, "rss", config))
    bob, ann = rss.findall("channel/item")
    assert ann.findtext("author") == "ann@example.org (Ann Example)"
    assert ann.find("dc:creator", NS) is None
    assert bob.find("author") is None
    assert bob.findtext("dc:creator", namespaces=NS) == "Bob"
    atom = xml(render(feed, "atom", config))
    names = [e.findtext(f"{ATOM}author/{ATOM}name") for e in atom.iterfind(f"{ATOM}entry")]
    assert names == ["Bob", "Ann Example"]


def test_feed_author_without_email_and_without_author() -> None:
    feed, config = site_feed(make_article(), author=Author("Desk"))
    rss = xml(render(feed, "rss", config))
    assert rss.find("channel/managingEditor") is None
    feed, config = site_feed(make_article(), author=None)
    atom = xml(render(feed, "atom", config))
    assert atom.findtext(f"{ATOM}author/{ATOM}name") == "Example Tech News"
    assert json.loads(render(feed, "json", config))["authors"] == [{"name": "Example Tech News"}]


def test_guid_is_a_permalink_only_when_the_id_is_the_link() -> None:
    own_id = make_article("x", id="tag:news.example.org,2021:x")
    link_id = make_article("y", published="2021-01-09T10:00:00+01:00")
    feed, config = site_feed(own_id, link_id)
    guids = xml(render(feed, "rss", config)).findall("channel/item/guid")
    assert [(g.text, g.get("isPermaLink")) for g in guids] == [
        ("https://news.example.org/articles/y/", "true"),
        ("tag:news.example.org,2021:x", "false"),
    ]


def test_self_links_and_atom_id() -> None:
    feed = PLAN.feeds[3]  # phones/accessories
    rss = xml(render(feed, "rss", CONFIG))
    self_link = rss.find("channel/atom:link[@rel='self']", NS)
    assert self_link is not None
    assert self_link.get("href") == (
        "https://news.example.org/feeds/category/phones/accessories.rss.xml"
    )
    assert self_link.get("type") == "application/rss+xml"
    assert rss.findtext("channel/link") == (
        "https://news.example.org/feeds/category/phones/accessories.html"
    )
    atom = xml(render(feed, "atom", CONFIG))
    assert atom.findtext(f"{ATOM}id") == (
        "https://news.example.org/feeds/category/phones/accessories.atom.xml"
    )
    links = {(link.get("rel"), link.get("href")) for link in atom.iterfind(f"{ATOM}link")}
    assert links == {
        ("self", "https://news.example.org/feeds/category/phones/accessories.atom.xml"),
        ("alternate", "https://news.example.org/feeds/category/phones/accessories.html"),
    }


def test_websub_hub_link_in_every_format() -> None:
    config = dataclasses.replace(CONFIG, websub_hub="https://hub.example.net/")
    feed = PLAN.feeds[0]
    rss = xml(render(feed, "rss", config))
    assert [h.get("href") for h in rss.iterfind("channel/atom:link[@rel='hub']", NS)] == [
        "https://hub.example.net/"
    ]
    atom = xml(render(feed, "atom", config))
    assert [h.get("href") for h in atom.iterfind(f"{ATOM}link[@rel='hub']")] == [
        "https://hub.example.net/"
    ]
    assert json.loads(render(feed, "json", config))["hubs"] == [
        {"type": "WebSub", "url": "https://hub.example.net/"}
    ]


def test_stylesheet_processing_instruction_before_the_root() -> None:
    config = dataclasses.replace(
        CONFIG, feeds=dataclasses.replace(CONFIG.feeds, stylesheet="/feed.xsl")
    )
    data = render(PLAN.feeds[0], "atom", config)
    assert data.startswith(
        b"<?xml version='1.0' encoding='UTF-8'?>\n"
        b'<?xml-stylesheet type="text/xsl" href="/feed.xsl"?>\n<feed '
    )


# -- text, content, enclosures --------------------------------------------------------------


def test_markup_characters_in_titles_are_text() -> None:
    data = render(PLAN.feeds[3], "rss", CONFIG)
    # RSS Best Practices Profile: hex references for & and <
    assert b'<title>Cases &#x26; covers: the "&#x3C;best&gt;" picks</title>' in data
    data = render(PLAN.feeds[3], "atom", CONFIG)
    assert b'<title>Cases &#x26; covers: the "&#x3C;best&gt;" picks</title>' in data


def test_rss_description_is_html_escaped_plain_text() -> None:
    feed = PLAN.feeds[1]  # laptops: "Drei Geräte im Vergleich & ein Fazit."
    rss = render(feed, "rss", CONFIG)
    assert "<description>Drei Geräte im Vergleich &#x26;amp; ein Fazit.</description>" in (
        rss.decode()
    )
    atom = render(feed, "atom", CONFIG)
    assert '<summary type="text">Drei Geräte im Vergleich &#x26; ein Fazit.</summary>' in (
        atom.decode()
    )


def test_an_entry_without_summary_keeps_its_html_out_of_the_description() -> None:
    def no_summary(article: Article) -> EntryContent:
        return EntryContent(html="<p><img src='https://x.example/a.png'></p>", summary="")

    feed, config = site_feed(make_article())
    rss = xml(render_feed(feed, "rss", config, no_summary))  # type: ignore[arg-type]
    item = rss.find("channel/item")
    assert item is not None
    assert item.find("description") is None
    assert item.findtext("content:encoded", namespaces=NS) == (
        "<p><img src='https://x.example/a.png'></p>"
    )
    atom = xml(render_feed(feed, "atom", config, no_summary))  # type: ignore[arg-type]
    assert atom.find(f"{ATOM}entry/{ATOM}summary") is None


def test_enclosure_and_image() -> None:
    article = make_article(
        "episode",
        enclosure=Enclosure("https://cdn.example.org/e.mp3", "audio/mpeg", 1234),
        image="https://cdn.example.org/e.jpg",
    )
    feed, config = site_feed(article)
    rss = xml(render(feed, "rss", config))
    enclosure = rss.find("channel/item/enclosure")
    assert enclosure is not None
    assert dict(enclosure.attrib) == {
        "url": "https://cdn.example.org/e.mp3",
        "length": "1234",
        "type": "audio/mpeg",
    }
    media = rss.find("channel/item/media:content", NS)
    assert media is not None
    assert dict(media.attrib) == {"url": "https://cdn.example.org/e.jpg", "medium": "image"}
    atom = xml(render(feed, "atom", config))
    links = [dict(link.attrib) for link in atom.iterfind(f"{ATOM}entry/{ATOM}link")]
    assert links == [
        {"href": "https://news.example.org/articles/episode/"},
        {
            "href": "https://cdn.example.org/e.mp3",
            "rel": "enclosure",
            "type": "audio/mpeg",
            "length": "1234",
        },
    ]
    item = json.loads(render(feed, "json", config))["items"][0]
    assert item["attachments"] == [
        {"url": "https://cdn.example.org/e.mp3", "mime_type": "audio/mpeg", "size_in_bytes": 1234}
    ]
    assert item["image"] == "https://cdn.example.org/e.jpg"


def test_a_character_xml_cannot_carry_is_refused_with_the_article_named() -> None:
    feed, config = site_feed(make_article("bell", title="Ding\x07"))
    with pytest.raises(ContentError) as caught:
        render(feed, "atom", config)
    problem = caught.value.problem
    assert (problem.source, problem.field) == ("content/bell.md", "title")
    assert problem.message == (
        "contains U+0007, which XML 1.0 cannot carry; remove the character from the source"
    )


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown feed format 'rdf'"):
        render(PLAN.feeds[0], "rdf", CONFIG)


# -- JSON Feed ------------------------------------------------------------------------------


def test_json_feed_shape() -> None:
    data = render(PLAN.feeds[0], "json", CONFIG)
    assert data.endswith(b"}\n")
    assert "📱".encode() in data  # UTF-8, not \u escapes
    document = json.loads(data)
    assert list(document) == [
        "version",
        "title",
        "home_page_url",
        "feed_url",
        "description",
        "favicon",
        "author",
        "authors",
        "language",
        "items",
    ]
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["feed_url"] == "https://news.example.org/feeds/all.json"
    breaking = document["items"][-1]
    assert breaking == {
        "id": "https://news.example.org/articles/breaking/",
        "url": "https://news.example.org/articles/breaking/",
        "title": "Breaking: title only",
        "content_text": "",
        "date_published": "2021-01-04T06:00:00Z",
        "date_modified": "2021-01-04T06:00:00Z",
        "tags": ["Phones"],
    }


# -- RFC 5005 archives ----------------------------------------------------------------------


def test_archive_pages_are_marked_and_linked() -> None:
    config = make_config(max_items=2, archive_page_size=2)
    days = ["01", "02", "03", "04", "05"]
    articles = [make_article(f"d{d}", published=f"2021-03-{d}T10:00:00+01:00") for d in days]
    plan = plan_site(articles, config)
    assert [page.path("atom") for page in plan.archives] == [
        "feeds/archive/all/1.atom.xml",
        "feeds/archive/all/2.atom.xml",
        "feeds/archive/category/phones/1.atom.xml",
        "feeds/archive/category/phones/2.atom.xml",
    ]
    first = xml(render(plan.archives[0], "atom", config))
    assert first.find("{http://purl.org/syndication/history/1.0}archive") is not None
    assert {(link.get("rel"), link.get("href")) for link in first.iterfind(f"{ATOM}link")} == {
        ("self", "https://news.example.org/feeds/archive/all/1.atom.xml"),
        ("alternate", "https://news.example.org/"),  # the site feed stands for the home page
        ("current", "https://news.example.org/feeds/all.atom.xml"),
    }
    assert [e.findtext(f"{ATOM}id") for e in first.iterfind(f"{ATOM}entry")] == [
        "https://news.example.org/articles/d02/",
        "https://news.example.org/articles/d01/",
    ]
    current = xml(render(plan.feeds[0], "rss", config))
    assert current.find("channel/{http://purl.org/syndication/history/1.0}archive") is None
    rels = {
        (link.get("rel"), link.get("href")) for link in current.iterfind("channel/atom:link", NS)
    }
    assert rels == {
        ("self", "https://news.example.org/feeds/all.rss.xml"),
        ("prev-archive", "https://news.example.org/feeds/archive/all/2.rss.xml"),
    }


def test_stylesheet_type_ignores_the_query_string() -> None:
    from lxml import etree

    from feeds.render.rss_atom import stylesheet_instruction

    assert etree.tostring(stylesheet_instruction("/feed.css?v=2")) == (
        b'<?xml-stylesheet type="text/css" href="/feed.css?v=2"?>'
    )
    assert etree.tostring(stylesheet_instruction("/pretty.xsl")) == (
        b'<?xml-stylesheet type="text/xsl" href="/pretty.xsl"?>'
    )


# -- issue 13: what every reader shows ------------------------------------------------------


def test_atom_writes_the_alternate_link_before_self() -> None:
    # A widely used npm parser takes the first <link> for the feed's web page.
    atom = xml(render(PLAN.feeds[0], "atom", CONFIG))
    assert [(link.get("rel"), link.get("href")) for link in atom.iterfind(f"{ATOM}link")] == [
        ("alternate", "https://news.example.org/"),
        ("self", "https://news.example.org/feeds/all.atom.xml"),
    ]


def test_atom_category_term_is_the_display_path() -> None:
    # Two readers show only `term`: it carries what a person should see; label and scheme stay.
    data = render(PLAN.feeds[3], "atom", CONFIG)  # phones/accessories
    assert (
        b'<category term="Phones / Accessories" scheme="https://news.example.org/categories" '
        b'label="Phones / Accessories"/>'
    ) in data


def test_attribute_values_keep_plain_amp_while_text_has_hex_references() -> None:
    podcast = make_article(
        "cast",
        title="Q&A <live>",
        enclosure=Enclosure(
            url="https://cdn.example.net/a.mp3?src=feed&fmt=mp3", type="audio/mpeg", length=9
        ),
        image="https://cdn.example.net/i.jpg?w=1&h=2",
    )
    feed, config = site_feed(podcast, logo="https://cdn.example.net/logo.png?a=1&b=2")
    rss = render(feed, "rss", config)
    assert b'<enclosure url="https://cdn.example.net/a.mp3?src=feed&amp;fmt=mp3"' in rss
    assert b'<media:content url="https://cdn.example.net/i.jpg?w=1&amp;h=2"' in rss
    assert b"<url>https://cdn.example.net/logo.png?a=1&#x26;b=2</url>" in rss  # element text
    assert b"<title>Q&#x26;A &#x3C;live&gt;</title>" in rss
    atom = render(feed, "atom", config)
    assert b'<link href="https://cdn.example.net/a.mp3?src=feed&amp;fmt=mp3" rel="enclosure"' in (
        atom
    )
    assert b"<title>Q&#x26;A &#x3C;live&gt;</title>" in atom
    assert b"&#x26;fmt" not in rss + atom


def test_atom_html_content_cannot_be_decoded_into_a_live_tag() -> None:
    # The article shows the text "<script>"; a parser decoding type="html" twice must not
    # find `&lt;script&gt;` there (issue 13), so `&` and `<` are hex references.
    article = make_article("code", body="<p>&lt;script&gt;</p>")
    feed, config = site_feed(article)
    atom = render(feed, "atom", config)
    assert b'<content type="html">&#x3C;p&gt;&#x26;lt;script&#x26;gt;&#x3C;/p&gt;</content>' in (
        atom
    )
    assert b"&amp;lt;" not in atom


def test_json_feed_writes_author_beside_authors() -> None:
    # JSON Feed 1.1 keeps 1.0's `author` for readers that know only 1.0.
    article = make_article("by-ann", authors=(Author(name="Ann Example", email="ann@example.org"),))
    nobody = make_article("anon", published="2021-01-01T10:00:00+01:00")
    feed, config = site_feed(article, nobody)
    document = json.loads(render(feed, "json", config))
    newsroom = {"name": "Example Newsroom", "url": "mailto:newsroom@example.org"}
    assert document["author"] == newsroom
    assert document["authors"] == [newsroom]
    ann = {"name": "Ann Example", "url": "mailto:ann@example.org"}
    assert (document["items"][0]["author"], document["items"][0]["authors"]) == (ann, [ann])
    assert "author" not in document["items"][1]  # inherits the feed's


def test_category_url_is_the_web_page_of_category_feeds() -> None:
    accessories = make_article("case", categories=["Phones: Accessories"])
    config = make_config(formats=("rss", "atom", "json"), category_url="{url}topics/{path}/")
    feeds = {feed.key: feed for feed in plan_site([accessories], config).feeds}
    page = "https://news.example.org/topics/phones/accessories/"
    feed = feeds["phones/accessories"]
    assert xml(render(feed, "rss", config)).findtext("channel/link") == page
    atom = xml(render(feed, "atom", config))
    assert atom.find(f"{ATOM}link[@rel='alternate']").get("href") == page  # type: ignore[union-attr]
    assert json.loads(render(feed, "json", config))["home_page_url"] == page
    site_wide = feeds["all"]  # the site feed stands for the home page
    assert xml(render(site_wide, "rss", config)).findtext("channel/link") == SITE_URL
    assert json.loads(render(site_wide, "json", config))["home_page_url"] == SITE_URL


def test_without_category_url_a_category_feed_links_its_feed_page() -> None:
    feed, config = site_feed(make_article("case", categories=["Phones"]))
    phones = plan_site(feed.entries, config).feeds[1]
    assert xml(render(phones, "rss", config)).findtext("channel/link") == (
        "https://news.example.org/feeds/category/phones.html"
    )
    assert xml(render(feed, "rss", config)).findtext("channel/link") == SITE_URL
