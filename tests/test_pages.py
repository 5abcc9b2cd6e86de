"""feeds.pages: index.html, the per-feed HTML pages and feeds.opml, parsed back and compared
with values written by hand (the fixture site of tests/factories.py)."""

from __future__ import annotations

import posixpath
import re
from html import unescape
from urllib.parse import urljoin, urlsplit

import lxml.html
from factories import category, fixture_articles, fixture_site, make_article, make_config
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from feeds.config import Config
from feeds.model import Article
from feeds.pages import render_feed_page, render_index, render_opml, render_pages
from feeds.plan import SitePlan, plan_site

CONFIG, PLAN = fixture_site()  # rss, atom, json
BASE = "https://news.example.org/feeds/"
CATEGORY = BASE + "category/"
MARKUP_TITLE = 'Cases & covers: the "<best>" picks'


def html(data: bytes) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(data)


def opml(data: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.fromstring(data, parser)


def text(element: lxml.html.HtmlElement) -> str:
    return " ".join(str(element.text_content()).split())


def site(*articles: Article, formats: tuple[str, ...] = ("rss", "atom")) -> SitePlan:
    return plan_site(articles, make_config(formats=formats))


def page_of(key: str, plan: SitePlan = PLAN, config: Config = CONFIG) -> lxml.html.HtmlElement:
    feed = next(feed for feed in plan.feeds if feed.key == key)
    return html(render_feed_page(feed, plan, config))


# -- render_pages ----------------------------------------------------------------------------


def test_render_pages_writes_the_index_the_opml_and_one_page_per_feed() -> None:
    assert sorted(render_pages(PLAN, CONFIG)) == [
        "feeds.opml",
        "feeds/all.html",
        "feeds/category/laptops.html",
        "feeds/category/phones.html",
        "feeds/category/phones/accessories.html",
        "feeds/category/podcasts.html",
        "index.html",
    ]


def test_same_plan_same_bytes_whatever_the_article_order() -> None:
    config, plan = fixture_site()
    again = plan_site(tuple(reversed(fixture_articles())), config)
    assert render_pages(plan, config) == render_pages(again, config)
    assert render_pages(plan, config) == render_pages(PLAN, CONFIG)


def test_relative_links_between_pages_resolve_to_pages_that_exist() -> None:
    pages = render_pages(PLAN, CONFIG)
    checked = 0
    for path, data in pages.items():
        if not path.endswith(".html"):
            continue
        for anchor in html(data).iter("a"):
            href = anchor.get("href")
            if "://" in href:
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), href))
            assert target in pages, (path, href)
            checked += 1
    assert checked == 6 + 5  # the index: 5 feed pages and the OPML; 5 pages: the index


# -- index.html ------------------------------------------------------------------------------


def test_index_lists_every_feed_with_title_count_and_formats() -> None:
    root = html(render_index(PLAN, CONFIG))
    rows = []
    for item in root.xpath("//main//li"):
        page = item.xpath("./a")[0]
        count = item.xpath("./span[@class='meta']")[0]
        formats = [
            (link.text, link.get("type"), link.get("href"), link.get("aria-label"))
            for link in item.xpath("./span[@class='formats']/a")
        ]
        rows.append((page.text, page.get("href"), count.text, formats))

    def links(name: str, stem: str) -> list[tuple[str, str, str, str]]:
        return [
            ("RSS", "application/rss+xml", f"{stem}.rss.xml", f"{name} (RSS)"),
            ("Atom", "application/atom+xml", f"{stem}.atom.xml", f"{name} (Atom)"),
            ("JSON Feed", "application/feed+json", f"{stem}.json", f"{name} (JSON Feed)"),
        ]

    assert rows == [
        ("All articles", "feeds/all.html", "6 articles", links("All articles", BASE + "all")),
        (
            "Laptops",
            "feeds/category/laptops.html",
            "2 articles",
            links("Laptops", CATEGORY + "laptops"),
        ),
        (
            "Phones",
            "feeds/category/phones.html",
            "4 articles",
            links("Phones", CATEGORY + "phones"),
        ),
        (
            "Phones / Accessories",
            "feeds/category/phones/accessories.html",
            "1 article",
            links("Phones / Accessories", CATEGORY + "phones/accessories"),
        ),
        (
            "Podcasts",
            "feeds/category/podcasts.html",
            "1 article",
            links("Podcasts", CATEGORY + "podcasts"),
        ),
    ]


