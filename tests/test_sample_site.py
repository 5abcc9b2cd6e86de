"""The sample site as a reader meets it: built with the real command, read back with feedparser.

Expected values here are written by hand from the files in content/, not computed by feeds.
"""

from __future__ import annotations

import calendar
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest
from samplesite import build_sample

ARTICLES = "https://news.example.org/articles/"


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample(tmp_path_factory.mktemp("sample"))


def read(public: Path, path: str) -> Any:
    parsed = feedparser.parse((public / path).read_bytes())
    assert parsed.bozo is False, (path, parsed.get("bozo_exception"))
    return parsed


def entry(public: Path, path: str, link: str) -> Any:
    found = [e for e in read(public, path).entries if e.link == link]
    assert len(found) == 1, f"{link} should be in {path} once"
    return found[0]


def instant(struct: Any) -> datetime:
    return datetime.fromtimestamp(calendar.timegm(struct), UTC)


def test_every_feed_parses_without_bozo(public: Path) -> None:
    files = sorted((public / "feeds").rglob("*.xml"))
    # RSS and Atom of: the whole site (site + 18 categories + 14 tags on 2 or more articles
    # + 7 authors), the German set (site, Mobility, Lena Fischer) and the English set (site +
    # 18 categories + 13 tags: e-bikes is left with one English article + 7 authors)
    assert len(files) == 2 * (40 + 3 + 39)
    for path in files:
        read(public, str(path.relative_to(public)))


# (slug, feeds it must be in, the instant in UTC as written in the file)
PLACEMENTS = [
    # "Friday, Jul 15, 2022, 13:20  Phones :  Reviews" (Berlin summer time, odd spacing)
    (
        "vela-fold-six-months",
        ["all", "category/phones", "category/phones/reviews"],
        datetime(2022, 7, 15, 11, 20, tzinfo=UTC),
    ),
    # 02:30 on 28 March 2021 does not exist in Berlin: moved past the jump to 03:30 CEST
    (
        "daylight-saving-scheduler-bugs",
        ["all", "category/software"],
        datetime(2021, 3, 28, 1, 30, tzinfo=UTC),
    ),
    # 02:30 on 31 October 2021 happens twice in Berlin: the first one, CEST
    (
        "clocks-fall-back-debate",
        ["all", "category/science"],
        datetime(2021, 10, 31, 0, 30, tzinfo=UTC),
    ),
    # filed under the alias "Smartphones", which config.yaml merges into Phones
    (
        "repairability-scores-battery-swaps",
        ["all", "category/phones"],
        datetime(2025, 2, 3, 9, 0, tzinfo=UTC),
    ),
    # two categories, one of them two levels deep
    (
        "flint-16-work-and-play",
        ["all", "category/computing", "category/computing/laptops", "category/gaming"],
        datetime(2023, 3, 2, 11, 0, tzinfo=UTC),
    ),
    # a JSONL record with an RFC 822 date in GMT
    (
        "display-driver-lead-times",
        ["all", "category/computing", "category/computing/chips"],
        datetime(2021, 3, 23, 10, 18, tzinfo=UTC),
    ),
    # a JSONL record at -04:00
    (
        "launch-week-three-rockets",
        ["all", "category/science", "category/science/space"],
        datetime(2022, 9, 13, 20, 0, tzinfo=UTC),
    ),
]


@pytest.mark.parametrize(("slug", "feeds", "moment"), PLACEMENTS, ids=[p[0] for p in PLACEMENTS])
@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_articles_are_in_every_feed_on_their_path_at_the_right_instant(
    public: Path, slug: str, feeds: list[str], moment: datetime, fmt: str
) -> None:
    for feed in feeds:
        found = entry(public, f"feeds/{feed}.{fmt}.xml", ARTICLES + slug + "/")
        assert instant(found.published_parsed) == moment


def test_articles_are_not_in_feeds_off_their_path(public: Path) -> None:
    links = {e.link for e in read(public, "feeds/category/gaming.atom.xml").entries}
    assert ARTICLES + "vela-fold-six-months/" not in links
    assert ARTICLES + "flint-16-work-and-play/" in links


def test_drafts_and_scheduled_articles_are_not_published(public: Path) -> None:
    links = {e.link for e in read(public, "feeds/all.atom.xml").entries}
    assert ARTICLES + "november-patch-roundup/" not in links  # draft: true
    assert ARTICLES + "time-capsule-2031/" not in links  # dated 2031


def test_markup_characters_in_titles_reach_readers_as_text(public: Path) -> None:
    titles = {e.title for e in read(public, "feeds/all.rss.xml").entries}
    assert 'Why "fast" <em> isn\'t markup' in titles
    assert "🚀 Launch Week: Three Rockets, Two Delays and One Record" in titles


