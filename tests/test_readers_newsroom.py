"""Issue 16's elements as independent readers get them: a co-byline (one author without an
email), `lang`, an image with size and credit, a video and an allowed iframe beside a
removed one, read over HTTP by the parsers of tests/test_readers.py (sfeed, rss-parser,
@rowanmanning/feed-parser, fastfeedparser; @extractus/feed-extractor shows no content,
authors or media, so it has nothing to check here). A missing parser skips loudly.

Expected values are written by hand from ARTICLE below. Where a client shows less than the
feed says (one author of two) or merges two elements the spec requires (RSS `<author>` and
`dc:creator`), what it shows is pinned too, with the reason, in CLIENT_SHOWS: the test fails
when the client or our bytes change, not only when they agree.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from loopback import serving
from test_readers import _node, read_sfeed

from feeds.build import build_site
from feeds.config import load_config
from feeds.serve import make_server

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
CONFIG = """\
site:
  title: Newsroom Readers
  url: https://example.org/
  description: Co-bylines, languages and media for every reader
  language: en
  timezone: Europe/Berlin
  author: {name: Fixture Newsroom, email: newsroom@example.org}
content_dir: content
output_dir: public
feeds:
  formats: [rss, atom, json]
html:
  allow_iframes: [www.youtube-nocookie.com]
"""
VIDEO = (
    '<video controls poster="/media/strasse.jpg">'
    '<source src="/media/strasse.mp4" type="video/mp4"></video>'
)
EMBED = (
    '<iframe src="https://www.youtube-nocookie.com/embed/abc123" width="560" height="315" '
    'title="Rundfahrt"></iframe>'
)
TRACKER = '<iframe src="https://tracker.example.net/pixel" width="1" height="1"></iframe>'
ARTICLE = f"""\
---
title: "Fahrradstraßen: Köln baut um"
date: 2021-11-03T08:00:00+01:00
category: World
lang: de
authors:
  - Ada Beispiel
  - {{name: Bruno Berg, email: bruno@example.org}}
image: {{url: /media/strasse.jpg, width: 1600, height: 900, credit: Carla Foto}}
---
Die Stadt baut zwölf Straßen zu Fahrradstraßen um.

{VIDEO}

{EMBED}

