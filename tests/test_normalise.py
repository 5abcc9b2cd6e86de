"""feeds.normalise: raw records -> Articles, field by field; site-wide duplicates."""

from __future__ import annotations

import dataclasses
import unicodedata
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feeds.config import Config, parse_config
from feeds.fieldtext import cut_title, strip_tags, unsafe_slug
from feeds.model import (
    Article,
    Author,
    BodyFormat,
    Category,
    ContentError,
    Enclosure,
    Level,
    Problem,
    RawRecord,
)
from feeds.normalise import normalise_record, resolve_site

BERLIN = ZoneInfo("Europe/Berlin")
SITE = "https://news.example.org/"


def make_config(
    categories: dict[str, object] | None = None, dayfirst: bool = False, **site: object
) -> Config:
    data: dict[str, Any] = {
        "site": {
            "title": "Example Tech News",
            "url": SITE,
            "description": "Technology news",
            "language": "en",
            "timezone": "Europe/Berlin",
            **site,
        },
        "dates": {"dayfirst": dayfirst},
    }
    if categories is not None:
        data["categories"] = categories
    return parse_config(data, Path("/site"))


def make_raw(
    source: str = "content/a.md",
    body: str = "Body text.",
    default_slug: str | None = "a",
    body_format: BodyFormat = BodyFormat.MARKDOWN,
    **fields: object,
) -> RawRecord:
    base: dict[str, object] = {"title": "A title", "date": "2021-01-08 14:30"}
    base.update(fields)
    return RawRecord(source, {k: v for k, v in base.items() if v is not DROP}, body,
                     body_format, default_slug)  # fmt: skip


DROP = object()  # a field value meaning "leave the key out"


def normalise(config: Config | None = None, **kwargs: Any) -> tuple[Article, tuple[Problem, ...]]:
    return normalise_record(make_raw(**kwargs), config or make_config())


def refused(config: Config | None = None, **kwargs: Any) -> Problem:
    with pytest.raises(ContentError) as caught:
        normalise(config, **kwargs)
    return caught.value.problem


def warning(source: str, field: str, value: str | None, message: str) -> Problem:
    return Problem(source, field, value, message, Level.WARNING)


# --- the whole record -------------------------------------------------------------------


def test_minimal_record() -> None:
    article, warnings = normalise()
    assert warnings == ()
    assert article == Article(
        source="content/a.md",
        slug="a",
        id="https://news.example.org/articles/a/",
        link="https://news.example.org/articles/a/",
        title="A title",
        published=datetime(2021, 1, 8, 14, 30, tzinfo=BERLIN),
        updated=datetime(2021, 1, 8, 14, 30, tzinfo=BERLIN),
        categories=(),
        body="Body text.",
        body_format=BodyFormat.MARKDOWN,
    )
    assert article.published.utcoffset() == timedelta(hours=1)


def test_full_record() -> None:
    article, warnings = normalise(
        source="content/x.yaml",
        default_slug=None,
        body_format=BodyFormat.HTML,
        body="<p>Hi</p>",
        title="Full",
        date="2021-03-23T10:18:00+00:00",
        updated="2021-03-24 09:00",
        categories=["Phones: Accessories", "Business"],
        tags=["b", "a"],
        author={"name": "Ada Lovelace", "email": "ada@example.org"},
        summary="Short.",
        slug="full-record",
        id="tag:news.example.org,2021:17",
        draft=True,
        image="/img/x.jpg",
        enclosure={"url": "show.mp3", "type": "audio/mpeg", "length": 1234},
    )
    assert warnings == ()
    assert article == Article(
        source="content/x.yaml",
        slug="full-record",
        id="tag:news.example.org,2021:17",
        link="https://news.example.org/articles/full-record/",
        title="Full",
        published=datetime(2021, 3, 23, 11, 18, tzinfo=BERLIN),
        updated=datetime(2021, 3, 24, 9, 0, tzinfo=BERLIN),
        categories=(
            Category(("business",), ("Business",)),
            Category(("phones", "accessories"), ("Phones", "Accessories")),
        ),
        body="<p>Hi</p>",
        body_format=BodyFormat.HTML,
        tags=("a", "b"),
        authors=(Author("Ada Lovelace", "ada@example.org"),),
        summary="Short.",
        image="https://news.example.org/img/x.jpg",
        enclosure=Enclosure(
            "https://news.example.org/articles/full-record/show.mp3", "audio/mpeg", 1234
        ),
        draft=True,
    )
    assert [c.names for c in article.categories] == [("Business",), ("Phones", "Accessories")]


