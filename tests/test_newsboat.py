"""A real feed reader subscribes over HTTP and stores what the records say.

A small site is built with the real build and served by `feeds.serve` on a free loopback port;
Debian's `newsboat` (a terminal feed reader) fetches its feeds non-interactively
(`-x reload print-unread`) into its SQLite cache, which is read back here: title, link, id,
publication instant, author, enclosure and content of every entry, as the reader keeps them.
Then the reader polls like a subscriber: an unchanged site is answered 304, a new article is
one new unread item, a retitled article stays one item. Every newsboat run has a fresh HOME,
its own config, cache and error log in a temporary folder, and a time limit.

What newsboat 2.21 does, as observed (and noted at each assertion):
- its cache keys items by guid alone, across subscriptions (one row per id);
- it stores `ETag`/`Last-Modified` only from the second 200 of a feed (newsboat issue #2734,
  fixed upstream in 2024), then sends both `If-None-Match` and `If-Modified-Since`;
- an existing guid's title and content are overwritten on reload, its read flag is kept.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from loopback import serving

from feeds.build import build_site
from feeds.config import load_config
from feeds.serve import make_server

NEWSBOAT = shutil.which("newsboat")
TIMEOUT = 20  # seconds per newsboat run; a run takes well under one on loopback
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)

pytestmark = pytest.mark.skipif(
    NEWSBOAT is None, reason="newsboat not installed: apt-get install newsboat"
)

CONFIG = """\
site:
  title: Fixture News
  url: https://example.org/
  description: A small site for the feed reader test
  language: en
  timezone: Europe/Berlin
  author: {name: Fixture Newsroom, email: newsroom@example.org}
content_dir: content
output_dir: public
feeds:
  formats: [rss, atom]
"""
ARTICLES = {
    "phones/pocket.md": """\
---
title: "Pocket review: small & <mighty>, \\"quoted\\" & 'single'"
date: 2026-11-20T09:00:00+01:00
category: Phones
author: {name: Lena Fischer, email: lena@example.org}
---
A small phone, **reviewed** & measured.
""",
    "phones/kaze.md": """\
---
title: "Hoshizora 風 Kaze X2: Straße, café, naïve"
date: "2026-11-18 14:30"
category: Phones
author: Jonas Berg
---
Earbuds for the commute.
""",
    "science/comet.md": """\
---
title: A comet visits the inner solar system
id: "tag:example.org,2026:comet"
date: 2026-11-24T07:15:00+01:00
category: Science
---
Look east before sunrise.
""",
    "science/podcast.md": """\
---
title: Science podcast 7
date: "Sun, 22 Nov 2026 06:00:00 +0100"
category: Science
enclosure: {url: "https://media.example.org/podcast-7.mp3", type: audio/mpeg, length: 1234567}
---
Episode seven, about comets.
""",
    "science/fusion.md": """\
