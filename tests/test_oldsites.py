"""Sites moved from Hugo, Jekyll and Pelican (issue 18): the fixture sites in tests/oldsites,
written here the way each generator's users write them, built with `ids:` and read back by
feedparser, which must find the ids and links the old generator's feed published.

The expected ids are worked out by hand from each generator's rules (see feeds/oldids.py):
Hugo's RSS guid is the permalink; jekyll-feed's id is `post.id | absolute_url` (the URL's
folder + the slug); Pelican's is feedgenerator's `get_tag_uri(link, date)`.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest
import yaml
from sites import NOW

from feeds.build import build_site
from feeds.config import ConfigError, load_config, parse_config
from feeds.model import Level, Problem
from feeds.request import BuildReport

FIXTURES = Path(__file__).parent / "oldsites"


def make(tmp_path: Path, name: str, settings: dict[str, Any]) -> Path:
    root = tmp_path / name
    shutil.copytree(FIXTURES / name, root)
    base: dict[str, Any] = {
        "site": {
            "title": f"A {name} site",
            "description": "Moved to feeds",
            "language": "en",
            "timezone": "Europe/Berlin",
        },
        "output_dir": "public",
    }
    base.update({key: value for key, value in settings.items() if key != "site"})
    base["site"].update(settings.get("site", {}))
    (root / "config.yaml").write_text(yaml.safe_dump(base), encoding="utf-8")
    return root


def build(root: Path, now: datetime = NOW) -> BuildReport:
    return build_site(load_config(root / "config.yaml"), now=now)


def entries(root: Path, feed: str) -> dict[str, dict[str, Any]]:
    parsed = feedparser.parse((root / "public" / "feeds" / feed).read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    return {entry.id: entry for entry in parsed.entries}


def links(root: Path, feed: str) -> dict[str, str]:
    return {entry_id: entry.link for entry_id, entry in entries(root, feed).items()}


# --- Hugo -------------------------------------------------------------------------------

HUGO = "https://hugo.example.org/"
HUGO_IDS = {
    HUGO + "posts/first-post/": HUGO + "posts/first-post/",
    HUGO + "posts/custom-slug/": HUGO + "posts/custom-slug/",
    HUGO + "posts/bundle-post/": HUGO + "posts/bundle-post/",
    HUGO + "about-us/": HUGO + "about-us/",
    HUGO + "blog/2026/nested/": HUGO + "blog/2026/nested/",
}


def test_hugo_site_keeps_its_permalinks_as_ids(tmp_path: Path) -> None:
    root = make(tmp_path, "hugo", {"site": {"url": HUGO}, "ids": {"generator": "hugo"}})
    report = build(root)
    assert report.errors == ()
    assert [p for p in report.warnings if p.level is Level.WARNING] == []
    assert report.drafts == 1  # posts/draft-post.md; posts/_index.md is a list page
    assert [a.source for a in report.scheduled] == ["content/posts/embargoed.md"]
    assert links(root, "all.rss.xml") == HUGO_IDS
    assert links(root, "all.atom.xml") == HUGO_IDS
    # RSS: Hugo's guid is the permalink, so isPermaLink stays true
    rss = (root / "public" / "feeds" / "all.rss.xml").read_text()
    assert f'<guid isPermaLink="true">{HUGO}posts/custom-slug/</guid>' in rss
    atom = entries(root, "all.atom.xml")
    first = atom[HUGO + "posts/first-post/"]
    assert first.title == "First Post on the New Server"
    assert first.published == "2026-01-05T08:30:00Z"
    assert first.updated == "2026-01-06T07:00:00Z"  # lastmod
    assert first.summary == "We moved the site to a new server."  # description
    assert sorted(t.term for t in first.tags) == ["News", "hugo", "launch"]
    bundle = atom[HUGO + "posts/bundle-post/"]
    assert bundle.published == "2026-02-02T06:00:00Z"  # publishDate, when Hugo published it
    assert bundle.updated == "2026-02-03T11:00:00Z"
    second = atom[HUGO + "posts/custom-slug/"]
    assert second.author == "Ada Example"
    assert sorted(t.term for t in second.tags) == ["News", "Releases", "releases"]
    assert atom[HUGO + "blog/2026/nested/"].published == "2026-03-02T23:00:00Z"  # local date


def test_hugo_section_permalinks(tmp_path: Path) -> None:
    """`ids.permalink` as Hugo's [permalinks]: one pattern per section."""
    settings = {
        "site": {"url": HUGO},
        "ids": {"generator": "hugo", "permalink": {"posts": "/:year/:month/:slug/"}},
    }
    root = make(tmp_path, "hugo", settings)
    build(root)
    assert set(links(root, "all.rss.xml")) == {
        HUGO + "2026/01/first-post-on-the-new-server/",  # :slug without slug: the title
        HUGO + "2026/01/custom-slug/",
        HUGO + "2026/02/a-page-bundle/",
        HUGO + "about-us/",  # `url` wins
        HUGO + "blog/2026/nested/",  # another section: the default
    }