def test_unknown_keys_are_one_warning() -> None:
    _, warnings = normalise(titel="typo", catgory="x", body_format="markdown")
    assert warnings == (
        warning(
            "content/a.md",
            "catgory, titel",
            None,
            "unknown keys, ignored; check the spelling (the keys are title, date, updated, "
            "category, categories, tags, author, authors, summary, slug, id, link, draft, "
            "image, enclosure, body, body_format, podcast, feed, lang, expires)",
        ),
    )


def test_thousands_of_unknown_keys_are_named_ten_and_counted() -> None:
    extra = {f"k{n:04d}": "v" for n in range(5000)}
    _, warnings = normalise(**extra, author={"name": "Ann", **extra})
    named = "k0000, k0001, k0002, k0003, k0004, k0005, k0006, k0007, k0008, k0009 and 4,990 more"
    assert [(w.field, w.value) for w in warnings] == [(named, None), ("author", named)]
    assert all(len(str(w)) < 1_000 for w in warnings)


def test_null_values_are_missing_keys() -> None:
    article, warnings = normalise(
        updated=None, category=None, tags=None, author=None, summary=None, slug=None,
        id=None, link=None, draft=None, image=None, enclosure=None,
    )  # fmt: skip
    assert warnings == ()
    assert article == normalise()[0]


# --- type checks: containers are never stringified ---------------------------------------


def alias_bomb() -> list[object]:
    """What `a: &a [x, x, ...]`, `b: &b [*a, *a, ...]` ... loads to: tiny in memory, 10^30
    items when turned into text."""
    value: list[object] = ["lol"] * 10
    for _ in range(30):
        value = [value] * 10
    return value


@pytest.mark.parametrize(
    "field", ["title", "date", "updated", "category", "tags", "author", "authors", "summary",
              "slug", "id", "link", "image", "enclosure", "draft"]
)  # fmt: skip
def test_alias_bomb_in_any_field_is_refused_without_expanding(field: str) -> None:
    problem = refused(**{field: alias_bomb()})
    # A byline is a list: its first item (itself a list) is refused by position.
    named = f"{field}[1]" if field.startswith("author") else field
    assert (problem.source, problem.field) == ("content/a.md", named)
    assert problem.value == "(a list of 10 items)"
    assert len(problem.message) < 300


@pytest.mark.parametrize(
    ("field", "value", "shown", "message"),
    [
        ("title", ["a", "b"], "(a list of 2 items)",
         "is a list, not text; write it as text (in quotes if it looks like a number, date "
         "or true/false), e.g. title: '1984, again'"),
        ("title", 1984, "1984",
         "is a number, not text; write it as text (in quotes if it looks like a number, date "
         "or true/false), e.g. title: '1984, again'"),
        ("title", True, "true",
         "is true/false, not text; write it as text (in quotes if it looks like a number, "
         "date or true/false), e.g. title: '1984, again'"),
        ("summary", {"a": 1}, "(a mapping of 1 items)",
         "is a mapping, not text; write it as text (in quotes if it looks like a number, date "
         "or true/false), e.g. summary: 'One line about the article.'"),
        ("category", {"name": "x"}, "(a mapping of 1 items)",
         "is a mapping; write a category as text, or a list of them, e.g. "
         "category: 'Phones: Accessories'"),
        ("categories", ["Phones", 5], "5",
         "item 2 is a number, not text; write each category as text, e.g. "
         "categories: [Phones, 'Phones: Accessories']"),
        ("draft", "yes", "yes",
         "is text, not true or false; write draft: true or draft: false (without quotes)"),
        ("id", 1.5, "1.5",
         "is a number; write the id as text or a whole number, e.g. id: post-1234"),
        ("id", False, "false",
         "is true/false; write the id as text or a whole number, e.g. id: post-1234"),
        ("author", 5, "5",
         "is a number; write a name, or a name and an email: "
         "author: {name: Ada Lovelace, email: ada@example.org}, or a list of them for several "
         "authors: authors: [Ada Lovelace, {name: Bob Example, email: bob@example.org}]"),
        ("enclosure", "show.mp3", "show.mp3",
         "is text, not a url/type/length mapping; "
         "enclosure: {url: /audio/show-12.mp3, type: audio/mpeg, length: 24986239}"),
        ("tags", 5, "5", "is a number; write tags as a list, e.g. tags: [phones, batteries]"),
    ],
)  # fmt: skip
def test_wrong_types_are_errors(field: str, value: object, shown: str, message: str) -> None:
    assert refused(**{field: value}) == Problem("content/a.md", field, shown, message)


# --- title ------------------------------------------------------------------------------