---
title: Fusion record, explained
date: "2026-09-15 12:00"
category: Science
---
What the new record means.
""",
}


def at(utc: str) -> int:
    """Unix seconds of an instant written by hand in UTC."""
    return int(datetime.fromisoformat(utc).timestamp())


@dataclass(frozen=True)
class Expected:
    """One entry as a reader should show it, written by hand from ARTICLES."""

    guid: str
    title: str
    url: str
    pub_date: int
    body: str  # the body's HTML paragraph, which the stored content must contain
    enclosure: tuple[str, str] | None = None  # (url, type)


POCKET = Expected(
    guid="https://example.org/articles/pocket/",  # no id: the link is the id
    title="Pocket review: small & <mighty>, \"quoted\" & 'single'",
    url="https://example.org/articles/pocket/",
    pub_date=at("2026-11-20T08:00:00Z"),
    body="<p>A small phone, <strong>reviewed</strong> &amp; measured.</p>",
)
KAZE = Expected(
    guid="https://example.org/articles/kaze/",
    title="Hoshizora 風 Kaze X2: Straße, café, naïve",
    url="https://example.org/articles/kaze/",
    pub_date=at("2026-11-18T13:30:00Z"),  # 14:30 Berlin time (CET, +01:00)
    body="<p>Earbuds for the commute.</p>",
)
COMET = Expected(
    guid="tag:example.org,2026:comet",
    title="A comet visits the inner solar system",
    url="https://example.org/articles/comet/",
    pub_date=at("2026-11-24T06:15:00Z"),
    body="<p>Look east before sunrise.</p>",
)
PODCAST = Expected(
    guid="https://example.org/articles/podcast/",
    title="Science podcast 7",
    url="https://example.org/articles/podcast/",
    pub_date=at("2026-11-22T05:00:00Z"),
    body="<p>Episode seven, about comets.</p>",
    enclosure=("https://media.example.org/podcast-7.mp3", "audio/mpeg"),
)
FUSION = Expected(
    guid="https://example.org/articles/fusion/",
    title="Fusion record, explained",
    url="https://example.org/articles/fusion/",
    pub_date=at("2026-09-15T10:00:00Z"),  # 12:00 Berlin summer time (CEST, +02:00)
    body="<p>What the new record means.</p>",
)
EVERYTHING = (POCKET, KAZE, COMET, PODCAST, FUSION)
PHONES = (POCKET, KAZE)
SCIENCE = (COMET, PODCAST, FUSION)

# (feed path, feed title and link newsboat keeps, the entries it must hold)
SUBSCRIPTIONS = [
    ("feeds/all.rss.xml", "Fixture News", "https://example.org/", EVERYTHING),
    ("feeds/all.atom.xml", "Fixture News", "https://example.org/", EVERYTHING),
    (
        "feeds/category/science.rss.xml",
        "Fixture News: Science",
        "https://example.org/feeds/category/science.html",
        SCIENCE,
    ),
    (
        "feeds/category/phones.atom.xml",
        "Fixture News: Phones",
        "https://example.org/feeds/category/phones.html",
        PHONES,
    ),
]
FEED_PATHS = [path for path, *_ in SUBSCRIPTIONS]

# The author newsboat shows for each entry. RSS `<author>` is `email (name)` (RSS 2.0), of
# which newsboat shows the name; a name alone is `dc:creator`. Articles without an author are
# the site's: render writes it once per feed (RSS `managingEditor`, Atom feed `author`, which
# RFC 4287 §4.2.1 makes every entry's without one).
AUTHORS = {
    "rss": {
        POCKET.guid: "Lena Fischer",
        KAZE.guid: "Jonas Berg",
        # newsboat shows `managingEditor` (as written) for an item without an author.
        COMET.guid: "newsroom@example.org (Fixture Newsroom)",
        PODCAST.guid: "newsroom@example.org (Fixture Newsroom)",
        FUSION.guid: "newsroom@example.org (Fixture Newsroom)",
    },
    "atom": {
        POCKET.guid: "Lena Fischer",
        KAZE.guid: "Jonas Berg",
        COMET.guid: "Fixture Newsroom",
        PODCAST.guid: "Fixture Newsroom",
        FUSION.guid: "Fixture Newsroom",
    },
}


# -- the site and its server -------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """One request as the server answered it."""

    path: str
    status: int
    if_none_match: str | None
    if_modified_since: str | None


@dataclass
class Site:
    """A built site served on loopback; `requests` records every answer the server sent."""

    root: Path
    base_url: str
    requests: list[Request] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path}"

    def write(self, relative: str, text: str) -> None:
        path = self.root / "content" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def build(self) -> None:
        report = build_site(load_config(self.root / "config.yaml"), now=NOW)
        assert report.problems == () and report.findings == (), report

    def taken(self) -> list[Request]:
        """The requests recorded since the last call, oldest first."""
        requests, self.requests[:] = list(self.requests), []
        return requests


def record_requests(server: ThreadingHTTPServer, log: list[Request]) -> None:
    """Make `server` append each request's status and validators to `log`."""
    handler = server.RequestHandlerClass

    class Recording(handler):  # type: ignore[misc,valid-type]
        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            log.append(
                Request(
                    path=self.path,
                    status=int(code),
                    if_none_match=self.headers.get("If-None-Match"),
                    if_modified_since=self.headers.get("If-Modified-Since"),
                )
            )

    server.RequestHandlerClass = Recording


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    """The fixture site, built by the real build in a fresh folder and served in a thread."""
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "config.yaml").write_text(CONFIG, encoding="utf-8")
    built = Site(root=root, base_url="")
    for relative, text in ARTICLES.items():
        built.write(relative, text)
    built.build()
    server = make_server(root / "public", host="127.0.0.1", port=0, quiet=True)
    record_requests(server, built.requests)
    with serving(server) as built.base_url:
        yield built


# -- the reader --------------------------------------------------------------------------


