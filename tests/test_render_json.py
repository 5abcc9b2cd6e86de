"""The JSON Feed writer (`feeds.render.json_feed.render_json`), on its own: one feed, its
entry content given, the whole document written out by hand (JSON Feed 1.1,
https://jsonfeed.org/version/1.1, and the mapping in the module's docstring)."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime

from factories import category, make_article, make_config

from feeds.body import EntryContent
from feeds.feedkinds import FeedKind
from feeds.model import Article, Author, Enclosure
from feeds.plan import FeedSpec
from feeds.render.json_feed import render_json

CASES = make_article(
    "cases",
    title='Cases & "covers" ✓',
    published="2021-01-08T13:30:00Z",
    updated="2021-01-09T08:15:00Z",
    categories=[category("Phones: Accessories"), category("Phones")],
    tags=("cases", "Phones / Accessories", "buying guide", "cases"),
    authors=(Author(name="Ann Example", email="ann@example.org"),),
    image="https://news.example.org/img/cases.jpg",
    enclosure=Enclosure(url="https://news.example.org/a/cases.mp3", type="audio/mpeg", length=42),
)
BREAKING = make_article(
    "breaking",
    title="Breaking: Jörg's note",
    published="2021-01-04T06:00:00+00:00",  # UTC: shown in the site zone (Berlin, +01:00)
    categories=[category("Phones")],
    authors=(Author(name="Jörg Müller"),),
)
BARE = make_article("bare", title="Bare", published="2021-01-03T09:00:00Z")

CONTENT = {
    CASES.source: EntryContent(html="<p>Six <em>cases</em>.</p>", summary="Six cases, tested."),
    BREAKING.source: EntryContent(html="", summary="Only a title – and this."),
    BARE.source: EntryContent(html="", summary=""),
}


def content(article: Article) -> EntryContent:
    return CONTENT[article.source]


def feed(*entries: Article, description: str = "") -> FeedSpec:
    return FeedSpec(
        key="all",
        category=None,
        title="Example Tech News",
        description=description,
        html_url="https://news.example.org/",
        entries=entries,
        updated=datetime.fromisoformat("2021-01-09T08:15:00Z"),
        total=len(entries),
    )


CONFIG = make_config(icon="https://news.example.org/icon.png")


def test_the_whole_document_key_by_key() -> None:
    config = dataclasses.replace(CONFIG, websub_hub="https://hub.example.net/")
    data = render_json(feed(CASES, BREAKING, BARE), config, content)
    document = json.loads(data)
    assert list(document) == [
        "version", "title", "home_page_url", "feed_url", "description", "favicon", "author",
        "authors", "language", "hubs", "items",
    ]  # fmt: skip
    assert list(document["items"][0]) == [
        "id", "url", "title", "content_html", "summary", "image", "date_published",
        "date_modified", "author", "authors", "tags", "attachments",
    ]  # fmt: skip
    assert list(document["items"][1])[:5] == ["id", "url", "title", "content_text", "summary"]
    assert document == {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Example Tech News",
        "home_page_url": "https://news.example.org/",
        "feed_url": "https://news.example.org/feeds/all.json",
        "description": "Example Tech News",  # no description: the title
        "favicon": "https://news.example.org/icon.png",
        # JSON Feed 1.0 `author` beside 1.1 `authors`, for 1.0 readers (issue 13)
        "author": {"name": "Example Newsroom", "url": "mailto:newsroom@example.org"},
        "authors": [{"name": "Example Newsroom", "url": "mailto:newsroom@example.org"}],
        "language": "en",
        "hubs": [{"type": "WebSub", "url": "https://hub.example.net/"}],
        "items": [
            {
                "id": "https://news.example.org/articles/cases/",
                "url": "https://news.example.org/articles/cases/",
                "title": 'Cases & "covers" ✓',
                "content_html": "<p>Six <em>cases</em>.</p>",
                "summary": "Six cases, tested.",
                "image": "https://news.example.org/img/cases.jpg",
                "date_published": "2021-01-08T13:30:00Z",
                "date_modified": "2021-01-09T08:15:00Z",
                "author": {"name": "Ann Example", "url": "mailto:ann@example.org"},
                "authors": [{"name": "Ann Example", "url": "mailto:ann@example.org"}],
                "tags": ["Phones / Accessories", "Phones", "cases", "buying guide"],
                "attachments": [
                    {
                        "url": "https://news.example.org/a/cases.mp3",
                        "mime_type": "audio/mpeg",
                        "size_in_bytes": 42,
                    }
                ],
            },
            {
                "id": "https://news.example.org/articles/breaking/",
                "url": "https://news.example.org/articles/breaking/",
                "title": "Breaking: Jörg's note",
                "content_text": "Only a title – and this.",
                "summary": "Only a title – and this.",
                "date_published": "2021-01-04T06:00:00Z",
                "date_modified": "2021-01-04T06:00:00Z",
                "author": {"name": "Jörg Müller"},
                "authors": [{"name": "Jörg Müller"}],  # no email: no mailto url
                "tags": ["Phones"],
            },
            {
                "id": "https://news.example.org/articles/bare/",
                "url": "https://news.example.org/articles/bare/",
                "title": "Bare",
                "content_text": "",  # one of content_html/content_text is required
                "date_published": "2021-01-03T09:00:00Z",
                "date_modified": "2021-01-03T09:00:00Z",
                "tags": ["Phones"],
            },
        ],
    }


def test_the_bytes_are_utf8_two_space_indented_with_a_final_newline() -> None:
    data = render_json(feed(BREAKING), CONFIG, content)
    text = data.decode("utf-8")
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert '"title": "Breaking: Jörg\'s note"' in text  # not "J\\u00f6rg"
    assert "Only a title – and this." in text
    assert "\\u" not in text
    assert text.startswith('{\n  "version": "https://jsonfeed.org/version/1.1",\n  "title": ')
    assert '\n  "items": [\n    {\n      "id": "https://news.example.org/articles/breaking/",' in (
        text
    )


def test_no_icon_no_hub_no_entries() -> None:
    config = make_config(author=None)
    document = json.loads(render_json(feed(description="All the news"), config, content))
    assert document == {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Example Tech News",
        "home_page_url": "https://news.example.org/",
        "feed_url": "https://news.example.org/feeds/all.json",
        "description": "All the news",
        "author": {"name": "Example Tech News"},
        "authors": [{"name": "Example Tech News"}],  # no site author: the site title
        "language": "en",
        "items": [],
    }


def test_the_feed_url_follows_feeds_url_and_the_category() -> None:
    config = make_config(feeds_url="https://cdn.example.net/news/")
    phones = dataclasses.replace(
        feed(BARE), key="phones", category=category("Phones"), kind=FeedKind.CATEGORY
    )
    document = json.loads(render_json(phones, config, content))
    assert document["feed_url"] == "https://cdn.example.net/news/feeds/category/phones.json"