def test_index_nests_subcategories_under_their_parent() -> None:
    root = html(render_index(PLAN, CONFIG))
    top = [item.xpath("./a")[0].text for item in root.xpath("//main/ul/li")]
    assert top == ["All articles", "Laptops", "Phones", "Podcasts"]
    nested = root.xpath("//main/ul/li[a='Phones']/ul/li/a")
    assert [a.text for a in nested] == ["Phones / Accessories"]


def test_a_category_whose_slug_is_all_is_not_nested_under_the_site_feed() -> None:
    plan = site(make_article("a", categories=[category("All: Sub", "all", "sub")]))
    root = html(render_index(plan, make_config()))
    assert [item.xpath("./a")[0].text for item in root.xpath("//main/ul/li")] == [
        "All articles",
        "All",
    ]
    assert root.xpath("//main/ul/li[1]/ul") == []
    assert [a.text for a in root.xpath("//main/ul/li[2]/ul/li/a")] == ["All / Sub"]


def test_index_head_has_autodiscovery_links_for_the_site_feed() -> None:
    root = html(render_index(PLAN, CONFIG))
    links = [dict(link.attrib) for link in root.xpath("/html/head/link")]
    assert links == [
        {
            "rel": "alternate",
            "type": "application/rss+xml",
            "title": "Example Tech News (RSS)",
            "href": "https://news.example.org/feeds/all.rss.xml",
        },
        {
            "rel": "alternate",
            "type": "application/atom+xml",
            "title": "Example Tech News (Atom)",
            "href": "https://news.example.org/feeds/all.atom.xml",
        },
        {
            "rel": "alternate",
            "type": "application/feed+json",
            "title": "Example Tech News (JSON Feed)",
            "href": "https://news.example.org/feeds/all.json",
        },
        {
            "rel": "outline",
            "type": "text/x-opml",
            "title": "Example Tech News: all feeds (OPML)",
            "href": "https://news.example.org/feeds.opml",
        },
    ]


def test_index_head_offers_only_the_configured_formats() -> None:
    plan = site(make_article(), formats=("atom",))
    root = html(render_index(plan, make_config(formats=("atom",))))
    assert [link.get("type") for link in root.xpath("/html/head/link")] == [
        "application/atom+xml",
        "text/x-opml",
    ]
    assert [a.text for a in root.xpath("//span[@class='formats']/a")] == ["Atom", "Atom"]


def test_index_uses_feeds_url_for_feeds_and_site_url_for_the_home_link() -> None:
    config = make_config(feeds_url="https://cdn.example.net/news/")
    plan = plan_site([make_article()], config)
    root = html(render_index(plan, config))
    assert root.xpath("/html/head/link[1]/@href") == [
        "https://cdn.example.net/news/feeds/all.rss.xml"
    ]
    assert root.xpath("//footer//a/@href") == ["https://news.example.org/"]


def test_index_shows_the_site_title_and_description_and_points_to_the_opml() -> None:
    root = html(render_index(PLAN, CONFIG))
    assert root.findtext(".//title") == "Example Tech News: feeds"
    assert text(root.xpath("//h1")[0]) == "Example Tech News: feeds"
    assert text(root.xpath("//main/p")[0]) == "Technology news from the example newsroom"
    assert text(root.xpath("//p[@class='note']")[0]) == (
        "Copy a feed address into your feed reader to follow new articles. "
        "To follow every category at once, import the OPML list."
    )
    assert root.xpath("//p[@class='note']/a/@href") == ["feeds.opml"]


# -- escaping --------------------------------------------------------------------------------

NASTY = 'Tom & Jerry\'s "<b>News</b>" &amp;'


def test_titles_with_markup_characters_are_text_in_every_page() -> None:
    config = make_config(title=NASTY, description="<script>alert(1)</script> & more")
    lab = category("R&D <Lab>", "rd-lab")
    plan = plan_site([make_article("x", title=MARKUP_TITLE, categories=[lab])], config)
    pages = render_pages(plan, config)

    index = html(pages["index.html"])
    assert index.findtext(".//title") == NASTY + ": feeds"
    assert text(index.xpath("//h1")[0]) == NASTY + ": feeds"
    assert index.xpath("//h1/*") == []  # no <b> element made it through
    assert index.xpath("/html/head/link[1]/@title") == [NASTY + " (RSS)"]
    assert [a.text for a in index.xpath("//main/ul/li/a")] == ["All articles", "R&D <Lab>"]
    assert index.xpath("//main/ul/li[2]//span[@class='formats']/a[1]/@aria-label") == [
        "R&D <Lab> (RSS)"
    ]
    assert index.xpath("//script") == []

    page = html(pages["feeds/category/rd-lab.html"])
    assert text(page.xpath("//h1")[0]) == f"{NASTY}: R&D <Lab>"
    assert page.findtext(".//title") == f"{NASTY}: R&D <Lab>"
    assert [a.text for a in page.xpath("//main/ul[2]/li/a")] == [MARKUP_TITLE]
    assert page.xpath("//script") == []
    assert b"<b>" not in pages["feeds/category/rd-lab.html"]
    assert b'"<best>"' not in pages["feeds/category/rd-lab.html"]