@dataclass
class Reader:
    """One newsboat installation: its own HOME, config, subscriptions, cache and error log."""

    folder: Path

    @property
    def cache(self) -> Path:
        return self.folder / "cache.db"

    @property
    def error_log(self) -> Path:
        return self.folder / "error.log"

    def subscribe(self, *urls: str) -> None:
        (self.folder / "home").mkdir(parents=True, exist_ok=True)
        (self.folder / "urls").write_text("".join(f"{url}\n" for url in urls), encoding="utf-8")
        (self.folder / "config").write_text(
            f'error-log "{self.error_log}"\ndownload-timeout 10\ndownload-retries 1\n',
            encoding="utf-8",
        )

    def reload(self) -> int:
        """Fetch every subscription once; the unread count newsboat prints afterwards."""
        assert NEWSBOAT is not None
        home = self.folder / "home"
        command = [
            NEWSBOAT,
            "--url-file",
            str(self.folder / "urls"),
            "--cache-file",
            str(self.cache),
            "--config-file",
            str(self.folder / "config"),
            "--execute",
            "reload",
            "print-unread",
        ]
        environment = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(home),  # nothing outside the temporary folder is read or written
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local/share"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "TERM": "dumb",
            "LC_ALL": "C.UTF-8",
        }
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                stdin=subprocess.DEVNULL,
                env=environment,
                timeout=TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"newsboat did not finish within {TIMEOUT} s: {' '.join(command)}")
        stdout = done.stdout.decode("utf-8", "replace")
        stderr = done.stderr.decode("utf-8", "replace")
        assert done.returncode == 0, (done.returncode, stdout, stderr)
        # newsboat exits 0 when a download fails; its error log says so.
        errors = self.error_log.read_text("utf-8") if self.error_log.exists() else ""
        assert errors == "", errors
        match = re.fullmatch(r"(\d+) unread articles\n", stdout)
        assert match is not None, (stdout, stderr)
        return int(match.group(1))

    def query(self, sql: str) -> list[dict[str, object]]:
        with closing(sqlite3.connect(f"file:{self.cache}?mode=ro", uri=True)) as database:
            database.row_factory = sqlite3.Row
            return [dict(row) for row in database.execute(sql)]

    def items(self) -> list[dict[str, object]]:
        """Every stored item (newsboat 2.21's `rss_item` columns), oldest row first."""
        return self.query(
            "SELECT id, guid, title, author, url, feedurl, pubDate, content, unread,"
            " enclosure_url, enclosure_type, deleted FROM rss_item ORDER BY id"
        )

    def by_guid(self) -> dict[str, dict[str, object]]:
        items = self.items()
        guids = [item["guid"] for item in items]
        assert len(guids) == len(set(guids)), f"duplicate items: {guids}"
        return {str(item["guid"]): item for item in items}

    def mark_all_read(self) -> None:
        """What a user who has read everything leaves in the cache."""
        with closing(sqlite3.connect(self.cache)) as database, database:
            database.execute("UPDATE rss_item SET unread = 0")


@pytest.fixture
def reader(tmp_path: Path) -> Callable[..., Reader]:
    count = 0

    def make(*urls: str) -> Reader:
        nonlocal count
        count += 1
        created = Reader(tmp_path / f"reader-{count}")
        created.subscribe(*urls)
        return created

    return make


def shown(expected: Expected) -> dict[str, object]:
    """The columns newsboat keeps for an entry, as `expected` says they must read."""
    url, media_type = expected.enclosure or ("", "")
    return {
        "title": expected.title,
        "url": expected.url,
        "pubDate": expected.pub_date,
        "enclosure_url": url,
        "enclosure_type": media_type,
    }


def stored(item: dict[str, object]) -> dict[str, object]:
    return {
        "title": item["title"],
        "url": item["url"],
        "pubDate": item["pubDate"],
        "enclosure_url": item["enclosure_url"] or "",  # NULL when the entry has none
        "enclosure_type": item["enclosure_type"] or "",
    }


# -- what the reader stores --------------------------------------------------------------


@pytest.mark.parametrize(("path", "title", "link", "entries"), SUBSCRIPTIONS)
def test_reader_stores_every_entry_as_the_records_say(
    site: Site,
    reader: Callable[..., Reader],
    path: str,
    title: str,
    link: str,
    entries: tuple[Expected, ...],
) -> None:
    subscriber = reader(site.url(path))
    assert subscriber.reload() == len(entries)

    assert subscriber.query("SELECT rssurl, url, title FROM rss_feed") == [
        {"rssurl": site.url(path), "url": link, "title": title}
    ]
    items = subscriber.by_guid()
    assert sorted(items) == sorted(entry.guid for entry in entries)
    for entry in entries:
        item = items[entry.guid]
        assert stored(item) == shown(entry), entry.guid
        assert entry.body in str(item["content"]), (entry.guid, item["content"])
        assert (item["feedurl"], item["unread"], item["deleted"]) == (site.url(path), 1, 0)


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_reader_shows_every_entrys_author(
    site: Site, reader: Callable[..., Reader], fmt: str
) -> None:
    subscriber = reader(site.url(f"feeds/all.{fmt}.xml"))
    subscriber.reload()
    authors = {guid: item["author"] for guid, item in subscriber.by_guid().items()}
    assert authors == AUTHORS[fmt]