def test_same_article_same_id_everywhere(public: Path) -> None:
    link = ARTICLES + "flint-16-work-and-play/"
    ids = {
        entry(public, f"feeds/{feed}.{fmt}.xml", link).id
        for feed in ("all", "category/computing/laptops", "category/gaming")
        for fmt in ("rss", "atom")
    }
    assert ids == {link}


def test_two_authors_one_without_email_reach_readers_in_byline_order(public: Path) -> None:
    # content/security/passkeys-one-year-on.md: `authors: [Priya Raman, {Lena Fischer, email}]`
    link = ARTICLES + "passkeys-one-year-on/"
    lena = {"name": "Lena Fischer", "email": "lena.fischer@example.org"}
    for feed in ("all", "category/security"):
        atom = entry(public, f"feeds/{feed}.atom.xml", link)
        assert atom.authors == [{"name": "Priya Raman"}, lena]
        rss = entry(public, f"feeds/{feed}.rss.xml", link)
        # RSS: <author> once (the one with an email), then dc:creator for each author
        assert rss.authors == [lena, {"name": "Priya Raman"}, {"name": "Lena Fischer"}]


def test_feed_false_and_excluded_categories_are_in_no_feed(public: Path) -> None:
    # content/corrections/ (`feed: false`) and content/sponsored/ (feeds.exclude_categories)
    for path in sorted((public / "feeds").rglob("*.xml")):
        data = path.read_bytes()
        assert b"corrections-october-2026" not in data, path
        assert b"partner-router-offer" not in data, path
    assert not (public / "feeds/category/corrections.rss.xml").exists()
    assert not (public / "feeds/category/sponsored.rss.xml").exists()
    assert b"Sponsored" not in (public / "feeds.opml").read_bytes()


def test_tag_and_author_feeds_hold_their_articles(public: Path) -> None:
    link = ARTICLES + "passkeys-one-year-on/"
    for feed in ("tag/passkeys", "tag/passwords", "author/priya-raman", "author/lena-fischer"):
        for fmt in ("rss", "atom"):
            found = entry(public, f"feeds/{feed}.{fmt}.xml", link)
            assert found.title == "Passkeys One Year On: What Changed for Everyday Logins"
    # `authentication` is on one article only: under tag_min_articles (2), no feed
    assert not (public / "feeds/tag/authentication.rss.xml").exists()
    tag = read(public, "feeds/tag/passkeys.atom.xml")
    assert tag.feed.title == "Example Tech News: passkeys (tag)"
    assert [e.link for e in tag.entries] == [link, ARTICLES + "passkeys-explained/"]
    author = read(public, "feeds/author/priya-raman.rss.xml")
    assert author.feed.title == "Example Tech News: Priya Raman"
    # every published article by Priya Raman, newest first (her November draft is not)
    assert [e.link for e in author.entries] == [
        link,
        ARTICLES + "passkeys-explained/",
        ARTICLES + "nettle-routers-end-of-life/",
        ARTICLES + "maintainer-survey/",
    ]
    opml = (public / "feeds.opml").read_text()
    assert 'xmlUrl="https://news.example.org/feeds/author/priya-raman.rss.xml"' in opml


def test_a_summary_only_category_carries_summaries_and_the_site_feed_full_text(
    public: Path,
) -> None:
    # config.yaml: categories.Business.content: summary
    link = ARTICLES + "gruenwerk-refurbished-funding/"
    for fmt in ("rss", "atom"):
        business = entry(public, f"feeds/category/business.{fmt}.xml", link)
        assert "content" not in business
        assert business.summary
        full = entry(public, f"feeds/all.{fmt}.xml", link)
        assert full.content[0].type == "text/html" and "<p>" in full.content[0].value


def test_per_feed_metadata_reaches_readers(public: Path) -> None:
    # categories.Podcasts.title is the feed title as written; Phones has its own image
    assert read(public, "feeds/category/podcasts.atom.xml").feed.title == (
        "The Example Tech Podcast"
    )
    phones = read(public, "feeds/category/phones.rss.xml").feed
    assert phones.image.href == "https://news.example.org/media/phones/phones-feed.png"
    assert read(public, "feeds/category/phones.atom.xml").feed.logo == (
        "https://news.example.org/media/phones/phones-feed.png"
    )
    assert (public / "media/phones/phones-feed.png").exists()
    # feeds.ttl: 60 -> <ttl>60</ttl>, sy:updatePeriod hourly, sy:updateFrequency 1
    site = read(public, "feeds/all.rss.xml").feed
    assert (site.ttl, site.sy_updateperiod, site.sy_updatefrequency) == ("60", "hourly", "1")
    # the other feeds show the site's image, and config.yaml sets none
    assert "image" not in read(public, "feeds/category/science.rss.xml").feed