def test_an_embargoed_hugo_page_comes_out_at_its_publish_date(tmp_path: Path) -> None:
    root = make(tmp_path, "hugo", {"site": {"url": HUGO}, "ids": {"generator": "hugo"}})
    build(root, now=datetime(2026, 12, 15, 8, 0, tzinfo=UTC))
    assert HUGO + "posts/embargoed/" in links(root, "all.rss.xml")


def test_toml_front_matter_without_ids_uses_our_links(tmp_path: Path) -> None:
    root = make(tmp_path, "hugo", {"site": {"url": HUGO}})
    report = build(root)
    assert report.errors == ()
    assert set(links(root, "all.rss.xml")) == {
        HUGO + "articles/first-post/",
        HUGO + "articles/custom-slug/",
        HUGO + "articles/index/",
        HUGO + "articles/about/",
        HUGO + "articles/nested/",
    }


@pytest.mark.parametrize(
    ("front", "value", "message"),
    [
        (
            'title = "Unterminated\ndate = 2026-01-02\n',
            'title = "Unterminated',
            "is not valid TOML (line 2, key 'title': Illegal character '\\n'); fix the front "
            "matter between the +++ lines (text in double quotes, dates like "
            "2026-01-02T10:18:00+01:00, each key once)",
        ),
        (
            'title = "One"\ndate = 2026-01-02\ntitle = "Two"\n',
            'title = "Two"',
            "is not valid TOML (line 4, key 'title': Cannot overwrite a value: the key is "
            "given twice); fix the front matter between the +++ lines (text in double quotes, "
            "dates like 2026-01-02T10:18:00+01:00, each key once)",
        ),
        (
            'title = "Bad date"\ndate = 2026-13-02\n',
            "date = 2026-13-02",
            "is not valid TOML (line 3, key 'date': Expected newline or end of document after "
            "a statement); fix the front matter between the +++ lines (text in double quotes, "
            "dates like 2026-01-02T10:18:00+01:00, each key once)",
        ),
    ],
)
def test_toml_that_does_not_parse(tmp_path: Path, front: str, value: str, message: str) -> None:
    root = make(tmp_path, "hugo", {"site": {"url": HUGO}, "ids": {"generator": "hugo"}})
    (root / "content" / "posts" / "broken.md").write_text(f"+++\n{front}+++\nBody.\n")
    report = build(root)
    assert report.errors == (Problem("content/posts/broken.md", "front matter", value, message),)
    assert len(links(root, "all.rss.xml")) == 5  # the rest of the site still builds


def test_a_published_hugo_page_whose_toml_breaks_stays_published(tmp_path: Path) -> None:
    root = make(tmp_path, "hugo", {"site": {"url": HUGO}, "ids": {"generator": "hugo"}})
    build(root)
    page = root / "content" / "posts" / "second.md"
    page.write_text(page.read_text().replace('Slug = "custom-slug"', "Slug = custom-slug"))
    report = build(root)
    assert [(p.source, p.field) for p in report.errors] == [
        ("content/posts/second.md", "front matter")
    ]
    assert report.kept == ("content/posts/second.md",)
    assert links(root, "all.rss.xml") == HUGO_IDS


# --- Jekyll -----------------------------------------------------------------------------

JEKYLL = "https://jekyll.example.org/"
JEKYLL_IDS = {
    JEKYLL + "jekyll/update/2026/01/02/welcome-to-jekyll": (
        JEKYLL + "jekyll/update/2026/01/02/welcome-to-jekyll.html"
    ),
    JEKYLL + "2026/02/10/no-title": JEKYLL + "2026/02/10/no-title.html",
    JEKYLL + "about/moved-page": JEKYLL + "about/launch/",  # Document#id: dirname + slug
    JEKYLL + "2026/03/16/late-night": JEKYLL + "2026/03/16/late-night.html",  # site zone
}


def jekyll_site(tmp_path: Path, **ids: str) -> Path:
    settings = {
        "site": {"url": JEKYLL},
        "content_dir": "_posts",
        "ids": {"generator": "jekyll", **ids},
    }
    return make(tmp_path, "jekyll", settings)