@settings(max_examples=60, deadline=None)
@given(
    title=st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cn")), min_size=1, max_size=40
    )
)
def test_any_title_round_trips_through_html_and_opml(title: str) -> None:
    config = make_config(title=title)
    plan = plan_site([make_article(title=title)], config)
    index = html(render_index(plan, config))
    assert index.findtext(".//title") == f"{title}: feeds"
    page = html(render_feed_page(plan.feeds[0], plan, config))
    assert page.findtext(".//h1") == title
    assert page.xpath("//main/ul[2]/li/a/text()") == [title]
    outline = opml(render_opml(plan, config)).find("body/outline")
    assert outline is not None
    # OPML 2.0: `text` may carry HTML, so a reader shows the HTML-unescaped value
    assert unescape(outline.get("text", "")) == title


# -- the page for a feed ---------------------------------------------------------------------


def test_feed_page_shows_the_title_description_and_how_to_subscribe() -> None:
    root = page_of("phones")
    assert root.findtext(".//title") == "Example Tech News: Phones"
    assert text(root.xpath("//h1")[0]) == "Example Tech News: Phones"
    assert text(root.xpath("//main/p")[0]) == "Phones: Technology news from the example newsroom"
    assert text(root.xpath("//p[@class='note']")[0]) == (
        "This is a web feed. To follow it, copy one of these addresses into your feed reader "
        "(news reader, podcast app or RSS reader):"
    )
    assert [text(item) for item in root.xpath("//ul[@class='urls']/li")] == [
        "RSS: https://news.example.org/feeds/category/phones.rss.xml",
        "Atom: https://news.example.org/feeds/category/phones.atom.xml",
        "JSON Feed: https://news.example.org/feeds/category/phones.json",
    ]
    # The address itself is one copyable <code> text, whatever the line breaks hints.
    assert [str(code.text_content()) for code in root.xpath("//ul[@class='urls']//code")] == [
        "https://news.example.org/feeds/category/phones.rss.xml",
        "https://news.example.org/feeds/category/phones.atom.xml",
        "https://news.example.org/feeds/category/phones.json",
    ]


def test_feed_page_lists_the_entries_newest_first_with_dates_in_the_site_zone() -> None:
    root = page_of("phones")
    entries = [
        (
            item.xpath("./a")[0].text,
            item.xpath("./a/@href")[0],
            item.xpath(".//time/@datetime")[0],
            item.xpath(".//time")[0].text,
        )
        for item in root.xpath("//main/ul[2]/li")
    ]
    assert entries == [
        (
            "Summer phones 📱 under 300 €",
            "https://news.example.org/articles/summer-phones/",
            "2021-07-01T12:00:00+02:00",
            "2021-07-01 12:00 CEST",
        ),
        (
            MARKUP_TITLE,
            "https://news.example.org/articles/cases-and-covers/",
            "2021-01-08T14:30:00+01:00",
            "2021-01-08 14:30 CET",
        ),
        (
            "Phone or laptop?",
            "https://news.example.org/articles/phone-or-laptop/",
            "2021-01-05T18:45:00+01:00",
            "2021-01-05 18:45 CET",
        ),
        (
            "Breaking: title only",
            "https://news.example.org/articles/breaking/",
            "2021-01-04T07:00:00+01:00",
            "2021-01-04 07:00 CET",
        ),
    ]


def test_feed_page_converts_a_foreign_offset_to_the_site_zone() -> None:
    root = page_of("laptops")  # laptop-test: 2021-01-07T09:00:00-05:00 (New York)
    assert root.xpath("//main/ul[2]/li[1]//time/@datetime") == ["2021-01-07T15:00:00+01:00"]
    assert root.xpath("//main/ul[2]/li[1]//time/text()") == ["2021-01-07 15:00 CET"]