def test_title_missing() -> None:
    assert refused(title=DROP) == Problem(
        "content/a.md", "title", None, "is missing; give the article a title"
    )


def test_title_empty_after_cleaning() -> None:
    problem = refused(title=" \x00\u202e ")
    assert (problem.field, problem.value) == ("title", " \x00\u202e ")
    assert problem.message == "is empty; give the article a title"


def test_title_is_plain_text() -> None:
    article, warnings = normalise(title="  8 Cores < 12 & <b>more</b>  ")
    assert article.title == "8 Cores < 12 & <b>more</b>"
    assert warnings == ()


def test_title_controls_are_removed_with_a_warning() -> None:
    article, warnings = normalise(title="\u202eBreaking\u202c news\x00")
    assert article.title == "Breaking news"
    assert warnings == (
        warning(
            "content/a.md",
            "title",
            "\u202eBreaking\u202c news\x00",
            "removed 1 control character(s) XML 1.0 cannot carry (U+0000); remove them from "
            "the source",
        ),
        warning(
            "content/a.md",
            "title",
            "\u202eBreaking\u202c news\x00",
            "removed 2 bidi embedding/override/isolate control(s) (U+202C, U+202E); remove "
            "them from the source",
        ),
    )


def test_title_of_1000_characters_is_kept() -> None:
    title = ("word " * 200).strip() + "s"  # 1,000 characters
    assert len(title) == 1000
    assert normalise(title=title)[0].title == title


def test_title_over_1000_characters_is_cut_at_a_word() -> None:
    title = "Breaking " * 150  # 1,349 characters after stripping
    article, warnings = normalise(title=title)
    assert article.title == ("Breaking " * 33).strip() + "…"  # 296 + 1 characters
    assert len(warnings) == 1
    assert warnings[0].message == (
        "is 1,349 characters long (over 1,000) and was cut to 297; write a shorter title"
    )


def test_cut_title() -> None:
    assert cut_title("short", 300) == "short"
    assert cut_title("aaaa bbbb cccc", 10) == "aaaa bbbb…"
    assert cut_title("x" * 20, 10) == "x" * 9 + "…"  # no space: cut hard
    assert cut_title("a " + "x" * 20, 10) == "a xxxxxxx…"  # space too early: cut hard


# --- dates ------------------------------------------------------------------------------


def test_date_missing() -> None:
    assert refused(date=DROP) == Problem(
        "content/a.md",
        "date",
        None,
        "is missing; add the publication date, e.g. date: 2021-03-23 10:18 (site time zone) "
        "or 2021-03-23T10:18:00+01:00",
    )


@pytest.mark.parametrize("value", ["yesterday", "not a date", "2021-02-30", "Jan 8"])
def test_bad_date_is_an_error_with_the_value(value: str) -> None:
    problem = refused(date=value)
    assert (problem.source, problem.field, problem.value) == ("content/a.md", "date", value)
    assert problem.message  # the wording is feeds.dates' (tested there)


def test_yaml_dates_and_datetimes() -> None:
    assert normalise(date=date(2021, 1, 8))[0].published == datetime(2021, 1, 8, tzinfo=BERLIN)
    naive = datetime(2021, 7, 1, 12, 0)
    assert normalise(date=naive)[0].published == datetime(2021, 7, 1, 12, 0, tzinfo=BERLIN)
    aware = datetime(2021, 7, 1, 12, 0, tzinfo=UTC)
    assert normalise(date=aware)[0].published == datetime(2021, 7, 1, 14, 0, tzinfo=BERLIN)


def test_dayfirst_setting_is_used() -> None:
    first = normalise(make_config(dayfirst=True), date="03/04/2021 10:00")[0]
    assert first.published == datetime(2021, 4, 3, 10, 0, tzinfo=BERLIN)
    second = normalise(make_config(dayfirst=False), date="03/04/2021 10:00")[0]
    assert second.published == datetime(2021, 3, 4, 10, 0, tzinfo=BERLIN)


def test_updated_defaults_to_date_and_may_be_later() -> None:
    article = normalise(updated="2021-01-09 08:00")[0]
    assert article.updated == datetime(2021, 1, 9, 8, 0, tzinfo=BERLIN)


def test_updated_before_date_is_a_warning_and_becomes_the_date() -> None:
    article, warnings = normalise(updated="2021-01-07 08:00")
    assert article.updated == article.published
    assert warnings == (
        warning(
            "content/a.md",
            "updated",
            "2021-01-07 08:00",
            "is earlier than the date (2021-01-08T14:30:00+01:00); the date is used instead: "
            "correct updated or remove it",
        ),
    )