def test_a_german_article_carries_its_language_and_has_its_feed_set(public: Path) -> None:
    # content/mobility/leipzig-lastenrad-foerderung.md: `lang: de`; feeds.by_language: true
    link = ARTICLES + "leipzig-lastenrad-foerderung/"
    atom = entry(public, "feeds/all.atom.xml", link)
    assert atom.title == "Leipzig fördert Lastenräder für Familien und Handwerk"
    assert atom.title_detail.language == "de"  # the entry's xml:lang, over the feed's en
    german = read(public, "feeds/de/all.rss.xml")
    assert german.feed.language == "de"
    assert [e.link for e in german.entries] == [link]
    assert [e.link for e in read(public, "feeds/de/category/mobility.atom.xml").entries] == [link]
    english = {e.link for e in read(public, "feeds/en/all.atom.xml").entries}
    assert link not in english and ARTICLES + "passkeys-one-year-on/" in english
    page = (public / "feeds/de/category/mobility.html").read_text()
    assert 'hreflang="x-default" type="text/html" href="../../category/mobility.html"' in page
    assert 'hreflang="en" type="text/html" href="../../en/category/mobility.html"' in page


def test_a_thumbnail_with_its_size_and_credit(public: Path) -> None:
    # content/gaming/handheld-repair-cafe.md: `image: {url, width, height, credit}`
    link = ARTICLES + "handheld-repair-cafe/"
    photo = "https://news.example.org/media/2026/10/repair-cafe.jpg"
    for feed in ("all", "category/gaming"):
        for fmt in ("rss", "atom"):
            found = entry(public, f"feeds/{feed}.{fmt}.xml", link)
            assert found.media_thumbnail == [{"url": photo, "width": "1200", "height": "675"}]
            assert found.media_credit == [{"content": "Jonas Berg"}]
            assert found.media_content == [{"url": photo, "medium": "image"}]


def test_a_video_reaches_readers_with_absolute_sources(public: Path) -> None:
    # content/gaming/handheld-repair-cafe.md ends with a <video> (source, captions track)
    link = ARTICLES + "handheld-repair-cafe/"
    media = "https://news.example.org/media/2026/10/"
    for fmt in ("rss", "atom"):
        # feedparser's own sanitiser (on by default) drops <track>: read the bytes unsanitised
        data = (public / f"feeds/category/gaming.{fmt}.xml").read_bytes()
        parsed = feedparser.parse(data, sanitize_html=False)
        (found,) = [e for e in parsed.entries if e.link == link]
        html = found.content[0].value  # feedparser writes void tags as `<source ... />`
        assert f'poster="{media}repair-cafe.jpg"' in html and 'controls=""' in html
        assert f'<source src="{media}repair-cafe-stick-swap.mp4" type="video/mp4"' in html
        assert f'src="{media}repair-cafe-stick-swap.vtt"' in html and 'kind="captions"' in html
        assert "stick in four minutes.</video>" in html


def test_an_allowed_iframe_is_kept_and_another_removed(public: Path) -> None:
    # content/science/launch-replay-weather-satellite.md; html.allow_iframes in config.yaml
    link = ARTICLES + "launch-replay-weather-satellite/"
    for fmt in ("rss", "atom"):
        data = (public / f"feeds/category/science/space.{fmt}.xml").read_bytes()
        (found,) = [
            e for e in feedparser.parse(data, sanitize_html=False).entries if e.link == link
        ]
        html = found.content[0].value
        assert 'src="https://www.youtube-nocookie.com/embed/wsat-launch-2026"' in html
        assert "tracker.example.com" not in html
        assert b"tracker.example.com" not in data


def test_the_google_news_sitemap_holds_the_last_two_days(public: Path) -> None:
    # feeds.news_sitemap: the newest article is best-phone-cases-2026 (24 Nov, 18:00 Berlin);
    # the next ones are a draft (20 Nov) and the sponsored offer (excluded from feeds, 2 Nov)
    from lxml import etree

    root = etree.parse(str(public / "news-sitemap.xml")).getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    news = "{http://www.google.com/schemas/sitemap-news/0.9}"
    (url,) = root.findall("s:url", namespaces=ns)
    assert url.findtext("s:loc", namespaces=ns) == ARTICLES + "best-phone-cases-2026/"
    assert url.findtext(f"{news}news/{news}publication/{news}name") == "Example Tech News"
    assert url.findtext(f"{news}news/{news}publication/{news}language") == "en"
    assert url.findtext(f"{news}news/{news}publication_date") == "2026-11-24T18:00:00+01:00"
