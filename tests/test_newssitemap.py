"""The Google News sitemap (issue 16): `feeds.news_sitemap: true` writes `news-sitemap.xml`
with the articles of the last two days (before the newest), read back and checked."""

from __future__ import annotations

import dataclasses

import pytest
from click.testing import CliRunner
from factories import make_article, make_config
from lxml import etree
from sites import Site

import feeds.discovery
from feeds.cli import cli
from feeds.findings import Finding, Severity
from feeds.newssitemap import (
    check_news_sitemap,
    news_articles,
    news_language,
    render_news_sitemap,
)

NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "n": "http://www.google.com/schemas/sitemap-news/0.9",
}
NOW = "2026-11-26T12:00:00Z"
CONFIG = make_config()


def test_the_last_two_days_before_the_newest_article() -> None:
    newest = make_article("newest", published="2021-03-10T12:00:00+01:00")
    day_before = make_article("day-before", published="2021-03-09T09:00:00+01:00")
    edge = make_article("edge", published="2021-03-08T12:00:00+01:00")  # exactly two days
    old = make_article("old", published="2021-03-08T11:59:59+01:00")
    hidden = make_article("hidden", published="2021-03-10T11:00:00+01:00", in_feeds=False)
    found = news_articles([old, edge, newest, hidden, day_before], CONFIG)
    assert [a.slug for a in found] == ["newest", "day-before", "edge"]


def test_at_most_1000_urls() -> None:
    articles = [
        make_article(f"a{n}", published=f"2021-03-10T{n // 60 % 24:02d}:{n % 60:02d}:00Z")
        for n in range(1200)
    ]
    assert len(news_articles(articles, CONFIG)) == 1000


def test_the_sitemap_as_google_describes_it() -> None:
    article = make_article(
        "merger", title="Companies A & B in <Merger> Talks", published="2021-03-10T12:00:00+01:00"
    )
    data = render_news_sitemap([article], CONFIG)
    assert data == (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        b' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
        b"  <url>\n    <loc>https://news.example.org/articles/merger/</loc>\n"
        b"    <news:news>\n      <news:publication>\n"
        b"        <news:name>Example Tech News</news:name>\n"
        b"        <news:language>en</news:language>\n      </news:publication>\n"
        b"      <news:publication_date>2021-03-10T12:00:00+01:00</news:publication_date>\n"
        b"      <news:title>Companies A &amp; B in &lt;Merger&gt; Talks</news:title>\n"
        b"    </news:news>\n  </url>\n</urlset>\n"
    )
    root = etree.fromstring(data)
    assert root.findtext("s:url/n:news/n:title", namespaces=NS) == (
        "Companies A & B in <Merger> Talks"
    )
    assert check_news_sitemap(data, [article], CONFIG) == []


def test_news_language_is_google_s_code() -> None:
    assert news_language(make_article("a", lang="de-AT"), CONFIG) == "de"
    assert news_language(make_article("a", lang="zh-Hant-TW"), CONFIG) == "zh-tw"
    assert news_language(make_article("a", lang="zh-Hans"), CONFIG) == "zh-cn"
    assert news_language(make_article("a"), CONFIG) == "en"


def test_a_tampered_sitemap_is_refused_naming_the_url() -> None:
    article = make_article("merger", published="2021-03-10T12:00:00+01:00")
    data = render_news_sitemap([article], CONFIG)
    broken = data.replace(b"2021-03-10T12:00:00+01:00", b"2021-03-10T12:00:00Z")
    (finding,) = check_news_sitemap(broken, [article], CONFIG)
    assert (finding.rule, finding.entry) == ("NewsSitemap", article.link)
    assert check_news_sitemap(b"<urlset>", [article], CONFIG)[0].message.startswith(
        "is not well-formed XML"
    )
    other = dataclasses.replace(CONFIG, site=dataclasses.replace(CONFIG.site, title="Other"))
    assert len(check_news_sitemap(data, [article], other)) == 1


def build(site: Site) -> tuple[int, str]:
    arguments = ["build", "--config", str(site.root / "config.yaml"), "--now", NOW]
    result = CliRunner().invoke(cli, arguments)
    return result.exit_code, result.output


def test_turning_the_news_sitemap_on_and_off(site: Site) -> None:
    assert build(site)[0] == 0
    assert not (site.output / "news-sitemap.xml").exists()
    site.settings["feeds"]["news_sitemap"] = True
    site.save_config()
    code, output = build(site)
    assert code == 0, output
    root = etree.parse(str(site.output / "news-sitemap.xml")).getroot()
    # launch-week (11-10 16:00 -05:00) is the newest; nothing else in the two days before it
    assert root.findall("s:url/s:loc", namespaces=NS)[0].text == (
        "https://inc.example.org/articles/launch-week/"
    )
    assert len(root.findall("s:url", namespaces=NS)) == 1
    site.settings["feeds"]["news_sitemap"] = False
    site.save_config()
    code, output = build(site)
    assert code == 0
    assert not (site.output / "news-sitemap.xml").exists()
    assert "news-sitemap.xml was removed" in output


def test_a_refused_sitemap_keeps_the_published_one(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.settings["feeds"]["news_sitemap"] = True
    site.save_config()
    assert build(site)[0] == 0
    before = (site.output / "news-sitemap.xml").read_bytes()
    site.write(
        "phones/new-phone.md",
        "---\ntitle: A New Phone\ndate: 2026-11-11T09:00:00Z\ncategory: Phones\n---\nNew.\n",
    )
    refusal = Finding("news-sitemap.xml", "RoundTrip", Severity.ERROR, "a broken sitemap")
    monkeypatch.setattr(feeds.discovery, "check_news_sitemap", lambda *_: [refusal])

    code, output = build(site)

    assert code == 1 and "a broken sitemap" in output
    assert (site.output / "news-sitemap.xml").read_bytes() == before  # not removed, not replaced
    monkeypatch.undo()
    assert build(site)[0] == 0
    assert b"articles/new-phone/" in (site.output / "news-sitemap.xml").read_bytes()