def test_jekyll_site_keeps_jekyll_feed_ids(tmp_path: Path) -> None:
    root = jekyll_site(tmp_path)
    report = build(root)
    assert report.errors == ()
    assert report.drafts == 1  # published: false
    assert links(root, "all.atom.xml") == JEKYLL_IDS
    assert links(root, "all.rss.xml") == JEKYLL_IDS
    atom = entries(root, "all.atom.xml")
    untitled = atom[JEKYLL + "2026/02/10/no-title"]
    assert untitled.title == "No Title"  # Jekyll titles it after the file name
    assert untitled.published == "2026-02-09T23:00:00Z"  # the file name's day, site zone
    assert sorted(t.term for t in untitled.tags) == ["notes", "short"]  # space-separated
    welcome = atom[JEKYLL + "jekyll/update/2026/01/02/welcome-to-jekyll"]
    assert sorted(t.term for t in welcome.tags) == ["jekyll", "update"]
    late = atom[JEKYLL + "2026/03/16/late-night"]
    assert late.published == "2026-03-16T04:30:00Z"
    assert late.updated == "2026-03-17T09:00:00Z"  # last_modified_at
    assert late.summary == "A post whose date is another day in the site's zone."
    assert late.author == "Grace Example"


def test_jekyll_permalink_styles(tmp_path: Path) -> None:
    root = jekyll_site(tmp_path, permalink="pretty")
    build(root)
    assert set(links(root, "all.rss.xml").values()) == {
        JEKYLL + "jekyll/update/2026/01/02/welcome-to-jekyll/",
        JEKYLL + "2026/02/10/no-title/",
        JEKYLL + "about/launch/",
        JEKYLL + "2026/03/16/late-night/",
    }
    # the id is the same for `date` and `pretty`: the URL's folder and the slug
    assert set(links(root, "all.rss.xml")) == set(JEKYLL_IDS)


def test_a_jekyll_post_without_a_dated_name_is_refused(tmp_path: Path) -> None:
    root = jekyll_site(tmp_path)
    (root / "_posts" / "notes.md").write_text("---\ntitle: Notes\ndate: 2026-01-01\n---\nX\n")
    report = build(root)
    assert report.errors == (
        Problem(
            "_posts/notes.md",
            "file",
            "notes",
            "is not named like a Jekyll post (YYYY-MM-DD-title.md), so Jekyll never published "
            "it: rename it, or leave it out with content.exclude",
        ),
    )


# --- Pelican ----------------------------------------------------------------------------

PELICAN = "https://pelican.example.org/blog/"
PELICAN_IDS = {
    "tag:pelican.example.org,2026-01-04:/blog/first-steps-with-pelican.html/": (
        PELICAN + "first-steps-with-pelican.html"
    ),
    "tag:pelican.example.org,2026-02-01:/blog/a-dated-note.html/": PELICAN + "a-dated-note.html",
    "tag:pelican.example.org,2026-03-05:/blog/my-explicit-slug.html/": (
        PELICAN + "my-explicit-slug.html"
    ),
}


def pelican_site(tmp_path: Path, **ids: str) -> Path:
    settings = {
        "site": {"url": PELICAN},
        "content": {"exclude": ["pages", "_*", "README*"]},
        "ids": {"generator": "pelican", **ids},
    }
    return make(tmp_path, "pelican", settings)


def test_pelican_site_keeps_its_tag_uris(tmp_path: Path) -> None:
    root = pelican_site(tmp_path)
    report = build(root)
    assert report.errors == ()
    assert report.drafts == 1  # Status: draft
    assert links(root, "all.atom.xml") == PELICAN_IDS
    assert links(root, "all.rss.xml") == PELICAN_IDS
    atom = entries(root, "all.atom.xml")
    first = atom["tag:pelican.example.org,2026-01-04:/blog/first-steps-with-pelican.html/"]
    assert first.title == "First Steps With Pelican"
    assert first.published == "2026-01-04T09:20:00Z"
    assert first.summary == "How the site started."
    assert sorted(t.term for t in first.tags) == ["pelican", "python", "python"]  # folder
    assert "<pre><code>an indented code block" in first.content[0].value
    explicit = atom["tag:pelican.example.org,2026-03-05:/blog/my-explicit-slug.html/"]
    assert explicit.author == "Ada Lovelace, Grace Hopper"
    assert explicit.updated == "2026-03-06T08:15:00Z"  # Modified
    assert explicit.summary == "Every key written out, over two lines."
    assert [t.term for t in explicit.tags] == ["Releases"]
    note = atom["tag:pelican.example.org,2026-02-01:/blog/a-dated-note.html/"]
    assert note.published == "2026-01-31T23:00:00Z"  # the file name's date, site zone
    assert sorted(t.term for t in note.tags) == ["misc", "notes"]  # DEFAULT_CATEGORY
    # a category feed per Pelican category, as Pelican had
    assert (root / "public" / "feeds" / "category" / "python.atom.xml").exists()


