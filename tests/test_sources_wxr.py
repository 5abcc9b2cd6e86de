"""WordPress exports (issue 18): tests/wxr/gazette.wordpress.xml, a WXR 1.2 export written
here as WordPress 6 writes one (22 published posts, a scheduled one, a draft, a private post,
a page, a menu item, an audio attachment and a featured image), built and read back by
feedparser, which must find WordPress's own guids (`?p=123`) as the ids."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import feedparser
from sites import NOW, Site, make_site

from feeds.model import Level, Problem
from feeds.sources.wxr import autop, read_wxr

FIXTURE = Path(__file__).parent / "wxr" / "gazette.wordpress.xml"
BLOG = "https://gazette.example.org/"
PUBLISHED = range(101, 123)  # wp:post_id of the 22 published posts


def wxr_site(root: Path, text: str | None = None) -> Site:
    site = make_site(root, {})
    site.settings["site"].update({"url": BLOG, "timezone": "Europe/London"})
    site.settings["feeds"]["max_items"] = 50
    site.save_config()
    if text is None:
        site.content.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURE, site.content / "gazette.wordpress.xml")
    else:
        site.write("gazette.wordpress.xml", text)
    return site


def entries(site: Site, feed: str = "feeds/all.atom.xml") -> dict[str, Any]:
    parsed = feedparser.parse((site.output / feed).read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    return {entry.id: entry for entry in parsed.entries}


def test_every_published_post_keeps_its_wordpress_guid(tmp_path: Path) -> None:
    site = wxr_site(tmp_path)
    report = site.build()
    assert report.errors == ()
    assert report.warnings == ()
    assert report.drafts == 2  # the draft and the private post; pages and menus are not posts
    assert [a.source for a in report.scheduled] == ["content/gazette.wordpress.xml#post-303"]
    expected = {f"{BLOG}?p={n}" for n in PUBLISHED}
    assert set(entries(site)) == expected
    assert set(entries(site, "feeds/all.rss.xml")) == expected
    rss = (site.output / "feeds" / "all.rss.xml").read_text()
    assert f'<guid isPermaLink="false">{BLOG}?p=101</guid>' in rss


def test_a_post_as_wordpress_published_it(tmp_path: Path) -> None:
    site = wxr_site(tmp_path)
    site.build()
    first = entries(site)[f"{BLOG}?p=101"]
    assert first.title == "Ferry timetable changes for the winter"
    assert first.link == f"{BLOG}2026/01/05/ferry-timetable-changes/"
    assert first.published == "2026-01-05T09:30:00Z"  # wp:post_date_gmt
    assert first.author_detail.name == "Mara Quay"
    assert first.author_detail.email == "editor@gazette.example.org"
    assert sorted(t.term for t in first.tags) == ["News / Harbour", "ferries", "timetables"]
    assert first.summary == "In short: ferry timetable changes for the winter."  # excerpt
    assert first.content[0].value == (
        "<p>Ferry timetable changes for the winter: the story in full.<br />\n"
        "A second line of the first paragraph.</p>\n"
        '<p>A second paragraph with <a href="https://gazette.example.org/ferry-timetable-'
        'changes-more/">a link</a>.</p>'
    )
    summer = entries(site)[f"{BLOG}?p=113"]  # 11:30 BST in wp:post_date, 10:30 in GMT
    assert summer.published == "2026-06-22T10:30:00Z"
    assert (site.output / "feeds" / "category" / "news" / "harbour.atom.xml").exists()
    sailing = entries(site)[f"{BLOG}?p=103"]
    assert sailing.author_detail.name == "Tom Ropewalk"
    assert [t.term for t in sailing.tags if "/" in t.term] == ["Sport / Sailing"]


def test_attachments_and_the_block_editor(tmp_path: Path) -> None:
    site = wxr_site(tmp_path)
    site.build()
    episode = entries(site, "feeds/all.rss.xml")[f"{BLOG}?p=112"]
    assert [(e.href, e.type, e.length) for e in episode.enclosures] == [
        (f"{BLOG}wp-content/uploads/2026/06/harbour-voices-1.mp3", "audio/mpeg", "0")
    ]
    assert episode.media_content[0]["url"] == f"{BLOG}wp-content/uploads/2026/06/cover.jpg"
    blocks = entries(site)[f"{BLOG}?p=107"].content[0].value
    assert "<p>Written in the block editor.</p>" in blocks
    assert "<ul><li>One</li><li>Two</li></ul>" in blocks


def test_a_broken_post_is_named_and_the_others_publish(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    text = text.replace(
        "<title><![CDATA[Storm warning for the weekend]]></title>", "<title></title>"
    )
    text = text.replace("2026-05-11 12:30:00", "2026-05-41 12:30:00")  # post 110's dates
    site = wxr_site(tmp_path, text)
    report = site.build()
    assert [(p.source, p.field, p.value) for p in report.errors] == [
        ("content/gazette.wordpress.xml#post-109", "title", None),
        ("content/gazette.wordpress.xml#post-110", "date", "2026-05-41T12:30:00Z"),
    ]
    assert len(entries(site)) == 20


def test_a_published_post_that_breaks_keeps_its_last_good_version(tmp_path: Path) -> None:
    site = wxr_site(tmp_path)
    site.build()
    site.edit(
        "gazette.wordpress.xml",
        "<title><![CDATA[Storm warning for the weekend]]></title>",
        "<title></title>",
    )
    report = site.build()
    assert report.kept == ("content/gazette.wordpress.xml#post-109",)
    assert entries(site)[f"{BLOG}?p=109"].title == "Storm warning for the weekend"


def test_an_export_that_is_not_well_formed(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    site = wxr_site(tmp_path, text[: len(text) // 2])
    site.write("notes.md", "---\ntitle: Still here\ndate: 2026-01-01\n---\nX\n")
    report = site.build()
    assert [(p.source, p.field) for p in report.errors] == [
        ("content/gazette.wordpress.xml", "file")
    ]
    assert report.errors[0].message.startswith("is not well-formed XML (")
    assert report.errors[0].message.endswith(
        "); export it again from WordPress (Tools > Export) or fix the line"
    )
    assert report.articles == 1


def test_other_xml_is_skipped_with_a_warning() -> None:
    result = read_wxr("content/sitemap.xml", b'<?xml version="1.0"?><urlset><url/></urlset>')
    assert result == read_wxr("content/sitemap.xml", b"<urlset/>")
    assert result.records == ()
    assert result.problems == (
        Problem(
            "content/sitemap.xml",
            "file",
            None,
            "is an XML file but not a WordPress export (no wp: namespace of "
            "http://wordpress.org/export/1.x/); it is skipped: move it out of content_dir or "
            "exclude it with content.exclude",
            Level.WARNING,
        ),
    )


def test_entities_are_never_expanded() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">'
        b'<!ENTITY c SYSTEM "file:///etc/passwd">]>'
        b'<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>&b;&c;</title>'
        b"<wp:post_type>post</wp:post_type><wp:post_id>1</wp:post_id><wp:status>publish</wp:status>"
        b"</item></channel></rss>"
    )
    (record,) = read_wxr("content/x.xml", bomb).records
    assert "root:" not in str(record.fields.get("title", ""))
    assert "aaaa" not in str(record.fields.get("title", ""))


def test_autop() -> None:
    assert autop("One\ntwo\n\nThree") == "<p>One<br />\ntwo</p>\n<p>Three</p>"
    assert autop("<p>Kept</p>\n\nText") == "<p>Kept</p>\n<p>Text</p>"
    assert autop("") == ""


assert NOW.year == 2026  # the scheduled post (2026-12-10) is after the tests' clock