def test_every_feed_of_the_site_in_one_reader_gives_each_article_once(
    site: Site, reader: Callable[..., Reader]
) -> None:
    # newsboat keys items on the guid alone: an article's id is the same in every feed and
    # format, so a subscriber to all four feeds sees five articles, not eleven.
    subscriber = reader(*(site.url(path) for path in FEED_PATHS))
    assert subscriber.reload() == 5
    assert sorted(subscriber.by_guid()) == sorted(entry.guid for entry in EVERYTHING)


# -- polling -----------------------------------------------------------------------------


def test_polling_an_unchanged_site_is_answered_304(
    site: Site, reader: Callable[..., Reader]
) -> None:
    subscriber = reader(*(site.url(path) for path in FEED_PATHS))
    subscriber.reload()
    first = site.taken()
    assert [(r.path, r.status) for r in first] == [(f"/{path}", 200) for path in FEED_PATHS]
    assert all(r.if_none_match is None and r.if_modified_since is None for r in first)
    before = subscriber.items()

    # newsboat 2.21 keeps the validators only from its second download of a feed (issue
    # #2734), so two more polls: every conditional request must be a 304, and the last poll
    # must be conditional throughout.
    subscriber.reload()
    subscriber.reload()
    later = site.taken()
    assert len(later) == 2 * len(FEED_PATHS)
    for request in later:
        conditional = request.if_none_match is not None or request.if_modified_since is not None
        assert request.status == (304 if conditional else 200), request
    last = later[-len(FEED_PATHS) :]
    assert [(r.path, r.status) for r in last] == [(f"/{path}", 304) for path in FEED_PATHS]
    # newsboat sends both validators; the ETag it learned is the weak one of the gzip body.
    assert all(r.if_none_match and r.if_none_match.startswith('W/"') for r in last), last
    assert all(r.if_modified_since and r.if_modified_since.endswith(" GMT") for r in last)
    assert subscriber.items() == before


def test_a_new_article_is_one_new_unread_item(site: Site, reader: Callable[..., Reader]) -> None:
    all_rss, science = site.url("feeds/all.rss.xml"), site.url("feeds/category/science.rss.xml")
    subscriber = reader(all_rss, science)
    subscriber.reload()
    subscriber.reload()  # newsboat 2.21 keeps validators from the second download (#2734)
    subscriber.mark_all_read()
    before = {guid: item["id"] for guid, item in subscriber.by_guid().items()}
    site.taken()

    site.write(
        "phones/fold.md",
        "---\ntitle: Fold & flip, 2027 edition\ndate: 2026-11-25T08:00:00+01:00\n"
        "category: Phones\n---\nThe hinge, again.\n",
    )
    site.build()
    assert subscriber.reload() == 1

    # The site feed changed (200, new bytes); the Science feed did not (304).
    assert [(r.path, r.status) for r in site.taken()] == [
        ("/feeds/all.rss.xml", 200),
        ("/feeds/category/science.rss.xml", 304),
    ]
    items = subscriber.by_guid()
    assert {guid: items[guid]["id"] for guid in before} == before  # the same rows, not copies
    fold = items.pop("https://example.org/articles/fold/")
    assert stored(fold) == {
        "title": "Fold & flip, 2027 edition",
        "url": "https://example.org/articles/fold/",
        "pubDate": at("2026-11-25T07:00:00Z"),
        "enclosure_url": "",
        "enclosure_type": "",
    }
    assert "<p>The hinge, again.</p>" in str(fold["content"])
    assert fold["unread"] == 1
    assert all(item["unread"] == 0 for item in items.values())


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_a_retitled_article_stays_one_item(
    site: Site, reader: Callable[..., Reader], fmt: str
) -> None:
    subscriber = reader(site.url(f"feeds/all.{fmt}.xml"))
    subscriber.reload()
    subscriber.reload()  # newsboat 2.21 keeps validators from the second download (#2734)
    subscriber.mark_all_read()
    before = {guid: item["id"] for guid, item in subscriber.by_guid().items()}
    site.taken()

    site.write(
        "science/comet.md",
        ARTICLES["science/comet.md"].replace(
            "title: A comet visits the inner solar system",
            "title: A comet, brighter than forecast, visits the inner solar system",
        ),
    )
    site.build()
    # Observed in newsboat 2.21, consistently: the stored title is replaced and the item
    # stays read; its documented `reset-unread-on-update` (empty by default) is what would
    # mark an updated item unread again.
    assert subscriber.reload() == 0
    assert [(r.path, r.status) for r in site.taken()] == [(f"/feeds/all.{fmt}.xml", 200)]
    items = subscriber.by_guid()
    assert {guid: item["id"] for guid, item in items.items()} == before
    assert items[COMET.guid]["title"] == (
        "A comet, brighter than forecast, visits the inner solar system"
    )
    assert items[COMET.guid]["pubDate"] == COMET.pub_date