def test_pelican_article_url_setting(tmp_path: Path) -> None:
    """ARTICLE_URL = '{category}/{date:%Y}/{slug}/': get_tag_uri appends "/" + fragment to
    the path, so a path ending in "/" gives "//" in Pelican's ids, and so here."""
    root = pelican_site(tmp_path, permalink="{category}/{date:%Y}/{slug}/")
    build(root)
    assert links(root, "all.rss.xml") == {
        "tag:pelican.example.org,2026-01-04:/blog/python/2026/first-steps-with-pelican//": (
            PELICAN + "python/2026/first-steps-with-pelican/"
        ),
        "tag:pelican.example.org,2026-02-01:/blog/misc/2026/a-dated-note//": (
            PELICAN + "misc/2026/a-dated-note/"
        ),
        "tag:pelican.example.org,2026-03-05:/blog/releases/2026/my-explicit-slug//": (
            PELICAN + "releases/2026/my-explicit-slug/"
        ),
    }


def test_pelican_headers_without_ids(tmp_path: Path) -> None:
    """Pelican's keys are read (Modified, Status, Authors) with feeds' own links and slugs;
    Pelican's file-name dates and folder categories come with `ids: {generator: pelican}`."""
    root = make(tmp_path, "pelican", {"site": {"url": PELICAN}, "content": {"exclude": ["pages"]}})
    report = build(root)
    assert [(p.source, p.field) for p in report.errors] == [
        ("content/2026-02-01-dated-note.md", "date")
    ]
    assert report.drafts == 1
    assert set(links(root, "all.rss.xml")) == {
        PELICAN + "articles/first-steps/",  # the file name
        PELICAN + "articles/my-explicit-slug/",  # Slug:
    }
    explicit = entries(root, "all.atom.xml")[PELICAN + "articles/my-explicit-slug/"]
    assert explicit.updated == "2026-03-06T08:15:00Z"
    assert explicit.author == "Ada Lovelace, Grace Hopper"


def test_a_key_given_twice_in_a_pelican_header(tmp_path: Path) -> None:
    root = pelican_site(tmp_path)
    (root / "content" / "twice.md").write_text("Title: One\nDate: 2026-01-01\ntitle: Two\n\nX\n")
    report = build(root)
    assert report.errors == (
        Problem(
            "content/twice.md", "front matter", "title", "is given twice; keep one line of each key"
        ),
    )


# --- config -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        (
            {"generator": "wordpress"},
            "ids.generator 'wordpress': is not a known generator; use one of hugo, jekyll, pelican",
        ),
        ({"permalink": "/:year/"}, "ids.generator: is missing; use one of hugo, jekyll, pelican"),
        (
            {"generator": "jekyll", "permalink": "/:year/:week/:title/"},
            "ids.permalink '/:year/:week/:title/': has the unknown jekyll token ':week'; the "
            "known ones are :year, :month, :day, :i_month, :i_day, :short_year, :y_day, "
            ":title, :slug, :categories, :output_ext",
        ),
        (
            {"generator": "pelican", "permalink": "{date:%B}/{slug}.html"},
            "ids.permalink '{date:%B}/{slug}.html': has the unknown pelican token "
            "'{date:%B}'; the known ones are {slug}, {category}, {lang}, {date:%Y}, "
            "{date:%m}, {date:%d}",
        ),
        (
            {"generator": "hugo", "since": 2020},
            "ids.since: unknown key; known keys: generator, permalink",
        ),
    ],
)
def test_bad_ids_settings(ids: dict[str, object], message: str) -> None:
    site = {"title": "T", "url": "https://example.org/", "description": "D", "language": "en"}
    site["timezone"] = "UTC"
    data = {"site": site, "ids": ids}
    with pytest.raises(ConfigError) as caught:
        parse_config(data, Path("/site"))
    assert str(caught.value) == message


def test_an_expired_hugo_page_leaves_the_feeds_at_its_expiry_date(tmp_path: Path) -> None:
    """expiryDate (our `expires`): in the feeds before it, out from it on, also when nothing
    else changed between the builds (the no-change build knows when the set changes)."""
    root = make(tmp_path, "hugo", {"site": {"url": HUGO}, "ids": {"generator": "hugo"}})
    expired = HUGO + "posts/expired/"
    build(root, now=datetime(2026, 5, 31, 21, 59, tzinfo=UTC))
    assert expired in links(root, "all.rss.xml")
    report = build(root, now=datetime(2026, 5, 31, 22, 0, tzinfo=UTC))  # 00:00 +02:00
    assert expired not in links(root, "all.rss.xml")
    assert report.removed == ("content/posts/expired.md: A Sale That Ended",)
    build(root, now=datetime(2026, 5, 31, 21, 0, tzinfo=UTC))  # a build as of before it
    assert expired in links(root, "all.rss.xml")
