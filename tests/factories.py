"""Test factories: a config, articles, categories and a content function, built from a few
readable arguments. Everything has a sensible default; tests name only what they care about.

`fixture_site()` is the small site behind the golden feed files (tests/golden/): six articles
covering the awkward cases a renderer meets (markup characters and non-ASCII in titles, a
two-level category, authors with and without email, an enclosure, an image, tags, offsets
other than the site zone's, an explicit id, an empty body).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from feeds.body import EntryContent
from feeds.config import CategoryConfig, Config, FeedsConfig, SiteConfig
from feeds.model import Article, Author, BodyFormat, Category, Enclosure, Episode, ImageInfo
from feeds.plan import SitePlan, plan_site
from feeds.showconfig import ShowConfig

SITE_URL = "https://news.example.org/"
NEWSROOM = Author(name="Example Newsroom", email="newsroom@example.org")


def raw_site(**overrides: object) -> dict[str, object]:
    """The `site:` section of a small valid config.yaml, as YAML loads it (for parse_config)."""
    return {
        "title": "Example Tech News",
        "url": SITE_URL,
        "description": "Technology news",
        "language": "en",
        "timezone": "Europe/Berlin",
        **overrides,
    }


def make_config(
    base_dir: Path = Path("/srv/site"),
    *,
    formats: Sequence[str] = ("rss", "atom"),
    max_items: int = 50,
    archive_page_size: int | None = None,
    **site: object,
) -> Config:
    """A valid config for `base_dir`; keyword arguments override `SiteConfig` fields.
    `archive_page_size` turns RFC 5005 archives on."""
    settings: dict[str, object] = {
        "title": "Example Tech News",
        "url": SITE_URL,
        "description": "Technology news from the example newsroom",
        "language": "en",
        "timezone": "Europe/Berlin",
        "author": NEWSROOM,
    }
    settings.update(site)
    return Config(
        site=SiteConfig(**settings),  # type: ignore[arg-type]
        base_dir=base_dir,
        content_dir=base_dir / "content",
        output_dir=base_dir / "public",
        cache_dir=base_dir / ".feeds",
        feeds=FeedsConfig(
            formats=tuple(formats),
            max_items=max_items,
            archive=archive_page_size is not None,
            archive_page_size=archive_page_size or 50,
        ),
    )


def category(path: str, *slugs: str) -> Category:
    """`category("Phones: Accessories")`; slugs default to lower-case ASCII words."""
    names = tuple(name.strip() for name in path.split(":"))
    if not slugs:
        slugs = tuple(re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") for name in names)
    assert len(slugs) == len(names), (path, slugs)
    return Category(slugs=tuple(slugs), names=names)


def make_article(
    slug: str = "first-post",
    *,
    title: str | None = None,
    published: str = "2021-01-08T14:30:00+01:00",
    updated: str | None = None,
    categories: Sequence[Category | str] = ("Phones",),
    body: str = "<p>Body text.</p>",
    body_format: BodyFormat = BodyFormat.HTML,
    **fields: object,
) -> Article:
    """An article with a permalink under SITE_URL; `fields` set any other Article field."""
    link = f"{SITE_URL}articles/{slug}/"
    values: dict[str, object] = {
        "source": f"content/{slug}.md",
        "slug": slug,
        "id": link,
        "link": link,
        "title": title if title is not None else slug.replace("-", " ").capitalize(),
        "published": datetime.fromisoformat(published),
        "updated": datetime.fromisoformat(updated or published),
        "categories": tuple(c if isinstance(c, Category) else category(c) for c in categories),
        "body": body,
        "body_format": body_format,
    }
    values.update(fields)
    return Article(**values)  # type: ignore[arg-type]


def static_content(article: Article) -> EntryContent:
    """A content function that takes the body as finished HTML and the summary as given
    (an empty summary when there is none): render and validate tests need no Markdown."""
    return EntryContent(html=article.body, summary=article.summary or "")


def fixture_articles() -> tuple[Article, ...]:
    """The golden site's articles (in no particular order; the plan sorts them)."""
    accessories = category("Phones: Accessories")
    laptops = category("Laptops")
    return (
        make_article(
            "cases-and-covers",
            title='Cases & covers: the "<best>" picks',
            published="2021-01-08T14:30:00+01:00",
            updated="2021-01-09T09:15:00+01:00",
            categories=[accessories],
            tags=("cases", "buying guide"),
            authors=(Author(name="Ann Example", email="ann@example.org"),),
            body="<p>Six cases, tested.</p>\n"
            '<p><img src="https://news.example.org/img/cases.jpg" alt="Cases"></p>',
            summary="Six cases, tested.",
            image="https://news.example.org/img/cases.jpg",
            # issue 16: media:thumbnail with its size, and media:credit
            image_info=ImageInfo(1200, 675, "Ann Example & <Co>"),
        ),
        make_article(
            "laptop-test",
            title="Läptöp-Test: größer, schneller, leiser",
            published="2021-01-07T09:00:00-05:00",  # New York; shown in Berlin time
            categories=[laptops],
            lang="de",  # issue 16: Atom xml:lang, JSON Feed language, the `de` feed set
            # two authors, one without email (issue 16): every one in every format
            authors=(
                Author(name="Jörg Müller"),
                Author(name="Ann Example", email="ann@example.org"),
            ),
            body="<p>Drei Geräte im Vergleich &amp; ein Fazit.</p>",
            summary="Drei Geräte im Vergleich & ein Fazit.",
        ),
        make_article(
            "podcast-12",
            title="Podcast 12: phones of the year",
            published="2021-01-06T08:00:00+00:00",
            categories=[category("Podcasts")],
            body="<p>Our picks of the year, in 40 minutes.</p>",
            summary="Our picks of the year, in 40 minutes.",
            enclosure=Enclosure(
                url="https://news.example.org/audio/podcast-12.mp3",
                type="audio/mpeg",
                length=38_400_000,
            ),
            episode=Episode(duration=2400, number=12, season=1, explicit=False),
        ),
        make_article(
            "summer-phones",
            title="Summer phones 📱 under 300 €",
            published="2021-07-01T12:00:00+02:00",
            categories=[category("Phones")],
            body='<p>Cheap and <a href="https://news.example.org/articles/cases-and-covers/">'
            "cased</a>.</p>",
            summary="Cheap and cased.",
        ),
        make_article(
            "phone-or-laptop",
            title="Phone or laptop?",
            published="2021-01-05T18:45:00+01:00",
            categories=[category("Phones"), laptops],
            id="urn:uuid:6b1f7f0e-3c1a-4bb3-9d8e-2f6c2f9e4a10",
            authors=(Author(name="Ann Example", email="ann@example.org"),),
            body="<p>It depends.</p>\n<ul>\n<li>Size</li>\n<li>Battery</li>\n</ul>",
            summary="It depends.",
        ),
        make_article(
            "breaking",
            title="Breaking: title only",
            published="2021-01-04T07:00:00+01:00",
            categories=[category("Phones")],
            body="",
        ),
    )