def test_feed_page_says_when_the_feed_holds_only_the_newest_articles() -> None:
    config = make_config(max_items=2)
    plan = plan_site(fixture_articles(), config)
    root = page_of("phones", plan, config)
    assert root.xpath("//main/p[@class='meta']/text()") == [
        "The feed carries the newest 2 of 4 articles."
    ]
    assert len(root.xpath("//main/ul[2]/li")) == 2
    assert page_of("phones").xpath("//main/p[@class='meta']") == []  # all 4 fit


def test_feed_page_of_an_empty_site() -> None:
    config = make_config()
    plan = plan_site([], config)
    root = html(render_feed_page(plan.feeds[0], plan, config))
    assert root.xpath("//main/ul[2]/li/text()") == ["No articles yet."]


def test_feed_page_links_back_to_the_index_relatively_and_to_the_site() -> None:
    root = page_of("phones/accessories")
    assert root.xpath("//footer//a/@href") == ["../../../index.html", "https://news.example.org/"]
    # The page is also served at its feed's URL (content negotiation): same folder, same link.
    feed_url = "https://news.example.org/feeds/category/phones/accessories.rss.xml"
    assert urljoin(feed_url, "../../../index.html") == "https://news.example.org/index.html"
    assert page_of("all").xpath("//footer//a[1]/@href") == ["../index.html"]


def test_feed_page_head_has_autodiscovery_links_for_its_own_feed() -> None:
    root = page_of("podcasts")
    assert [dict(link.attrib) for link in root.xpath("/html/head/link")] == [
        {
            "rel": "alternate",
            "type": "application/rss+xml",
            "title": "Example Tech News: Podcasts (RSS)",
            "href": "https://news.example.org/feeds/category/podcasts.rss.xml",
        },
        {
            "rel": "alternate",
            "type": "application/atom+xml",
            "title": "Example Tech News: Podcasts (Atom)",
            "href": "https://news.example.org/feeds/category/podcasts.atom.xml",
        },
        {
            "rel": "alternate",
            "type": "application/feed+json",
            "title": "Example Tech News: Podcasts (JSON Feed)",
            "href": "https://news.example.org/feeds/category/podcasts.json",
        },
    ]


# -- self-contained, phone-ready HTML ----------------------------------------------------------

EMBEDDING = ("script", "img", "iframe", "object", "embed", "video", "audio", "source", "picture")


def test_pages_load_nothing_from_anywhere_and_run_no_script() -> None:
    for path, data in render_pages(PLAN, CONFIG).items():
        if not path.endswith(".html"):
            continue
        root = html(data)
        assert [el.tag for el in root.iter() if el.tag in EMBEDDING] == [], path
        assert root.xpath("//@src | //@srcset") == [], path
        # <link> only announces feeds; nothing to fetch (no stylesheet, icon, font, preload)
        assert {link.get("rel") for link in root.xpath("//link")} <= {"alternate", "outline"}
        assert [a for a in root.xpath("//@*") if a.attrname.startswith("on")] == [], path
        style = "".join(root.xpath("//style/text()"))
        assert re.search(r"url\(|@import|@font-face", style) is None, path
        assert root.xpath("//@style") == [], path