def test_bad_updated_is_an_error() -> None:
    problem = refused(updated="soon")
    assert (problem.field, problem.value) == ("updated", "soon")


# --- categories and tags ----------------------------------------------------------------


def test_category_string_list_and_dedupe() -> None:
    article, _ = normalise(categories=["Phones: Accessories", "phones:accessories", "Business"])
    assert [(c.slugs, c.names) for c in article.categories] == [
        (("business",), ("Business",)),
        (("phones", "accessories"), ("Phones", "Accessories")),
    ]
    single, _ = normalise(category="Phones")
    assert [(c.slugs, c.names) for c in single.categories] == [(("phones",), ("Phones",))]


def test_no_category_is_allowed() -> None:
    assert normalise(category=[])[0].categories == ()
    assert normalise()[0].categories == ()


def test_category_and_categories_together_is_an_error() -> None:
    assert refused(category="A", categories=["B"]) == Problem(
        "content/a.md",
        "categories",
        None,
        "is given together with category; keep one of the two keys",
    )


def test_category_of_punctuation_is_an_error() -> None:
    assert refused(category="Phones: ---") == Problem(
        "content/a.md",
        "category",
        "Phones: ---",
        "has a level '---' with no letter, digit or emoji; name the category with words "
        "(':' separates levels)",
    )


def test_category_aliases_from_config() -> None:
    config = make_config({"Phones": {"aliases": ["Smartphones"]}})
    article, _ = normalise(config, categories=["Smartphones", "Phones"])
    assert [(c.slugs, c.names) for c in article.categories] == [(("phones",), ("Phones",))]


def test_category_controls_are_a_warning() -> None:
    article, warnings = normalise(category="Pho\u200bnes")
    assert [c.names for c in article.categories] == [("Phones",)]
    assert warnings == (
        warning(
            "content/a.md",
            "category",
            "Pho\u200bnes",
            "removed 1 invisible zero-width character(s) (U+200B); remove them from the source",
        ),
    )


def test_tags() -> None:
    assert normalise(tags="python, Feeds ,, python")[0].tags == ("Feeds", "python")
    assert normalise(tags=["Zed", "alpha", "ALPHA", " "])[0].tags == ("ALPHA", "Zed")
    assert normalise(tags=["a, b"])[0].tags == ("a, b",)  # list items are not split


def test_tag_of_wrong_type() -> None:
    problem = refused(tags=["ok", 2021])
    assert (problem.field, problem.value) == ("tags", "2021")


# --- author and summary -----------------------------------------------------------------


def test_author_forms() -> None:
    assert normalise(author="  Ada   Lovelace ")[0].authors == (Author("Ada Lovelace"),)
    assert normalise(author={"name": "Ada"})[0].authors == (Author("Ada"),)
    assert normalise(author={"name": "Ada", "email": " ada@example.org "})[0].authors == (
        Author("Ada", "ada@example.org"),
    )


def test_author_empty_is_a_warning() -> None:
    article, warnings = normalise(author="  ")
    assert article.authors == ()
    assert warnings == (
        warning("content/a.md", "author", "  ", "is empty; the site's author is used"),
    )


def test_author_bad_email() -> None:
    assert refused(author={"name": "Ada", "email": "ada at example"}) == Problem(
        "content/a.md",
        "author.email",
        "ada at example",
        "is not an email address; write it as name@example.org, or leave it out",
    )


def test_author_without_name() -> None:
    problem = refused(author={"email": "ada@example.org"})
    assert (problem.field, problem.value) == ("author.name", None)


def test_author_unknown_keys_warn() -> None:
    article, warnings = normalise(author={"name": "Ada", "url": "https://ada.example/"})
    assert article.authors == (Author("Ada"),)
    assert warnings == (
        warning(
            "content/a.md", "author", "url", "unknown key(s), ignored; an author has name and email"
        ),
    )


@pytest.mark.parametrize(
    ("summary", "text"),
    [
        ("Plain  summary\n on two lines", "Plain summary on two lines"),
        ("a < b & c > d", "a < b & c > d"),
        ("x<y and y>z", "x<y and y>z"),
        ("<p>Hello <b>world</b></p><p>Next &amp; more&hellip;</p>", "Hello world Next & more…"),
        ("Line<br>break<br/>again", "Line break again"),
        ('<a href="https://x.example/">link</a> text', "link text"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),  # text, shown as text
        ("Tom &amp; Jerry", "Tom &amp; Jerry"),  # no tags: not HTML, so no entities
        ("  ", None),
    ],
)
def test_summary_is_plain_text(summary: str, text: str | None) -> None:
    assert normalise(summary=summary)[0].summary == text


