"""Languages (issue 16): `lang` on an article (BCP 47, validated), Atom entry `xml:lang`,
JSON Feed item `language`, and `feeds.by_language` feed sets linked by `hreflang`."""

from __future__ import annotations

import dataclasses
import json

import pytest
from click.testing import CliRunner
from factories import make_article, make_config, static_content
from lxml import etree
from sites import Site, snapshot

from feeds.cli import cli
from feeds.config import Config
from feeds.languages import language_tag
from feeds.model import Problem
from feeds.pages import render_pages
from feeds.plan import plan_site
from feeds.render import render_feed
from feeds.validate import check_round_trip
from tests.test_normalise import normalise, refused

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ATOM = "{http://www.w3.org/2005/Atom}"
NOW = "2026-11-26T12:00:00Z"


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("de", "de"),
        ("EN-us", "en-US"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("sr-Latn-RS", "sr-Latn-RS"),
        ("es-419", "es-419"),
        ("de-CH-1996", "de-CH-1996"),
        ("en-a-bbb-x-ccc", "en-a-bbb-x-ccc"),
        ("x-klingon", "x-klingon"),
        ("de_DE", None),  # an underscore is no separator
        ("english", None),  # 5-8 letters: only for registered languages, of which none
        ("", None),
        ("123", None),
        ("en-", None),
        ("en--us", None),
        ("de-DE-", None),
    ],
)
def test_language_tag(text: str, tag: str | None) -> None:
    assert language_tag(text) == tag


def test_lang_is_read_in_canonical_case() -> None:
    assert normalise(lang="DE-at")[0].lang == "de-AT"
    assert normalise()[0].lang is None


def test_a_bad_lang_is_refused_naming_the_field() -> None:
    assert refused(lang="German") == Problem(
        "content/a.md",
        "lang",
        "German",
        "is not a BCP 47 language tag; write one such as de, fr-CA or zh-Hant (a hyphen, not "
        "an underscore), or leave it out for the site's language",
    )
    assert refused(lang=["de"]).field == "lang"


def test_a_lang_that_names_a_feeds_folder_is_refused() -> None:
    problem = refused(lang="tag")  # ISO 639-3 Tagoi; feeds/tag/ holds the tag feeds
    assert (problem.field, problem.value) == ("lang", "tag")


def config_of(by_language: bool = False) -> Config:
    config = make_config(formats=("rss", "atom", "json"))
    return dataclasses.replace(
        config, feeds=dataclasses.replace(config.feeds, by_language=by_language)
    )


GERMAN = make_article(
    "fahrrad", title="Lastenräder im Test", lang="de", published="2021-01-09T10:00:00+01:00"
)
ENGLISH = make_article("bikes", title="Cargo bikes tested")


def test_atom_entry_xml_lang_and_json_item_language() -> None:
    config = config_of()
    feed = plan_site([GERMAN, ENGLISH], config).feeds[0]
    atom = etree.fromstring(render_feed(feed, "atom", config, static_content))
    assert atom.get(XML_LANG) == "en"
    assert [e.get(XML_LANG) for e in atom.iter(f"{ATOM}entry")] == ["de", None]
    items = json.loads(render_feed(feed, "json", config, static_content))["items"]
    assert [item.get("language") for item in items] == ["de", None]


@pytest.mark.parametrize(
    ("fmt", "old", "new"),
    [("atom", '<entry xml:lang="de">', '<entry xml:lang="fr">'), ("json", '"de"', '"fr"')],
)
def test_entry_language_round_trips_and_a_changed_one_is_an_error(
    fmt: str, old: str, new: str
) -> None:
    config = config_of()
    feed = plan_site([GERMAN, ENGLISH], config).feeds[0]
    data = render_feed(feed, fmt, config, static_content)
    assert check_round_trip(data, fmt, feed, config, static_content, file="x") == []
    assert data.count(old.encode()) == 1
    broken = data.replace(old.encode(), new.encode())
    found = check_round_trip(broken, fmt, feed, config, static_content, file="x")
    assert [(f.rule, f.entry, f.field) for f in found] == [
        ("RoundTrip", "https://news.example.org/articles/fahrrad/", "language")
    ]


def test_by_language_adds_one_feed_set_per_language() -> None:
    config = config_of(by_language=True)
    plan = plan_site([GERMAN, ENGLISH], config)
    found = {feed.path("rss"): [a.slug for a in feed.entries] for feed in plan.feeds}
    assert found == {
        "feeds/all.rss.xml": ["fahrrad", "bikes"],  # the whole site, as before
        "feeds/category/phones.rss.xml": ["fahrrad", "bikes"],
        "feeds/de/all.rss.xml": ["fahrrad"],
        "feeds/de/category/phones.rss.xml": ["fahrrad"],
        "feeds/en/all.rss.xml": ["bikes"],
        "feeds/en/category/phones.rss.xml": ["bikes"],
    }
    german = next(feed for feed in plan.feeds if feed.path("rss") == "feeds/de/all.rss.xml")
    assert german.title == "Example Tech News (de)"
    rss = etree.fromstring(render_feed(german, "rss", config, static_content))
    assert rss.findtext("channel/language") == "de"
    assert json.loads(render_feed(german, "json", config, static_content))["language"] == "de"
    for fmt in ("rss", "atom", "json"):
        data = render_feed(german, fmt, config, static_content)
        assert check_round_trip(data, fmt, german, config, static_content, file="x") == []


def test_a_site_in_one_language_gets_no_language_sets() -> None:
    config = config_of(by_language=True)
    plan = plan_site([ENGLISH, dataclasses.replace(GERMAN, lang="en")], config)
    assert [feed.path("rss") for feed in plan.feeds] == [
        "feeds/all.rss.xml",
        "feeds/category/phones.rss.xml",
    ]


def test_feed_pages_link_the_other_languages_with_hreflang() -> None:
    config = config_of(by_language=True)
    pages = render_pages(plan_site([GERMAN, ENGLISH], config), config)
    german = pages["feeds/de/category/phones.html"].decode()
    assert '<link rel="alternate" hreflang="x-default" type="text/html" href="../../category/' in (
        german
    )
    assert '<link rel="alternate" hreflang="en" type="text/html" href="../../en/category/' in (
        german
    )
    whole = pages["feeds/all.html"].decode()
    assert 'hreflang="de" type="text/html" href="de/all.html"' in whole
    index = pages["index.html"].decode()
    assert '<h2 lang="de">Feeds in de</h2>' in index
    assert 'href="feeds/de/all.html"' in index


def test_turning_by_language_on_adds_only_the_language_sets(site: Site) -> None:
    site.edit("science/telescope.md", "category: Science", "category: Science\nlang: de")
    arguments = ["build", "--config", str(site.root / "config.yaml"), "--now", NOW]
    assert CliRunner().invoke(cli, arguments).exit_code == 0
    before = set(snapshot(site.output))
    site.settings["feeds"]["by_language"] = True
    site.save_config()
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 0, result.output
    added = set(snapshot(site.output)) - before
    assert before <= set(snapshot(site.output))
    assert {path.split("/")[1] for path in added if path.startswith("feeds/")} == {"de", "en"}
    assert "feeds/de/category/science.atom.xml" in added
    assert "feeds/de/category/phones.atom.xml" not in added  # no German phone article