def test_pages_are_utf8_html5_with_language_and_a_phone_viewport() -> None:
    for path, data in render_pages(plan_site(fixture_articles(), CONFIG), CONFIG).items():
        if not path.endswith(".html"):
            continue
        assert data.startswith(
            b'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        )
        root = html(data)
        assert root.xpath("//meta[@name='viewport']/@content") == [
            "width=device-width, initial-scale=1"
        ], path
        assert len(root.xpath("//main")) == 1 and len(root.xpath("//h1")) == 1, path


def test_page_language_follows_the_site() -> None:
    config = make_config(language="de-AT")
    plan = plan_site([make_article()], config)
    assert html(render_index(plan, config)).get("lang") == "de-AT"


# -- OPML 2.0 ----------------------------------------------------------------------------------


def test_opml_is_opml_2_with_head_and_one_rss_outline_per_feed() -> None:
    data = render_opml(PLAN, CONFIG)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">\n')
    root = opml(data)
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert [child.tag for child in root] == ["head", "body"]
    head = root.find("head")
    assert head is not None
    assert [(child.tag, child.text) for child in head] == [
        ("title", "Example Tech News: all feeds"),
        ("dateModified", "Thu, 01 Jul 2021 12:00:00 +0200"),  # summer-phones, the newest
        ("ownerName", "Example Newsroom"),
        ("ownerEmail", "newsroom@example.org"),
    ]  # no <docs>: valid OPML 2.0, but the W3C validator does not know it
    outlines = root.findall("body/*")
    assert [o.tag for o in outlines] == ["outline"] * 5

    def outline(title: str, description: str, stem: str, home: str = "") -> dict[str, str]:
        return {
            "type": "rss",
            "text": title,
            "title": title,
            "description": description,
            "language": "en",
            "version": "RSS",
            "xmlUrl": f"{stem}.rss.xml",
            "htmlUrl": home or f"{stem}.html",
        }

    about = "Technology news from the example newsroom"
    assert [dict(o.attrib) for o in outlines] == [
        # the site feed stands for the site's home page (issue 13)
        outline("Example Tech News", about, BASE + "all", "https://news.example.org/"),
        outline("Example Tech News: Laptops", f"Laptops: {about}", CATEGORY + "laptops"),
        outline("Example Tech News: Phones", f"Phones: {about}", CATEGORY + "phones"),
        outline(
            "Example Tech News: Phones / Accessories",
            f"Phones / Accessories: {about}",
            CATEGORY + "phones/accessories",
        ),
        outline("Example Tech News: Podcasts", f"Podcasts: {about}", CATEGORY + "podcasts"),
    ]


def test_opml_outlines_carry_what_the_spec_requires() -> None:
    # OPML 2.0: <opml version> with <head> and <body>; every outline has `text`; an outline of
    # type "rss" also has `xmlUrl` (subscription lists), here always an absolute http(s) URL.
    for formats in (("rss",), ("atom", "json")):
        config, plan = fixture_site(formats)
        root = opml(render_opml(plan, config))
        for outline in root.iterfind("body/outline"):
            assert outline.get("type") == "rss"
            assert outline.get("text")
            for name in ("xmlUrl", "htmlUrl"):
                parts = urlsplit(outline.get(name, ""))
                assert parts.scheme == "https" and parts.netloc == "news.example.org"
        assert len(root.findall("body/outline")) == 5


def test_opml_uses_atom_then_json_when_rss_is_not_published() -> None:
    atom_plan = site(make_article(), formats=("json", "atom"))
    atom = opml(render_opml(atom_plan, make_config(formats=("json", "atom"))))
    first = atom.find("body/outline")
    assert first is not None
    assert first.get("xmlUrl") == "https://news.example.org/feeds/all.atom.xml"
    assert first.get("version") is None  # OPML 2.0 names no version value for Atom

    json_plan = site(make_article(), formats=("json",))
    only_json = opml(render_opml(json_plan, make_config(formats=("json",))))
    assert only_json.xpath("body/outline/@xmlUrl") == [
        "https://news.example.org/feeds/all.json",
        "https://news.example.org/feeds/category/phones.json",
    ]


def test_opml_escapes_markup_quotes_and_keeps_line_breaks_in_attributes() -> None:
    config = make_config(title=NASTY, description="Line one\nLine\ttwo")
    plan = plan_site([make_article()], config)
    root = opml(render_opml(plan, config))
    assert root.findtext("head/title") == f"{NASTY}: all feeds"
    outline = root.find("body/outline")
    assert outline is not None
    # Escaped once (issue 13): readers' OPML import shows text and title as plain text.
    assert outline.get("text") == NASTY
    assert (
        b' text="Tom &amp; Jerry&#x27;s &quot;&lt;b&gt;News&lt;/b&gt;&quot; &amp;amp;" '
        in render_opml(plan, config)
    )
    assert outline.get("title") == NASTY
    assert outline.get("description") == "Line one\nLine\ttwo"


def test_opml_of_an_empty_site_has_no_date_and_no_owner_without_an_author() -> None:
    config = make_config(author=None)
    root = opml(render_opml(plan_site([], config), config))
    assert [child.tag for child in root.iterfind("head/*")] == ["title"]
    assert root.xpath("body/outline/@xmlUrl") == ["https://news.example.org/feeds/all.rss.xml"]


def test_opml_date_is_the_newest_update_in_the_site_zone() -> None:
    article = make_article(
        published="2021-03-01T10:00:00+00:00", updated="2021-03-02T23:30:00-05:00"
    )
    config = make_config()
    root = opml(render_opml(plan_site([article], config), config))
    assert root.findtext("head/dateModified") == "Wed, 03 Mar 2021 05:30:00 +0100"