def test_strip_tags_leaves_text_without_tags_alone() -> None:
    assert strip_tags("1 < 2 &amp; 3") == "1 < 2 &amp; 3"


# --- slug, link, id ---------------------------------------------------------------------


def test_explicit_slug_wins_over_file_name() -> None:
    article, _ = normalise(slug="chosen")
    assert (article.slug, article.link) == ("chosen", "https://news.example.org/articles/chosen/")


@pytest.mark.parametrize(
    ("slug", "reason"),
    [
        ("", "is empty"),
        ("  ", "is empty"),
        (".", "is a folder step ('.' or '..'), not a name"),
        ("..", "is a folder step ('.' or '..'), not a name"),
        (".hidden", "starts with '.', which web servers hide"),
        ("../../etc/passwd", "starts with '.', which web servers hide"),
        ("a/b", "contains a slash; a slug is one path segment"),
        ("a\\b", "contains a slash; a slug is one path segment"),
        ("two words", "contains spaces or control characters"),
        ("tab\tbed", "contains spaces or control characters"),
        ("evil\u202etxt", "contains spaces or control characters"),
        ("x" * 201, "is 201 characters long; at most 200 are allowed"),
    ],
)
def test_unsafe_explicit_slug_is_an_error(slug: str, reason: str) -> None:
    problem = refused(slug=slug)
    assert (problem.field, problem.value) == ("slug", slug[:79] + "…" if len(slug) > 80 else slug)
    assert problem.message == f"{reason}; use letters, digits and '-', e.g. slug: new-phone-review"


def test_unsafe_slug_refuses_each_space_and_control_character() -> None:
    # Unicode categories C (controls, format, unassigned) and Z (separators), asked of
    # unicodedata itself: every ASCII one, and a sample beyond (NBSP, ZWSP, LS, BOM, U+E000)
    codes = [*range(0x80), 0xA0, 0xAD, 0x200B, 0x2028, 0x3000, 0xFEFF, 0xE000, 0x10FFFF]
    for code in codes:
        expected = unicodedata.category(chr(code))[0] in "CZ"
        for slug in (f"a{chr(code)}b", f"caf\u00e9{chr(code)}"):
            refused = unsafe_slug(slug) == "contains spaces or control characters"
            assert refused is expected, (hex(code), slug)


def test_non_ascii_slug_is_percent_encoded_in_the_link() -> None:
    article, _ = normalise(slug="cafe\u0301-50%?#")
    assert article.slug == "caf\u00e9-50%?#"
    assert article.link == "https://news.example.org/articles/caf%C3%A9-50%25%3F%23/"


def test_unsafe_file_name_becomes_a_slug_with_a_warning() -> None:
    article, warnings = normalise(default_slug="My Article")
    assert article.slug == "my-article"
    assert warnings == (
        warning(
            "content/a.md",
            "slug",
            "My Article",
            "the file name contains spaces or control characters, so it cannot be the slug; "
            "'my-article' is used: rename the file or add slug: my-article",
        ),
    )


def test_nfd_file_name_is_nfc() -> None:
    assert normalise(default_slug="cafe\u0301")[0].slug == "caf\u00e9"


def test_slug_from_title_warns_when_there_is_no_id() -> None:
    article, warnings = normalise(default_slug=None, title="Ünïcode & <Tags> Today!")
    assert article.slug == "unicode-tags-today-f78a7474"
    assert warnings == (
        warning(
            "content/a.md",
            "slug",
            None,
            "is missing and so is id; 'unicode-tags-today-f78a7474' was made from the title, "
            "so a title edit will change the article's identity: "
            "add slug: unicode-tags-today-f78a7474",
        ),
    )


def test_slug_from_title_is_quiet_when_there_is_an_id() -> None:
    article, warnings = normalise(default_slug=None, title="Weekly Roundup", id="post-17")
    assert (article.slug, warnings) == ("weekly-roundup", ())


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("https://elsewhere.example/a/b", "https://elsewhere.example/a/b"),
        ("/press/2021/item", "https://news.example.org/press/2021/item"),
        ("press/item", "https://news.example.org/press/item"),
        ("//cdn.example.net/x", "https://cdn.example.net/x"),
        ("#top", "https://news.example.org/#top"),
        ("https://example.org/a page/ü?q=ä b", "https://example.org/a%20page/%C3%BC?q=%C3%A4%20b"),
        ("https://example.org/already%20encoded", "https://example.org/already%20encoded"),
        ("https://bücher.example/x", "https://xn--bcher-kva.example/x"),
    ],
)
def test_explicit_link(link: str, expected: str) -> None:
    article, _ = normalise(link=link)
    assert article.link == expected
    assert article.id == expected  # no explicit id: the link is the id