{TRACKER}
"""
LINK = "https://example.org/articles/fahrrad/"
IMAGE = "https://example.org/media/strasse.jpg"
# the body as every reader must show it: sources and poster absolute, the allowed embed
# kept, the tracker's iframe gone (the video, inline HTML in Markdown, sits in a paragraph)
CONTENT = (
    "<p>Die Stadt baut zwölf Straßen zu Fahrradstraßen um.</p>\n"
    '<p><video controls="" poster="https://example.org/media/strasse.jpg">'
    '<source src="https://example.org/media/strasse.mp4" type="video/mp4"></video></p>\n'
    '<iframe src="https://www.youtube-nocookie.com/embed/abc123" width="560" height="315" '
    'title="Rundfahrt"></iframe>'
)
BYLINE = [("Ada Beispiel", None), ("Bruno Berg", "bruno@example.org")]

# (client, format) -> (the authors it shows, as [(name, email)], why that is all it can show)
CLIENT_SHOWS: dict[tuple[str, str], tuple[list[tuple[str, str | None]], str]] = {
    ("sfeed", "rss"): ([("Ada Beispiel", None)], "one author field: the first dc:creator"),
    ("sfeed", "atom"): ([("Ada Beispiel", None)], "one author field: the first <author>"),
    ("rss-parser", "rss"): ([("Ada Beispiel", None)], "one `creator`: the first dc:creator"),
    ("rss-parser", "atom"): ([("Ada Beispiel", None)], "one `author`: the first <author>"),
    ("feed-parser", "rss"): (
        [("Bruno Berg", "bruno@example.org"), ("Ada Beispiel", None), ("Bruno Berg", None)],
        "lists RSS <author> (which RSS 2.0 allows only with an email, so Bruno's alone) and "
        "then every dc:creator, without merging the same person",
    ),
    ("fastfeedparser", "rss"): (
        [("bruno@example.org (Bruno Berg)", None)],
        "shows only RSS <author>, as written (`email (name)`), and no dc:creator",
    ),
    ("fastfeedparser", "atom"): ([("Ada Beispiel", None)], "shows the first <author> only"),
    ("fastfeedparser", "json"): ([("Ada Beispiel", None)], "shows the first of `authors` only"),
}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("readers-newsroom")
    (root / "content" / "world").mkdir(parents=True)
    (root / "content" / "world" / "fahrrad.md").write_text(ARTICLE, encoding="utf-8")
    (root / "config.yaml").write_text(CONFIG, encoding="utf-8")
    report = build_site(load_config(root / "config.yaml"), now=NOW)
    assert report.problems == () and report.findings == (), report
    with serving(make_server(root / "public", host="127.0.0.1", port=0, quiet=True)) as url:
        yield url


def _url(base_url: str, fmt: str) -> str:
    return f"{base_url}/feeds/all.{'json' if fmt == 'json' else fmt + '.xml'}"


def _only(entries: list[dict[str, Any]], link_key: str = "link") -> dict[str, Any]:
    found = [e for e in entries if e[link_key] == LINK]
    assert len(found) == 1, entries
    return found[0]


def shown_by_sfeed(base_url: str, fmt: str) -> dict[str, Any]:
    entry = _only(read_sfeed(_url(base_url, fmt), fmt)["entries"])
    return {"content": entry["content"], "authors": [(entry["author"], None)]}


def shown_by_rss_parser(base_url: str, fmt: str) -> dict[str, Any]:
    entry = _only(_node("rss-parser", _url(base_url, fmt))["entries"])
    return {"content": entry["content"], "authors": [(entry["author"], None)]}


def shown_by_feed_parser(base_url: str, fmt: str) -> dict[str, Any]:
    entry = _only(_node("feed-parser", _url(base_url, fmt))["entries"])
    return {
        "content": entry["content"],
        "authors": [(name, email) for name, email in entry["authors"]],
        "images": [url for url, _type, _length in entry["media"]],
    }


def shown_by_fastfeedparser(base_url: str, fmt: str) -> dict[str, Any]:
    fastfeedparser = pytest.importorskip(
        "fastfeedparser", reason="fastfeedparser not installed: pip install -e '.[test]'"
    )
    entry = _only(fastfeedparser.parse(_url(base_url, fmt)).entries)
    shown: dict[str, Any] = {
        "content": entry["content"][0]["value"],
        "authors": [(a["name"], a.get("email")) for a in entry.get("authors") or []],
    }
    if fmt != "json":  # Media RSS: the image with its credit
        shown["image_credits"] = [
            (m["url"], m.get("credit")) for m in entry.get("media_content") or []
        ]
    return shown


CLIENTS = {
    "sfeed": (shown_by_sfeed, ("rss", "atom")),
    "rss-parser": (shown_by_rss_parser, ("rss", "atom")),
    "feed-parser": (shown_by_feed_parser, ("rss", "atom")),
    "fastfeedparser": (shown_by_fastfeedparser, ("rss", "atom", "json")),
}
CASES = [(client, fmt) for client, (_, formats) in CLIENTS.items() for fmt in formats]


@pytest.mark.parametrize(("client", "fmt"), CASES, ids=[f"{c}-{f}" for c, f in CASES])
def test_a_reader_gets_the_body_media_and_byline_the_article_gives(
    base_url: str, client: str, fmt: str
) -> None:
    shown = CLIENTS[client][0](base_url, fmt)
    assert shown["content"] == CONTENT
    authors, why = CLIENT_SHOWS.get((client, fmt), (BYLINE, ""))
    assert shown["authors"] == authors, why or "the whole byline, in order"
    if "images" in shown:  # media:content and media:thumbnail: the one absolute image
        assert shown["images"] == [IMAGE]
    if "image_credits" in shown:
        assert shown["image_credits"] == [(IMAGE, "Carla Foto")]
