"""Reader compatibility (issue 13): feed parsers people actually use read every feed file of a
site with hostile-but-valid content, and every field each exposes is compared with the records.

The site is built by the real build and served by `feeds.serve` on a free loopback port. The
parsers, beyond feedparser (tests/test_validate.py) and newsboat (tests/test_newsboat.py):
- sfeed (Debian, C): reads files only, so the bytes are fetched over HTTP and piped in;
- rss-parser (npm, the most used JavaScript RSS parser), @extractus/feed-extractor and
  @rowanmanning/feed-parser (npm), run by tests/readers/node_read.mjs from a cache folder
  `.ci/run` fills (`.cache/readers`);
- fastfeedparser (PyPI, a feedparser-compatible parser on lxml).
A missing parser skips loudly. The expected values are written by hand from ARTICLES below.
A client bug no feed can avoid is listed in CLIENT_BUGS with its reason; its field is then
not compared for that client and format (every other field is).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from loopback import serving

from feeds.build import build_site
from feeds.config import load_config
from feeds.serve import make_server

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
TIMEOUT = 30
ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = Path(os.environ.get("FEEDS_READERS_DIR", ROOT / ".cache" / "readers"))
NODE_DRIVER = Path(__file__).parent / "readers" / "node_read.mjs"

CONFIG = """\
site:
  title: "Readers & <Friends> Ünïcode"
  url: https://example.org/
  description: "News for \\"every\\" reader & parser"
  language: en
  timezone: Europe/Berlin
  author: {name: Fixture Newsroom, email: newsroom@example.org}
  category_url: "{url}{path}/"
content_dir: content
output_dir: public
feeds:
  formats: [rss, atom, json]
"""
ARTICLES = {
    "food/cafe.md": """\