@pytest.mark.parametrize(
    ("link", "reason"),
    [
        ("mailto:news@example.org", "is not an http(s) URL"),
        ("javascript:alert(1)", "is not an http(s) URL"),
        ("ftp://example.org/x", "is not an http(s) URL"),
        ("https://", "is not an http(s) URL"),
        ("https://example.org/\x00", "contains control characters"),
        ("  ", "is empty"),
        ("http://[::1", "is not a valid URL (its host or port cannot be read)"),
        ("http://example.org:99999/", "is not a valid URL (its host or port cannot be read)"),
        ("https://ex ample.org/", "has a space in its host name"),
    ],
)
def test_bad_link_is_an_error(link: str, reason: str) -> None:
    problem = refused(link=link)
    assert (problem.field, problem.value) == ("link", link)
    assert problem.message == (
        f"{reason}; write the article's web address, e.g. https://example.org/a/page/ "
        "(relative ones resolve against site.url), or leave it out"
    )


def test_permalink_date_parts_are_in_the_site_zone() -> None:
    config = make_config(permalink="{url}{year}/{month}/{day}/{slug}/")
    article, _ = normalise(config, date="2020-12-31T23:30:00Z")  # 00:30 on Jan 1 in Berlin
    assert article.link == "https://news.example.org/2021/01/01/a/"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("tag:news.example.org,2021:17", "tag:news.example.org,2021:17"),
        ("urn:isbn:0451450523", "urn:isbn:0451450523"),
        ("https://old.example.org/?p=17", "https://old.example.org/?p=17"),
        ("post-17", "urn:uuid:ab5b6f4d-769a-5eb9-a984-19c6ccb61b05"),
        ("  post-17 ", "urn:uuid:ab5b6f4d-769a-5eb9-a984-19c6ccb61b05"),
        (17, "urn:uuid:d8fd5d2e-f53e-55d6-b41d-b29c247cb32b"),
        ("17", "urn:uuid:d8fd5d2e-f53e-55d6-b41d-b29c247cb32b"),
    ],
)
def test_explicit_id(value: object, expected: str) -> None:
    assert normalise(id=value)[0].id == expected


@pytest.mark.parametrize("value", ["https://", "tag:has space", "   "])
def test_bad_id_is_an_error(value: str) -> None:
    assert refused(id=value).field == "id"


def test_id_does_not_depend_on_category_format_or_body() -> None:
    one, _ = normalise(category="Phones", body="one", body_format=BodyFormat.MARKDOWN)
    two, _ = normalise(category="Business", body="two", body_format=BodyFormat.TEXT)
    assert one.id == two.id == "https://news.example.org/articles/a/"


# --- draft, image, enclosure, body ------------------------------------------------------


def test_draft() -> None:
    assert normalise(draft=True)[0].draft is True
    assert normalise(draft=False)[0].draft is False


def test_image_resolves_against_the_article_link() -> None:
    assert normalise(image="pic.jpg")[0].image == "https://news.example.org/articles/a/pic.jpg"
    problem = refused(image="data:image/png;base64,AAAA")
    assert (problem.field, problem.message) == (
        "image",
        "is not an http(s) URL; write the image's address, absolute or relative to the article",
    )


def test_enclosure_length_defaults_to_zero() -> None:
    enclosure = normalise(enclosure={"url": "https://cdn.example/x.mp3", "type": "Audio/MPEG"})[
        0
    ].enclosure
    assert enclosure == Enclosure("https://cdn.example/x.mp3", "audio/mpeg", 0)


@pytest.mark.parametrize(
    ("enclosure", "field", "message"),
    [
        ({"type": "audio/mpeg"}, "enclosure.url",
         "is missing; enclosure: {url: /audio/show-12.mp3, type: audio/mpeg, length: 24986239}"),
        ({"url": "x.mp3"}, "enclosure.type",
         "is missing (RSS 2.0 requires it); "
         "enclosure: {url: /audio/show-12.mp3, type: audio/mpeg, length: 24986239}"),
        ({"url": "x.mp3", "type": "mp3"}, "enclosure.type",
         "is not a MIME type; write one such as audio/mpeg, video/mp4 or image/jpeg"),
        ({"url": "x.mp3", "type": "audio/mpeg", "length": -1}, "enclosure.length",
         "is not a size in bytes; write a whole number >= 0 (0 when unknown)"),
        ({"url": "x.mp3", "type": "audio/mpeg", "length": "12 MB"}, "enclosure.length",
         "is not a size in bytes; write a whole number >= 0 (0 when unknown)"),
        ({"url": "x.mp3", "type": "audio/mpeg", "length": True}, "enclosure.length",
         "is not a size in bytes; write a whole number >= 0 (0 when unknown)"),
        ({"url": "mailto:x@example.org", "type": "audio/mpeg"}, "enclosure.url",
         "is not an http(s) URL; "
         "enclosure: {url: /audio/show-12.mp3, type: audio/mpeg, length: 24986239}"),
    ],
)  # fmt: skip
def test_bad_enclosure(enclosure: dict[str, object], field: str, message: str) -> None:
    problem = refused(enclosure=enclosure)
    assert (problem.field, problem.message) == (field, message)