# The fixture site's podcast show (issue 17): the Podcasts category's feeds are a show.
SHOW = ShowConfig(
    image=f"{SITE_URL}media/podcast/show.png",
    author="Example Newsroom",
    owner_name="Example Newsroom",
    owner_email="podcast@example.org",
    categories=("Technology",),
    explicit=False,
)


def fixture_site(
    formats: Sequence[str] = ("rss", "atom", "json"), *, newsroom: bool = False
) -> tuple[Config, SitePlan]:
    """The fixture site's config and plan; `newsroom` (issue 16) adds tag, author and
    per-language feeds, polling hints (`feeds.ttl: 60`) and an image for Phones."""
    config = make_config(
        formats=formats,
        icon=f"{SITE_URL}icon.png",
        logo=f"{SITE_URL}logo.png",
    )
    # issue 16: Laptops is summary-only
    categories = {
        "Podcasts": CategoryConfig(podcast=SHOW),
        "Laptops": CategoryConfig(content="summary"),
    }
    feeds = config.feeds
    if newsroom:
        categories["Phones"] = CategoryConfig(image=f"{SITE_URL}img/phones-feed.png")
        feeds = dataclasses.replace(
            feeds, author_feeds=True, tag_feeds=True, tag_min_articles=1, ttl=60,
            by_language=True,
        )  # fmt: skip
    config = dataclasses.replace(config, categories=categories, feeds=feeds)
    return config, plan_site(fixture_articles(), config)


def replace(article: Article, **changes: object) -> Article:
    return dataclasses.replace(article, **changes)  # type: ignore[arg-type]