---
title: "Café & Bars: \\"<Neu>\\" 🎉 مرحبا بالعالم"
date: 2021-10-31T02:30:00+02:00
updated: 2021-11-02T18:05:00+01:00
categories: ["Food: Café & Bars", "Travel"]
tags: [coffee & cake]
author: {name: Zoë O'Brien, email: zoe@example.org}
summary: "Espresso & <cake>, \\"quoted\\"."
enclosure:
  {url: "https://media.example.org/cafe.mp3?src=feed&fmt=mp3", type: audio/mpeg, length: 4321}
---
See the [menu](/menu/?a=1&b=2) & ![the bar](img/bar.jpg "Bar").

Code: `<script>alert(1)</script>`
""",
    "misc/quotes.md": """\
---
title: "Tom's \\"quotes\\" & <tags> — עברית"
date: 2021-11-05T09:00:00+01:00
category: "Misc"
author: Jonas Berg
---
Plain *text* with an [anchor](#top) and a [page](../about/).
""",
    "misc/bare.md": """\
---
title: A plain entry
date: 2021-11-04T12:00:00Z
category: Misc
---
Nothing special.
""",
}


def at(utc: str) -> int:
    return int(datetime.fromisoformat(utc).timestamp())


@dataclass(frozen=True)
class Record:
    """One article as every reader should show it, written by hand from ARTICLES."""

    id: str
    title: str
    published: int
    updated: int
    author: str | None  # None: the article names none (Atom writes the feed's out)
    email: str | None
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    summary: str
    content: str
    enclosure: tuple[str, str, int] | None = None

    @property
    def link(self) -> str:
        return self.id


CAFE = Record(
    id="https://example.org/articles/cafe/",
    title='Café & Bars: "<Neu>" 🎉 مرحبا بالعالم',
    published=at("2021-10-31T00:30:00Z"),  # 02:30 CEST, the night the clocks went back
    updated=at("2021-11-02T17:05:00Z"),
    author="Zoë O'Brien",
    email="zoe@example.org",
    categories=("Food / Café & Bars", "Travel"),
    tags=("coffee & cake",),
    summary='Espresso & <cake>, "quoted".',
    # relative URLs resolved against the site (/menu/) and the article (img/bar.jpg)
    content='<p>See the <a href="https://example.org/menu/?a=1&amp;b=2">menu</a> &amp; '
    '<img src="https://example.org/articles/cafe/img/bar.jpg" alt="the bar" title="Bar">.</p>\n'
    "<p>Code: <code>&lt;script&gt;alert(1)&lt;/script&gt;</code></p>",
    enclosure=("https://media.example.org/cafe.mp3?src=feed&fmt=mp3", "audio/mpeg", 4321),
)
QUOTES = Record(
    id="https://example.org/articles/quotes/",
    title='Tom\'s "quotes" & <tags> — עברית',
    published=at("2021-11-05T08:00:00Z"),
    updated=at("2021-11-05T08:00:00Z"),
    author="Jonas Berg",
    email=None,
    categories=("Misc",),
    tags=(),
    summary="Plain text with an anchor and a page.",
    content='<p>Plain <em>text</em> with an <a href="https://example.org/articles/quotes/#top">'
    'anchor</a> and a <a href="https://example.org/articles/about/">page</a>.</p>',
)
BARE = Record(
    id="https://example.org/articles/bare/",
    title="A plain entry",
    published=at("2021-11-04T12:00:00Z"),
    updated=at("2021-11-04T12:00:00Z"),
    author=None,
    email=None,
    categories=("Misc",),
    tags=(),
    summary="Nothing special.",
    content="<p>Nothing special.</p>",
)
SITE_TITLE = "Readers & <Friends> Ünïcode"
NEWSROOM = "Fixture Newsroom"
NEWSROOM_EMAIL = "newsroom@example.org"
# feed stem -> (title, web page, entries newest first)
FEEDS = {
    "feeds/all": (SITE_TITLE, "https://example.org/", (QUOTES, BARE, CAFE)),
    "feeds/category/food": (f"{SITE_TITLE}: Food", "https://example.org/food/", (CAFE,)),
    "feeds/category/food/cafe-bars": (
        f"{SITE_TITLE}: Food / Café & Bars",
        "https://example.org/food/cafe-bars/",
        (CAFE,),
    ),
    "feeds/category/misc": (f"{SITE_TITLE}: Misc", "https://example.org/misc/", (QUOTES, BARE)),
    "feeds/category/travel": (f"{SITE_TITLE}: Travel", "https://example.org/travel/", (CAFE,)),
}
SUFFIXES = {"rss": ".rss.xml", "atom": ".atom.xml", "json": ".json"}

# (client, format, field) -> why no feed can make this client show the record's value.
CLIENT_BUGS = {
    ("sfeed", "rss", "author"): "shows RSS 2.0 <author> as written, `email (name)`; RSS 2.0 "
    "requires the email there, and dc:creator would lose it",
    ("rss-parser", "rss", "author"): "shows RSS 2.0 <author> as written, `email (name)` "
    "(RSS 2.0 requires the email there)",
    ("fastfeedparser", "rss", "author"): "shows RSS 2.0 <author> as written, `email (name)` "
    "(RSS 2.0 requires the email there)",
    ("feed-extractor", "atom", "published"): "takes Atom <updated> for the publication date "
    "when both are present; RFC 4287 requires <updated>",
    ("feed-extractor", "atom", "summary"): "strips what looks like tags from Atom "
    'type="text" summaries: `<cake>` in plain text disappears',
    ("feed-parser", "rss", "updated"): "RSS 2.0 has no update time; it shows the publication "
    "time as the update time",
    ("fastfeedparser", "rss", "feed_author"): "shows RSS 2.0 <managingEditor> as written, "
    "`email (name)` (RSS 2.0 requires the email there)",
    ("fastfeedparser", "rss", "language"): "does not read the RSS channel <language>",
    ("feed-extractor", "json", "summary"): "ignores JSON Feed `summary` and shows a snippet of "
    "content_html instead",
}


# -- the site ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("readers")
    for relative, text in ARTICLES.items():
        path = root / "content" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "config.yaml").write_text(CONFIG, encoding="utf-8")
    report = build_site(load_config(root / "config.yaml"), now=NOW)
    assert report.problems == () and report.findings == (), report
    written = sorted(
        p.relative_to(root / "public").as_posix()
        for p in (root / "public" / "feeds").rglob("*")
        if p.name.endswith((".xml", ".json"))
    )
    assert written == sorted(stem + suffix for stem in FEEDS for suffix in SUFFIXES.values())
    with serving(make_server(root / "public", host="127.0.0.1", port=0, quiet=True)) as url:
        yield url


# -- the clients, each giving {"title", "link", "entries": [{field: value}]} ---------------


def _run(command: list[str], stdin: bytes | None = None) -> str:
    try:
        done = subprocess.run(
            command, input=stdin, capture_output=True, timeout=TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{command[0]} did not finish within {TIMEOUT} s")
    assert done.returncode == 0, (command, done.stderr.decode("utf-8", "replace"))
    return done.stdout.decode("utf-8")


def _instant(text: str | None) -> int | None:
    return None if not text else int(datetime.fromisoformat(text).timestamp())


def read_sfeed(url: str, fmt: str) -> dict[str, Any]:
    """sfeed(1): one TSV line per item: UNIX time, title, link, content, content type, id,
    author, enclosure, categories joined by `|`; \\n, \\t and \\\\ escaped in content."""
    sfeed = shutil.which("sfeed")
    if sfeed is None:
        pytest.skip("sfeed not installed: apt-get install sfeed (.ci/run installs it)")
    with urllib.request.urlopen(url, timeout=TIMEOUT) as answer:
        data = answer.read()
    entries = []
    for line in _run([sfeed], data).splitlines():
        time, title, link, content, kind, ident, author, enclosure, categories = line.split("\t")
        content = content.replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\")
        assert kind == "html"
        entries.append(
            {
                "published": int(time),
                "title": title,
                "link": link,
                "content": content,
                "id": ident,
                "author": author or None,
                "enclosure_url": enclosure or None,
                "categories_and_tags": tuple(categories.split("|")) if categories else (),
            }
        )
    return {"entries": entries}  # sfeed shows no feed-level fields


def _node(parser: str, url: str) -> dict[str, Any]:
    if shutil.which("node") is None:
        pytest.skip("node not installed: apt-get install nodejs")
    package = {
        "feed-extractor": "@extractus/feed-extractor",
        "feed-parser": "@rowanmanning/feed-parser",
    }.get(parser, parser)
    if not (NODE_MODULES / "node_modules" / package).is_dir():
        pytest.skip(f"npm package {package} not installed in {NODE_MODULES} (.ci/run installs it)")
    found: dict[str, Any] = json.loads(
        _run(["node", str(NODE_DRIVER), str(NODE_MODULES), parser, url])
    )
    return found


def read_rss_parser(url: str, fmt: str) -> dict[str, Any]:
    found = _node("rss-parser", url)
    entries = []
    for item in found["entries"]:
        entry = {
            "id": item["id"],
            "title": item["title"],
            "link": item["link"],
            "published": _instant(item["published"]),
            "author": item["author"],
            "content": item["content"],
        }
        if fmt == "rss":  # rss-parser reads categories and enclosures of RSS only
            entry["categories_and_tags"] = tuple(c["_"] for c in item["categories"])
            enclosure = item["enclosure"]
            entry["enclosure"] = (
                None if enclosure is None else (enclosure[0], enclosure[1], int(enclosure[2]))
            )
        entries.append(entry)
    # rss-parser reads no Atom subtitle or language
    names = ("description", "language") if fmt == "rss" else ()
    return {**_feed_fields(found, fmt, *names), "entries": entries}


def _feed_fields(found: dict[str, Any], fmt: str, *names: str) -> dict[str, Any]:
    """The feed-level fields a client gave: title and link, and `names` (description shown
    as HTML in RSS, whose channel description is HTML)."""
    fields = {"title": found["title"], "link": found["link"]}
    for name in names:
        value = found.get(name)
        fields[name] = _shown_html(value) if name == "description" and fmt == "rss" else value
    return fields


def read_feed_extractor(url: str, fmt: str) -> dict[str, Any]:
    found = _node("feed-extractor", url)
    entries = [
        {
            "id": item["id"],
            "title": item["title"],
            "link": item["link"],
            "published": _instant(item["published"]),
            # its `description` is the RSS description's HTML as written; shown as HTML
            "summary": _shown_html(item["summary"]) if fmt == "rss" else item["summary"],
        }
        for item in found["entries"]
    ]
    return {**_feed_fields(found, fmt, "description"), "entries": entries}


def read_feed_parser(url: str, fmt: str) -> dict[str, Any]:
    """@rowanmanning/feed-parser: it fetches nothing itself; node's fetch() gets the bytes."""
    found = _node("feed-parser", url)
    entries = []
    for item in found["entries"]:
        authors = item["authors"]
        entry = {
            "id": item["id"],
            "title": item["title"],
            "link": item["link"],
            "published": _instant(item["published"]),
            "updated": _instant(item["updated"]),
            "author": authors[0][0] if authors else None,
            "email": authors[0][1] if authors else None,
            "categories_and_tags": tuple(label for label, _ in item["categories"]),
            "category_terms": tuple(term for _, term in item["categories"]),
            "content": item["content"],
            "summary": _shown_html(item["summary"]) if fmt == "rss" else item["summary"],
            "enclosure": next(((u, t, int(n)) for u, t, n in item["media"] if t != "image"), None),
        }
        entries.append(entry)
    return {**_feed_fields(found, fmt, "description", "language"), "entries": entries}


def _shown_html(text: str) -> str:
    import html

    return html.unescape(text)


def read_fastfeedparser(url: str, fmt: str) -> dict[str, Any]:
    fastfeedparser = pytest.importorskip(
        "fastfeedparser", reason="fastfeedparser not installed: pip install -e '.[test]'"
    )
    parsed = fastfeedparser.parse(url)
    entries = []
    for item in parsed.entries:
        tags = item.get("tags") or []
        entry = {
            "id": item.get("id"),
            "title": item.get("title"),
            "link": item.get("link"),
            "published": _instant(item.get("published")),
            "author": item.get("author"),
            "categories_and_tags": tuple(tag["term"] for tag in tags),
            "content": (item.get("content") or [{}])[0].get("value"),
            # RSS descriptions are HTML (a reader renders them); Atom/JSON summaries are text
            "summary": _shown_html(item["description"])
            if fmt == "rss"
            else item.get("description"),
        }
        if fmt == "atom":  # an Atom enclosure link shows in `links`, without its length
            entry["enclosure_url_type"] = next(
                ((e["href"], e["type"]) for e in item["links"] if e["rel"] == "enclosure"), None
            )
        else:
            entry["enclosure"] = next(
                ((e["url"], e["type"], int(e["length"])) for e in item.get("enclosures") or []),
                None,
            )
        if fmt != "rss":  # RSS has no update time (issue 13)
            entry["updated"] = _instant(item.get("updated"))
        entries.append(entry)
    feed = parsed.feed
    shown = {
        "title": feed.get("title"),
        "link": feed.get("link"),
        "description": feed.get("subtitle"),
        "language": feed.get("language"),
        "feed_author": feed.get("author"),
    }
    if fmt == "rss":
        shown["description"] = _shown_html(feed.get("subtitle") or "")
    else:  # Atom id and JSON Feed feed_url: the feed's own URL
        shown["feed_id"] = feed.get("id")
    return {**shown, "entries": entries}


CLIENTS = {
    "sfeed": (read_sfeed, ("rss", "atom")),  # sfeed reads RSS and Atom, not JSON Feed
    "rss-parser": (read_rss_parser, ("rss", "atom")),  # XML only
    "feed-extractor": (read_feed_extractor, ("rss", "atom", "json")),
    "feed-parser": (read_feed_parser, ("rss", "atom")),  # XML only
    "fastfeedparser": (read_fastfeedparser, ("rss", "atom", "json")),
}


# -- what the records say ------------------------------------------------------------------


def expected(record: Record, fmt: str, field: str) -> object:
    """The value of `field` for `record` as a reader of `fmt` should show it."""
    if field == "author":  # Atom writes the feed author into entries without one
        return record.author or (NEWSROOM if fmt == "atom" else None)
    if field in ("categories_and_tags", "category_terms"):  # term = display path (issue 13)
        return record.categories + record.tags
    if field == "email":
        return record.email if record.author else (NEWSROOM_EMAIL if fmt == "atom" else None)
    if field == "enclosure_url":
        return None if record.enclosure is None else record.enclosure[0]
    if field == "enclosure_url_type":
        return None if record.enclosure is None else record.enclosure[:2]
    value: object = getattr(record, field)
    return value


def feed_expected(path: str, fmt: str) -> dict[str, object]:
    """The feed-level fields of the file at `path`, as the records say."""
    title, page, _ = FEEDS[path.removesuffix(SUFFIXES[fmt])]
    about = 'News for "every" reader & parser'
    label = title.removeprefix(SITE_TITLE).removeprefix(": ")
    return {
        "title": title,
        "link": page,
        "description": f"{label}: {about}" if label else about,
        "language": "en",
        "feed_author": NEWSROOM,
        "feed_id": f"https://example.org/{path}",  # Atom id, JSON Feed feed_url
    }


def _the_sites(record: Record, field: str, value: object) -> bool:
    """An article without an author is the site's: a reader showing the feed's author (RSS
    `managingEditor`, JSON Feed top-level `authors`) for it shows what the records say."""
    return record.author is None and (field, value) in (
        ("author", NEWSROOM),
        ("email", NEWSROOM_EMAIL),
    )


CASES = [
    (client, stem + SUFFIXES[fmt], fmt)
    for client, (_, formats) in CLIENTS.items()
    for stem in FEEDS
    for fmt in formats
]


@pytest.mark.parametrize(("client", "path", "fmt"), CASES, ids=[f"{c}-{p}" for c, p, _ in CASES])
def test_every_field_a_client_exposes_is_what_the_records_say(
    base_url: str, client: str, path: str, fmt: str
) -> None:
    read, _ = CLIENTS[client]
    shown = read(f"{base_url}/{path}", fmt)
    *_, records = FEEDS[path.removesuffix(SUFFIXES[fmt])]
    differences = []
    for field, want in feed_expected(path, fmt).items():
        if (client, fmt, field) in CLIENT_BUGS:
            continue
        if field in shown and shown[field] != want:
            differences.append(("feed", field, want, shown[field]))
    assert [entry["id"] for entry in shown["entries"]] == [r.id for r in records]
    for record, entry in zip(records, shown["entries"], strict=True):
        for field, value in entry.items():
            if (client, fmt, field) in CLIENT_BUGS:
                continue
            want = expected(record, fmt, field)
            if value != want and not _the_sites(record, field, value):
                differences.append((record.id, field, want, value))
    assert differences == []


def test_every_listed_client_bug_still_happens(base_url: str) -> None:
    """A listed bug that a client no longer shows is taken off the list (the field is then
    compared again): the list says what readers get wrong today, nothing more."""
    for client, fmt, field in CLIENT_BUGS:
        read, _ = CLIENTS[client]
        path = f"feeds/all{SUFFIXES[fmt]}"
        shown = read(f"{base_url}/{path}", fmt)
        records = FEEDS["feeds/all"][2]
        if field in feed_expected(path, fmt):
            assert shown[field] != feed_expected(path, fmt)[field], (client, fmt, field)
            continue
        wrong = [
            record.id
            for record, entry in zip(records, shown["entries"], strict=True)
            if entry.get(field) != expected(record, fmt, field)
        ]
        assert wrong, (client, fmt, field, "shows the records right now: drop it from the list")


SIMPLEPIE = Path("/usr/share/php/simplepie/autoloader.php")
SIMPLEPIE_DRIVER = Path(__file__).parent / "readers" / "simplepie_read.php"


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_simplepie_from_debian(base_url: str, fmt: str) -> None:
    """SimplePie (PHP) as Debian ships it. Debian 12's libphp-simplepie is 1.3.1, written for
    PHP 5: on PHP 8 its date parser stops with a fatal TypeError (implode() arguments in the
    old order, then arithmetic on strings) for any dated item, whatever the feed. That is
    checked and reported as a loud skip; once Debian ships a SimplePie that runs, this fails
    and asks for SimplePie to join CLIENTS."""
    php = shutil.which("php")
    if php is None or not SIMPLEPIE.exists():
        pytest.skip("php or SimplePie missing: apt-get install php-cli php-xml libphp-simplepie")
    done = subprocess.run(
        [php, str(SIMPLEPIE_DRIVER), f"{base_url}/feeds/all{SUFFIXES[fmt]}"],
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )
    errors = done.stdout.decode("utf-8", "replace") + done.stderr.decode("utf-8", "replace")
    if done.returncode != 0 and "SimplePie/Parse/Date.php" in errors and "TypeError" in errors:
        pytest.skip(
            "client bug no feed can avoid: Debian's SimplePie crashes on this PHP in its date "
            "parser (SimplePie/Parse/Date.php TypeError) for every dated item"
        )
    assert done.returncode == 0, errors
    pytest.fail(
        f"SimplePie runs on this PHP now: add it to CLIENTS and compare its fields ({errors[:200]})"
    )