def test_body_loses_only_xml_illegal_characters() -> None:
    article, warnings = normalise(body="Para\x00graph\x0bnext <b>&nbsp;</b>\u202e")
    assert article.body == "Paragraph\nnext <b>&nbsp;</b>\u202e"
    assert warnings == (
        warning(
            "content/a.md",
            "body",
            None,
            "had 2 control character(s) XML 1.0 cannot carry; they were removed (vertical tab "
            "and form feed became line breaks): remove them from the source",
        ),
    )


def test_plain_text_reader_fields() -> None:
    raw = RawRecord(
        "content/phones/a.txt",
        {"date": "Friday, Jan 8, 2021, 14:30", "category": "Phones: Accessories",
         "title": "A Headline & <More>"},
        "First paragraph.",
        BodyFormat.TEXT,
        "a",
    )  # fmt: skip
    article, warnings = normalise_record(raw, make_config())
    assert warnings == ()
    assert (article.title, article.published, article.categories[0].label) == (
        "A Headline & <More>",
        datetime(2021, 1, 8, 14, 30, tzinfo=BERLIN),
        "Phones / Accessories",
    )


# --- resolve_site -----------------------------------------------------------------------


def article(source: str, **fields: Any) -> Article:
    slug = fields.pop("default_slug", source.rsplit("/", 1)[-1].split(".")[0])
    return normalise(source=source, default_slug=slug, **fields)[0]


def test_duplicate_slugs_are_an_error_and_neither_is_published() -> None:
    articles = [
        article("content/phones/news.md"),
        article("content/business/news.md"),
        article("content/other.md"),
    ]
    kept, problems = resolve_site(articles, make_config())
    assert [a.source for a in kept] == ["content/other.md"]
    assert problems == (
        Problem(
            "content/business/news.md",
            "slug",
            "news",
            "is also the slug of content/phones/news.md, so they share the link "
            "https://news.example.org/articles/news/; neither is published: give one of them "
            "another slug",
        ),
    )


def test_a_shared_link_is_an_error_even_when_the_ids_differ() -> None:
    """Every id unique, one link twice: `resolve_site` must still look for shared links
    (it skips the grouping only when neither ids nor links repeat)."""
    articles = [
        article("content/phones/news.md", id="phones-news"),
        article("content/business/news.md", id="business-news"),
        article("content/other.md", id="other"),
    ]
    assert len({a.id for a in articles}) == 3
    kept, problems = resolve_site(articles, make_config())
    assert [a.source for a in kept] == ["content/other.md"]
    assert [(p.source, p.field, p.value) for p in problems] == [
        ("content/business/news.md", "slug", "news")
    ]


def test_duplicate_ids_are_an_error() -> None:
    articles = [article("content/a.md", id="post-1"), article("content/b.md", id="post-1")]
    kept, problems = resolve_site(articles, make_config())
    assert kept == ()
    assert problems == (
        Problem(
            "content/a.md",
            "id",
            "urn:uuid:8b746287-0f23-5e83-b2d1-4a9b8ca705d2",
            "is also the id of content/b.md; an entry's id must be unique, so neither is "
            "published: give one of them another id (or slug)",
        ),
    )


def test_same_slug_on_different_dates_with_a_dated_permalink_is_fine() -> None:
    config = make_config(permalink="{url}{year}/{slug}/")
    articles = [
        normalise(config, source="content/2020/recap.md", default_slug="recap", date="2020-12-30")[
            0
        ],
        normalise(config, source="content/2021/recap.md", default_slug="recap", date="2021-12-30")[
            0
        ],
    ]
    kept, problems = resolve_site(articles, config)
    assert problems == ()
    assert [a.link for a in kept] == [
        "https://news.example.org/2020/recap/",
        "https://news.example.org/2021/recap/",
    ]


def test_resolve_site_also_resolves_categories() -> None:
    articles = [article("content/a.md", category="Café"), article("content/b.md", category="Cafe")]
    kept, problems = resolve_site(articles, make_config())
    assert kept == ()
    assert [(p.source, p.field, p.value) for p in problems] == [
        ("content/b.md", "category", "Cafe")
    ]


SOURCES = st.sampled_from([f"content/{n}.md" for n in "abcdefgh"])
RECORDS = st.fixed_dictionaries(
    {
        "slug": st.sampled_from(["one", "two", "three"]),
        "id": st.sampled_from([None, "x", "y"]),
        "category": st.sampled_from([None, "Phones", "phones", "Cafe", "Café", "Tech: Cafe"]),
        "date": st.sampled_from(["2021-01-08 14:30", "2022-05-01"]),
        "title": st.sampled_from(["First", "Second"]),
    }
)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(SOURCES, RECORDS, max_size=8), st.randoms())
def test_resolve_site_does_not_depend_on_input_order(
    records: dict[str, dict[str, Any]], random: Any
) -> None:
    config = make_config()
    articles = [normalise(config, source=source, **fields)[0] for source, fields in records.items()]
    shuffled = list(articles)
    random.shuffle(shuffled)
    first = resolve_site(articles, config)
    second = resolve_site(shuffled, config)
    assert first == second
    assert [[(c.term, c.label) for c in a.categories] for a in first[0]] == [
        [(c.term, c.label) for c in a.categories] for a in second[0]
    ]
    published = {a.source for a in first[0]}
    assert len({a.id for a in first[0]}) == len(published)  # ids are unique after resolving


def test_resolve_site_returns_articles_unchanged_when_nothing_to_do() -> None:
    one = article("content/a.md", category="Phones")
    kept, problems = resolve_site([one], make_config())
    assert kept == (one,) and problems == ()
    assert dataclasses.replace(kept[0]) == one


# --- any loaded value: an Article or a ContentError, never another exception ------------

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text()
    | st.sampled_from(["2021-01-08 14:30", "Phones: Accessories", "https://x.example/a", "../x"])
    | st.dates()
    | st.datetimes()
    | st.datetimes(timezones=st.just(ZoneInfo("UTC")))
)
VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["name", "email", "url", "type", "length"]), children)
    ),
    max_leaves=6,
)
FIELDS = st.dictionaries(
    st.sampled_from(
        ["title", "date", "updated", "category", "categories", "tags", "author", "authors",
         "summary", "slug", "id", "link", "draft", "image", "enclosure", "extra"]
    ),
    VALUES,
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(FIELDS, st.booleans(), st.text(), st.none() | st.text())
def test_any_record_gives_an_article_or_a_content_error(
    fields: dict[str, object], valid_start: bool, body: str, default_slug: str | None
) -> None:
    if valid_start:  # get past title and date to reach the later fields
        fields = {**fields, "title": "A title", "date": "2021-01-08 14:30"}
    raw = RawRecord("content/x.json", fields, body, BodyFormat.HTML, default_slug)
    try:
        article, warnings = normalise_record(raw, make_config())
    except ContentError as error:
        assert error.problem.source == "content/x.json"
        assert error.problem.level is Level.ERROR
        return
    assert article.title and article.published.tzinfo is not None
    assert article.link.startswith(("https://", "http://"))
    assert all(w.level is Level.WARNING for w in warnings)


# --- texts made once (issue 14): the same result for the same text, every record warned -----


def test_a_repeated_category_and_tag_warn_every_record_that_has_them() -> None:
    config = make_config()
    for source in ("content/a.md", "content/b.md"):
        article, problems = normalise(
            config, source=source, category="Pho\u200bnes", tags=["ba\u200btteries"]
        )
        assert article.categories[0].names == ("Phones",)
        assert article.tags == ("batteries",)
        assert [(p.source, p.field, p.level) for p in problems] == [
            (source, "category", Level.WARNING),
            (source, "tags", Level.WARNING),
        ]


def test_a_category_text_is_read_by_the_config_it_is_read_with() -> None:
    plain, aliased = make_config(), make_config({"Phones": {"aliases": ["Smartphones"]}})
    for _ in range(2):
        assert normalise(plain, category="Smartphones")[0].categories[0].names == ("Smartphones",)
        assert normalise(aliased, category="Smartphones")[0].categories[0].names == ("Phones",)


def test_a_category_text_that_is_refused_is_refused_every_time() -> None:
    deep = ": ".join(f"level{n}" for n in range(30))
    for source in ("content/a.md", "content/b.md"):
        problem = refused(source=source, category=deep)
        assert (problem.source, problem.field) == (source, "category")
        assert "levels" in problem.message
