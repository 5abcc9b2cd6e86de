"""Hostile and broken input (issue 5): the corpus in tests/corpus/hostile/ holds one content file
per case; `EXPECTED` below says what the build must do with each. Either the article is refused
with a Problem naming the file, the field and the value and saying what to do, while the rest
of the site publishes; or it is published and a reader (feedparser) sees the cleaned text.

Whatever the input: no traceback, every written feed passes site-mode validation, nothing is
written outside the output folder (and the cache folder), and YAML tags construct nothing.
Generated inputs too big to commit (a 20 MB article, 100,000 JSONL records) are built here.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest
from sites import feed_findings, refuse_in_lint

from feeds.build import BuildReport, build_site, validate_site
from feeds.config import load_config
from feeds.findings import Finding, Severity
from feeds.model import Level, Problem

CORPUS = Path(__file__).parent / "corpus" / "hostile"
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
NOW_TEXT = "2026-11-26T12:00:00Z"
SITE = "https://news.example.org/"
MARKER = "yaml-tag-ran"  # what the corpus's YAML tags would create if a loader obeyed them

# --- expected outcomes ---------------------------------------------------------------------


@dataclass(frozen=True)
class Refused:
    """One ERROR naming the file: `message` exact, or (exact=False) a substring of it."""

    field: str
    value: str | None
    message: str
    exact: bool = True
    warnings: tuple[tuple[str, str], ...] = ()  # (field, message substring)


@dataclass(frozen=True)
class RefusedWith:
    """Left out by a site-wide error reported under the other file `by` (a duplicate or a
    category collision names both files in one message)."""

    by: str


@dataclass(frozen=True)
class Published:
    """An entry in the site feed as a reader sees it; `content` is the entry's HTML."""

    title: str
    categories: tuple[str, ...] = ("Phones",)
    content: str = "<p>Body text.</p>"
    warnings: tuple[tuple[str, str], ...] = ()  # (field, message substring)
    published: str | None = None  # Atom <published>, when the case is about the date


@dataclass(frozen=True)
class Scheduled:
    """Accepted, dated after NOW: not in any feed yet, not a problem."""


Outcome = Refused | RefusedWith | Published | Scheduled

FRONT_FIX = "fix the front matter between the --- lines"
DATE_FIX = "write the full date, e.g. 2021-03-23 10:18"
TEXT_EXAMPLE = "'Friday, Jan 8, 2021, 14:30 Phones: Accessories'"
NOT_TEXT = (
    "is a list, not text; write it as text (in quotes if it looks like a number, date or "
    "true/false), e.g. title: '1984, again'"
)
NO_WORD = "with no letter, digit or emoji; name the category with words (':' separates levels)"
CP1252 = "read as Windows-1252; check its quotes and accented letters, and save the file as UTF-8"
WEB = ("Web",)
# uuid5 of site URL + "#" + the local id (normalise: RFC 4122 §4.3), computed with the stdlib.
POST_1 = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, SITE + '#post-1')}"

EXPECTED: dict[str, Outcome] = {
    "good.md": Published("An ordinary article", content="<p>Nothing wrong here.</p>"),
    # --- issue 18: TOML and Pelican front matter, Unix-time dates, WordPress exports ---
    "fm-toml-not-closed.md": Refused(
        "front matter",
        '+++\ntitle = "Never closed"\ndate = 2021-03-23T10:18:00+01:00\n\nBody text.\n',
        "the front matter is not closed; add a line '+++' after its last line",
    ),
    "fm-toml-key-twice.md": Refused(
        "front matter",
        'title = "Again"',
        "is not valid TOML (line 4, key 'title': Cannot overwrite a value: the key is given "
        "twice); fix the front matter between the +++ lines (text in double quotes, dates like "
        "2026-01-02T10:18:00+01:00, each key once)",
    ),
    "fm-pelican-key-twice.md": Refused(
        "front matter", "title", "is given twice; keep one line of each key"
    ),
    "date-epoch-year.json": Refused(
        "date",
        "2021",
        "is a number under 100,000,000: a number is read as Unix time (seconds or "
        "milliseconds since 1970-01-01 UTC), and one this small (before 1973-03-03 in "
        "seconds) is more likely a year or an id than a date; write the full date, e.g. "
        "2021-03-23 10:18",
    ),
    "wxr-not-well-formed.xml": Refused("file", "line 5", "is not well-formed XML (", exact=False),
    # --- front matter ---
    "fm-not-yaml.md": Refused(
        "front matter",
        "---\ntitle: [unclosed\ndate: 2021-03-23 10:18",
        "is not valid YAML (line 3: did not find expected ',' or ']'); " + FRONT_FIX,
    ),
    "fm-not-mapping.md": Refused(
        "front matter",
        "---\n- title\n- date",
        "is a list, not a mapping of keys; write one 'key: value' per line, such as 'title: ...'",
    ),
    "fm-not-closed.md": Refused(
        "front matter",
        "---\ntitle: Never closed\ndate: 2021-03-23 10:18\n\nBody text.\n",
        "the front matter is not closed; add a line '---' after its last line",
    ),
    "fm-python-tag.md": Refused(
        "front matter",
        "---\ntitle: !!python/object/apply:os.system ['touch yaml-tag-ran']\ndate: 2021-03…",
        "uses the YAML tag '!!python/object/apply:os.system' (line 2), which asks to construct "
        "an object; only plain values (text, numbers, dates, lists, mappings) are read, so "
        "remove the tag",
    ),
    "rec-python-tag.yaml": Refused(
        "file",
        "title: !!python/object/new:subprocess.Popen [['touch', 'yaml-tag-ran']]",
        "uses the YAML tag '!!python/object/new:subprocess.Popen' (line 1), which asks to "
        "construct an object",
        exact=False,
    ),
    # A billion-laughs alias tree where a title belongs: refused by type, never stringified.
    "fm-alias-bomb.md": Refused("title", "(a list of 9 items)", NOT_TEXT),
    # --- titles ---
    "title-missing.md": Refused("title", None, "is missing; give the article a title"),
    "title-empty.md": Refused("title", "", "is empty; give the article a title"),
    "title-only-invisible.md": Refused(
        "title", "\u200b \u202e \u2066", "is empty; give the article a title"
    ),
    "title-list.md": Refused("title", "(a list of 2 items)", NOT_TEXT),
    # --- dates ---
    "date-missing.md": Refused(
        "date",
        None,
        "is missing; add the publication date, e.g. date: 2021-03-23 10:18 (site time zone) "
        "or 2021-03-23T10:18:00+01:00",
    ),
    "date-empty.md": Refused(
        "date", "", "is empty; write the publication date, e.g. 2021-03-23 10:18"
    ),
    "date-unparseable.md": Refused(
        "date",
        "the day after the launch",
        "is not a date feeds can read; write it like 2021-03-23 10:18 or "
        "Tue, 23 Mar 2021 10:18:00 +0100",
    ),
    # dates.dayfirst is false in the corpus config: month first (test_ambiguous_date_...).
    "date-ambiguous.md": Published(  # issue 11: published month first, with a warning
        "Ambiguous numeric date",
        published="2021-03-04T09:00:00Z",
        warnings=(("date", "reads two ways: read month first as 2021-03-04"),),
    ),
    "date-month-13.md": Refused(
        "date",
        "13/04/2021",
        "reads as month 13 (dates.dayfirst is false); if this source writes the day first, "
        "set dates.dayfirst: true, or write the date as 2021-04-13",
    ),
    "date-year-0.md": Refused(
        "date",
        "0000-06-01",
        "has the year 0, outside 1000-9999 (feeds need a four-digit year); " + DATE_FIX,
    ),
    "date-1-bc.md": Refused("date", "1 January 1 BC", "is before the year 1000; " + DATE_FIX),
    "date-year-10000.md": Refused(
        "date", "10000-01-01", "has the year 10000, outside 1000-9999", exact=False
    ),
    "date-year-9999.md": Scheduled(),
    # Berlin's local mean time then was +00:53:28; feeds carry whole minutes, so UTC is shown.
    "date-year-1000.md": Published("Year 1000", published="1000-06-01T11:06:32Z"),
    # 00:10 local mean time (+00:53:28) is 0999-12-31 23:16:32 in UTC, as the feeds write it.
    "date-year-1000-lmt.md": Refused(
        "date",
        "1000-01-01 00:10",
        "falls outside the years 1000-9999 once written in a feed (in UTC, as the site time "
        "zone's offset then was not whole minutes); write a date inside those years, e.g. "
        "2021-03-23 10:18",
    ),
    "date-relative.md": Refused("date", "yesterday", "is relative ('yesterday'); " + DATE_FIX),
    "date-offset-25h.md": Refused(
        "date",
        "2021-03-23T10:18:00+25:00",
        "has an offset +25:00 that no place uses (offsets run from -18:00 to +18:00 in whole "
        "minutes); write the real offset, e.g. 2021-03-23 10:18 +01:00",
    ),
    # Unquoted, YAML itself reads it as a timestamp and fails: the front matter is blamed.
    "date-offset-25h-yaml.md": Refused(
        "front matter",
        "---\ntitle: Offset of 25 hours, unquoted\ndate: 2021-03-23T10:18:00+25:00\ncategor…",
        "is not valid YAML (a value cannot be read: offset must be a timedelta",
        exact=False,
    ),
    "date-offset-minutes.md": Refused(
        "date", "Tue, 23 Mar 2021 10:18:00 +0575", "has an offset +05:75 that no place uses", False
    ),
    "date-unknown-zone.md": Refused(
        "date",
        "Tue, 23 Mar 2021 10:18:00 XYZ",
        "has an unknown time zone 'XYZ'; write a numeric offset, e.g. 2021-03-23 10:18 +01:00",
    ),
    "date-iana-zone.md": Refused(
        "date", "2021-03-23 10:18 Europe/Atlantis", "is not a date feeds can read", exact=False
    ),
    "date-ambiguous-zone.md": Refused(
        "date",
        "Tue, 23 Mar 2021 10:18:00 IST",
        "has the time zone IST, which names several zones (India +05:30, Ireland +01:00 or "
        "Israel +02:00); write a numeric offset, e.g. 2021-03-23 10:18 +05:30",
    ),
    # --- plain text ---
    "text-no-header.txt": Refused(
        "date",
        "A Headline Without Its Date Line",
        f"the first line does not start with a date; start the file with a line such as "
        f"{TEXT_EXAMPLE} (date, time, then the category)",
    ),
    "text-no-category.txt": Refused(
        "category",
        "Friday, Jan 8, 2021, 14:30",
        f"the date line names no category; put it after the date, as in {TEXT_EXAMPLE}",
    ),
    "text-punctuation-category.txt": Refused("category", "?!", f"has a level '?!' {NO_WORD}"),
    "text-no-title.txt": Refused(
        "title", None, "there is no title; put the headline on the line after the date line"
    ),
    # --- encodings and line ends ---
    "enc-latin1.txt": Published(
        "Café crème, naïve",
        categories=("Cafés",),
        content="<p>Été à Zürich.</p>",
        warnings=(("file", "is not UTF-8 (byte 0xE9 on line 1); " + CP1252),),
    ),
    "enc-cp1252.md": Published(
        "“Curly” quotes – it’s Word",
        content="<p>“Quoted” body…</p>",
        warnings=(("file", "is not UTF-8 (byte 0x93 on line 2); " + CP1252),),
    ),
    "enc-utf16-bom.md": Published("UTF-16 with a BOM, Ünïcödé"),
    "enc-utf8-bom.md": Published("UTF-8 with a BOM"),
    "enc-crlf.txt": Published(
        "Windows line ends", content="<p>First line second line.</p>\n<p>Second paragraph.</p>"
    ),
    "enc-lone-cr.txt": Published(
        "Classic Mac line ends", content="<p>First paragraph.</p>\n<p>Second paragraph.</p>"
    ),
    "enc-invalid-utf8.md": Published(
        "Invalid UTF-8",
        content="<p>Bytes ÿþ here.</p>",
        warnings=(("file", "is not UTF-8 (byte 0xFF on line 6); " + CP1252),),
    ),
    # --- control characters: dropped, with a warning naming the code points ---
    "ctrl-nul-md.md": Published(
        "Nul and bell in the title",
        content="<p>Body with a  NUL and a  bell.</p>",
        warnings=(
            ("title", "removed 2 control character(s) XML 1.0 cannot carry (U+0000, U+0007)"),
            ("category", "removed 1 control character(s) XML 1.0 cannot carry (U+0000)"),
            ("body", "had 2 control character(s) XML 1.0 cannot carry; they were removed"),
        ),
    ),
    "ctrl-text.txt": Published(
        "Esc, del and C1 title",
        content="<p>Body.</p>",
        warnings=(
            ("title", "removed 1 control character(s) XML 1.0 cannot carry (U+001B)"),
            ("title", "removed 2 DEL/C1 control character(s) (U+007F, U+0085)"),
            ("category", "removed 2 control character(s) XML 1.0 cannot carry (U+0000, U+001B)"),
            ("body", "had 1 control character(s) XML 1.0 cannot carry"),
        ),
    ),
    # Bidi overrides/isolates and zero-width space go; ZWJ (emoji family) and ZWNJ (Persian) stay.
    "ctrl-bidi-zero-width.md": Published(
        "Zerowidth evil iso family 👨\u200d👩\u200d👧 می\u200cخواهم",
        warnings=(
            ("title", "removed 4 bidi embedding/override/isolate control(s) (U+202C, U+202E, "),
            ("title", "removed 1 invisible zero-width character(s) (U+200B)"),
        ),
    ),
    # --- very long ---
    "long-title.md": Published(
        "word " * 59 + "word…",
        warnings=(("title", "is 1,499 characters long (over 1,000) and was cut to 300"),),
    ),
    "long-title-one-word.md": Published(
        "x" * 299 + "…",
        warnings=(("title", "is 1,200 characters long (over 1,000) and was cut to 300"),),
    ),
    "long-category.md": Refused(
        "category",
        "c" * 79 + "…",
        "has a level of 1200 characters; a category name has at most 200: shorten it",
    ),
    # --- category names: the name is shown as written, the slug is a safe path segment ---
    "cat-dotdot-etc.md": Published("Category ../../etc", categories=("../../etc",)),
    "cat-slash.md": Refused("category", "/", f"has a level '/' {NO_WORD}"),
    "cat-dot.md": Refused("category", ".", f"has a level '.' {NO_WORD}"),
    "cat-script.md": Published("Category script", categories=("<script>alert(1)</script>",)),
    "cat-emoji.md": Published("Category emoji", categories=("📱",)),
    "cat-rtl.md": Published("Category right-to-left", categories=("أخبار",)),
    "cat-collide-a.md": RefusedWith("cat-collide-b.md"),
    "cat-collide-b.md": Refused(
        "category",
        "Cafe",
        "different categories 'Cafe' (in content/cat-collide-b.md) and 'Café' (in "
        "content/cat-collide-a.md) would share the slug path 'cafe'; rename one, or merge "
        "them by listing one as an alias of the other under categories: in the config; until "
        "then the 2 articles are not published",
    ),
    # --- explicit slugs that would climb out of a folder ---
    "slug-escape.md": Refused(
        "slug",
        "../../etc/passwd",
        "starts with '.', which web servers hide; use letters, digits and '-', e.g. "
        "slug: new-phone-review",
    ),
    "slug-absolute.json": Refused(
        "slug", "/etc/passwd", "contains a slash; a slug is one path segment", exact=False
    ),
    # --- duplicates across files: neither is published ---
    "dup-id-a.md": Refused(
        "id",
        POST_1,
        "is also the id of content/dup-id-b.md; an entry's id must be unique, so neither is "
        "published: give one of them another id (or slug)",
    ),
    "dup-id-b.md": RefusedWith("dup-id-a.md"),
    "dup-slug-a.md": Refused(
        "slug",
        "same-slug",
        "is also the slug of content/dup-slug-b.json, so they share the link "
        f"{SITE}articles/same-slug/; neither is published: give one of them another slug",
    ),
    "dup-slug-b.json": RefusedWith("dup-slug-a.md"),
    # --- HTML bodies: what survives the sanitiser ---
    "html-script.json": Published(
        "HTML script", categories=WEB, content="<p>Before</p><p>After</p>"
    ),
    "html-style.json": Published("HTML style", categories=WEB, content="<p>Styled</p>"),
    "html-iframe.json": Published("HTML iframe", categories=WEB, content="<p>Watch</p>"),
    "html-form.json": Published("HTML form", categories=WEB, content="<p>After the form</p>"),
    "html-svg-math.json": Published("HTML svg and math", categories=WEB, content="<p>Shapes</p>"),
    "html-on-attributes.json": Published(
        "HTML on* attributes",
        categories=WEB,
        content=f'<p>Click</p><img src="{SITE}a.png" alt="A">',
    ),
    "html-javascript-data-urls.json": Published(
        "HTML javascript and data URLs",
        categories=WEB,
        content='<p><a>js</a> <a>js2</a> <a>data</a> <img alt="pixel"></p>',
    ),
    "html-misnested.json": Published(
        "HTML mis-nested",
        categories=WEB,
        content="<p><b>bold <i>both</i></b><i> italic</i></p><div>unclosed <span>x</span></div>",
    ),
    # &nbsp; and &hellip; become the characters; an unknown entity stays visible text.
    "html-entities.json": Published(
        "HTML entities",
        categories=WEB,
        content="<p>A\xa0B … — © &amp;bogus; &amp; &lt;</p>",
    ),
    # --- links: absolute kept, protocol-relative and relative resolved against the permalink ---
    "links-html.json": Published(
        "HTML links",
        categories=WEB,
        content=(
            '<p><a href="https://other.example/x">abs</a> <a href="https://cdn.example/y">'
            f'proto</a> <a href="{SITE}articles/links-html/#part-2">frag</a> '
            '<a href="mailto:desk@example.org">mail</a> '
            f'<a href="{SITE}articles/links-html/photos/1">rel</a> '
            f'<a href="{SITE}about/">root</a></p>'
        ),
    ),
    "links-markdown.md": Published(
        "Markdown links",
        categories=WEB,
        content=(
            '<p><a href="https://other.example/x">abs</a> <a href="https://cdn.example/y">'
            f'proto</a> <a href="{SITE}articles/links-markdown/#part-2">frag</a> '
            '<a href="mailto:desk@example.org">mail</a> '
            f'<a href="{SITE}articles/links-markdown/photos/1">rel</a> '
            '<a href="https://auto.example/z">https://auto.example/z</a></p>'
        ),
    ),
}

# Category feeds the published cases call for, by slug (hashed slugs: `c-` or the ASCII part,
# then the first 8 hex digits of sha256 of the name; the layout is public, so pinned here).
CATEGORY_FEEDS = {
    "phones",
    "web",
    "cafes",
    "etc",
    "script-alert-1-script-5c140d35",
    "c-2566561f",  # 📱
    "c-89184791",  # أخبار
}
SUFFIXES = (".rss.xml", ".atom.xml", ".html")  # each feed in RSS and Atom, and its HTML page

# --- helpers ---------------------------------------------------------------------------------


def copy_site(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target / "config.yaml"


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` (hidden ones too), by relative path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def parse(data: bytes) -> Any:
    return feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)


def entries_by_link(feed: Any) -> dict[str, Any]:
    return {entry.link: entry for entry in feed.entries}


def link_of(name: str) -> str:
    return f"{SITE}articles/{Path(name).stem}/"


def errors_of(findings: list[Finding]) -> list[str]:
    return [str(f) for f in findings if f.level is Severity.ERROR]


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "feeds", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        timeout=120,
    )


@dataclass
class Built:
    root: Path  # holds site/ and a sibling outside/ that nothing may touch
    site: Path
    report: BuildReport
    before: dict[str, bytes]  # the whole tree before the build
    atom: Any
    rss: Any

    def problems(self, name: str) -> list[Problem]:
        return [p for p in self.report.problems if p.source == f"content/{name}"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    root = tmp_path_factory.mktemp("hostile")
    (root / "outside").mkdir()
    (root / "outside" / "untouched.txt").write_text("nothing may write here\n")
    config_path = copy_site(CORPUS, root / "site")
    before = tree(root)
    with pytest.MonkeyPatch.context() as patch:
        # A YAML tag that ran would `touch yaml-tag-ran` in the working folder: make it the site.
        patch.chdir(root / "site")
        report = build_site(load_config(config_path), now=NOW)
    output = root / "site" / "public" / "feeds"
    yield Built(
        root=root,
        site=root / "site",
        report=report,
        before=before,
        atom=parse((output / "all.atom.xml").read_bytes()),
        rss=parse((output / "all.rss.xml").read_bytes()),
    )


# --- the corpus, case by case ----------------------------------------------------------------


def test_every_corpus_file_has_an_expected_outcome() -> None:
    files = {p.name for p in (CORPUS / "content").iterdir()}
    assert files == set(EXPECTED)


REFUSED = sorted(name for name, outcome in EXPECTED.items() if isinstance(outcome, Refused))
PUBLISHED = sorted(name for name, outcome in EXPECTED.items() if isinstance(outcome, Published))
LEFT_OUT = sorted(name for name, outcome in EXPECTED.items() if isinstance(outcome, RefusedWith))


@pytest.mark.parametrize("name", REFUSED)
def test_a_refused_case_names_file_field_and_value(corpus: Built, name: str) -> None:
    expected = EXPECTED[name]
    assert isinstance(expected, Refused)
    problems = corpus.problems(name)
    errors = [p for p in problems if p.level is Level.ERROR]
    assert len(errors) == 1, errors
    (error,) = errors
    assert (error.field, error.value) == (expected.field, expected.value)
    if expected.exact:
        assert error.message == expected.message
    else:
        assert expected.message in error.message
    warnings = [(p.field, p.message) for p in problems if p.level is Level.WARNING]
    assert len(warnings) == len(expected.warnings)
    for (field, message), (want_field, want) in zip(warnings, expected.warnings, strict=True):
        assert field == want_field and want in message
    assert link_of(name) not in entries_by_link(corpus.atom)


@pytest.mark.parametrize("name", LEFT_OUT)
def test_the_partner_of_a_duplicate_or_collision_is_left_out_and_named(
    corpus: Built, name: str
) -> None:
    expected = EXPECTED[name]
    assert isinstance(expected, RefusedWith)
    assert corpus.problems(name) == []
    (error,) = [p for p in corpus.problems(expected.by) if p.level is Level.ERROR]
    assert f"content/{name}" in error.message
    assert link_of(name) not in entries_by_link(corpus.atom)
    if name.endswith(".json"):  # dup-slug-b.json shares the slug `same-slug`
        assert f"{SITE}articles/same-slug/" not in entries_by_link(corpus.atom)


@pytest.mark.parametrize("name", PUBLISHED)
def test_a_published_case_shows_readers_the_cleaned_text(corpus: Built, name: str) -> None:
    expected = EXPECTED[name]
    assert isinstance(expected, Published)
    entry = entries_by_link(corpus.atom)[link_of(name)]
    assert entry.title == expected.title
    assert entries_by_link(corpus.rss)[link_of(name)].title == expected.title
    assert [tag.label for tag in entry.tags if tag.scheme == f"{SITE}categories"] == list(
        expected.categories
    )
    assert entry.content[0].value == expected.content
    if expected.published is not None:
        assert entry.published == expected.published
    problems = corpus.problems(name)
    assert all(p.level is Level.WARNING for p in problems), problems
    assert len(problems) == len(expected.warnings), problems
    for problem, (field, message) in zip(problems, expected.warnings, strict=True):
        assert problem.field == field and message in problem.message


def test_the_site_publishes_exactly_the_accepted_cases(corpus: Built) -> None:
    assert corpus.report.articles == len(PUBLISHED) == 30
    assert set(entries_by_link(corpus.atom)) == {link_of(name) for name in PUBLISHED}
    assert [a.source for a in corpus.report.scheduled] == ["content/date-year-9999.md"]
    assert corpus.report.refused == ()
    assert corpus.report.publish.failed == ()
    # Every problem belongs to a case that expects one.
    expecting = {
        f"content/{name}"
        for name, outcome in EXPECTED.items()
        if not isinstance(outcome, Published) or outcome.warnings
    }
    assert {p.source for p in corpus.report.problems} <= expecting


def test_every_written_feed_validates_in_site_mode(corpus: Built) -> None:
    config = load_config(corpus.site / "config.yaml")
    assert feed_findings(validate_site(config, now=NOW)) == []
    assert corpus.report.findings == ()
    feeds = {p.name for p in (corpus.site / "public" / "feeds" / "category").iterdir()}
    assert feeds == {f"{slug}{suffix}" for slug in CATEGORY_FEEDS for suffix in SUFFIXES}


def test_nothing_is_written_outside_the_output_and_cache_folders(corpus: Built) -> None:
    after = tree(corpus.root)
    new_or_changed = {path for path, data in after.items() if corpus.before.get(path) != data}
    assert all(p.startswith(("site/public/", "site/.feeds/")) for p in new_or_changed), sorted(
        new_or_changed
    )
    assert all(after.get(path) == data for path, data in corpus.before.items())
    published = {p.removeprefix("site/public/") for p in after if p.startswith("site/public/")}
    assert published == {".feeds-owned.json", "index.html", "feeds.opml"} | {
        f"feeds/all{suffix}" for suffix in SUFFIXES
    } | {f"feeds/category/{slug}{suffix}" for slug in CATEGORY_FEEDS for suffix in SUFFIXES}


def test_no_markup_from_the_input_reaches_any_output_file_unescaped(corpus: Built) -> None:
    for path in (corpus.site / "public").rglob("*"):
        if path.is_file():
            data = path.read_bytes().lower()
            for bad in (b"<script", b"<iframe", b"<svg", b"<form", b"onerror=", b"onclick="):
                assert bad not in data, (path, bad)


def test_yaml_tags_construct_nothing(corpus: Built) -> None:
    assert not (corpus.site / MARKER).exists()
    assert not Path(MARKER).exists()


def test_the_cli_reports_every_refusal_and_exits_1_without_a_traceback(tmp_path: Path) -> None:
    config = copy_site(CORPUS, tmp_path / "site")
    result = run_cli("build", "--config", str(config), "--now", NOW_TEXT, cwd=tmp_path / "site")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for name in REFUSED:
        outcome = EXPECTED[name]
        assert isinstance(outcome, Refused)
        assert f"error: content/{name}: {outcome.field}" in result.stderr
    assert "feeds: 76 files (76 read), 30 articles published, 0 drafts, 1 scheduled" in (
        result.stdout
    )
    assert not (tmp_path / "site" / MARKER).exists()


# --- settings that change the outcome --------------------------------------------------------


@pytest.mark.parametrize(
    ("dayfirst", "published"),
    # 10:00 Berlin time, written in UTC (Atom, issue 13)
    [("false", "2021-03-04T09:00:00Z"), ("true", "2021-04-03T08:00:00Z")],
)
def test_an_ambiguous_numeric_date_follows_dates_dayfirst(
    tmp_path: Path, dayfirst: str, published: str
) -> None:
    config = make_site(tmp_path, {"date-ambiguous.md": (CORPUS / "content" / "date-ambiguous.md")})
    text = config.read_text().replace("dayfirst: false", f"dayfirst: {dayfirst}")
    config.write_text(text)
    report = build_site(load_config(config), now=NOW)
    assert report.errors == ()
    entry = entries_by_link(parse(atom_bytes(tmp_path)))[link_of("date-ambiguous.md")]
    assert entry.published == published


def test_a_day_first_date_in_a_day_first_site_reads_as_written(tmp_path: Path) -> None:
    config = make_site(tmp_path, {"date-month-13.md": CORPUS / "content" / "date-month-13.md"})
    config.write_text(config.read_text().replace("dayfirst: false", "dayfirst: true"))
    report = build_site(load_config(config), now=NOW)
    assert report.errors == ()
    entry = entries_by_link(parse(atom_bytes(tmp_path)))[link_of("date-month-13.md")]
    assert entry.published == "2021-04-12T22:00:00Z"  # midnight in Berlin (CEST)


def test_a_time_zone_that_does_not_exist_is_a_config_error(tmp_path: Path) -> None:
    config = make_site(tmp_path, {})
    config.write_text(config.read_text().replace("Europe/Berlin", "Europe/Atlantis"))
    result = run_cli("build", "--config", "config.yaml", "--now", NOW_TEXT, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "feeds: config error in config.yaml: site.timezone 'Europe/Atlantis': "
        "is not an IANA time zone name (e.g. Europe/Berlin)\n"
    )
    assert not (tmp_path / "public").exists()


def test_a_control_character_in_the_config_is_a_config_error(tmp_path: Path) -> None:
    config = make_site(tmp_path, {})
    config.write_text(config.read_text().replace("title: Hostile Input", 'title: "Bad\\x01title"'))
    result = run_cli("build", "--config", "config.yaml", "--now", NOW_TEXT, cwd=tmp_path)
    assert "Traceback" not in result.stderr
    assert result.returncode == 2
    assert result.stderr.startswith(
        "feeds: config error in config.yaml: site.title 'Bad\\x01title'"
    )


def make_site(root: Path, files: dict[str, Path | bytes | str]) -> Path:
    """The corpus config in `root` and `content/` holding the good article plus `files`."""
    shutil.copy(CORPUS / "config.yaml", root / "config.yaml")
    content = root / "content"
    content.mkdir()
    shutil.copy(CORPUS / "content" / "good.md", content / "good.md")
    for name, data in files.items():
        if isinstance(data, Path):
            data = data.read_bytes()
        if isinstance(data, str):
            data = data.encode("utf-8")
        (content / name).write_bytes(data)
    return root / "config.yaml"


def atom_bytes(root: Path) -> bytes:
    return (root / "public" / "feeds" / "all.atom.xml").read_bytes()


# --- generated: too big to commit ------------------------------------------------------------


def test_a_20_mb_article_is_refused_by_name_and_the_rest_publishes(tmp_path: Path) -> None:
    paragraph = "All work and no play makes a very long article. " * 20 + "\n\n"
    body = paragraph * (20_000_000 // len(paragraph) + 1)
    article = "---\ntitle: Huge\ndate: 2021-03-24 10:18\ncategory: Phones\n---\n" + body
    config = make_site(tmp_path, {"huge.md": article})
    report = build_site(load_config(config), now=NOW)
    assert report.problems == (
        Problem(
            "content/huge.md",
            "body",
            "All work and no play makes a very long article. All work and no play makes a ve…",
            f"is {len(body):,} characters long; a feed entry carries at most 1,000,000 "
            "(feed readers and XML parsers refuse bigger ones): shorten it, or publish a "
            "summary that links to the full text",
        ),
    )
    assert report.articles == 1
    assert report.refused == () and report.findings == ()
    assert set(entries_by_link(parse(atom_bytes(tmp_path)))) == {link_of("good.md")}
    assert errors_of(feed_findings(validate_site(load_config(config), now=NOW))) == []


def test_an_article_just_under_the_body_limit_is_published(tmp_path: Path) -> None:
    body = ("x" * 99 + "\n") * 9_999  # 999,900 characters
    config = make_site(tmp_path, {"big.txt": f"Friday, Jan 8, 2021, 14:30 Phones\n\nBig\n\n{body}"})
    report = build_site(load_config(config), now=NOW)
    assert report.errors == () and report.refused == ()
    assert report.articles == 2
    assert errors_of(feed_findings(validate_site(load_config(config), now=NOW))) == []


def test_an_article_whose_html_is_too_big_is_refused_alone(tmp_path: Path) -> None:
    # 420,000 characters of `[a](b) `: each link becomes <a href="{permalink}b">a</a> with a
    # 230-character permalink, so the HTML is about 15 MB.
    front = "---\ntitle: Amplified\ndate: 2021-03-24 10:18\ncategory: Phones\nslug: " + "s" * 190
    config = make_site(tmp_path, {"amplified.md": front + "\n---\n" + "[a](b) " * 60_000})
    report = build_site(load_config(config), now=NOW)
    assert [p.source for p in report.errors] == ["content/amplified.md"]
    assert set(entries_by_link(parse(atom_bytes(tmp_path)))) == {link_of("good.md")}


def test_pages_never_advertise_a_feed_that_was_not_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_site(tmp_path, {"web.md": EXPECTED_WEB_ARTICLE})
    refuse_in_lint(monkeypatch, "feeds/category/web.")
    report = build_site(load_config(config), now=NOW)
    assert sorted(report.refused) == [
        "feeds/category/web.atom.xml",
        "feeds/category/web.rss.xml",
    ]
    public = tmp_path / "public"
    for page in ("index.html", "feeds.opml"):
        assert b"feeds/category/web." not in (public / page).read_bytes()
    assert not (public / "feeds" / "category" / "web.html").exists()


EXPECTED_WEB_ARTICLE = "---\ntitle: On the web\ndate: 2021-03-24 10:18\ncategory: Web\n---\nx\n"


@pytest.mark.slow
def test_100_000_jsonl_records_with_a_few_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "slug": f"rec-{i}",
                "title": f"Record {i}",
                "date": f"2021-{1 + i % 12:02d}-{1 + i % 28:02d} 10:{i % 60:02d}",
                "category": f"Topic {i % 10}",
                "body": f"Body of record {i}.",
            }
        )
        for i in range(100_000)
    ]
    lines[10] = '{"slug": "broken", "title": '
    lines[500] = "not json at all"
    lines[50_000] = json.dumps({"slug": "no-date", "title": "No date"})
    lines[99_999] = "[1, 2, 3]"
    lines[77_777] = lines[77_777].replace("2021-06-22 10:17", "2022-01-01 00:00")
    config = make_site(tmp_path, {"records.jsonl": "\n".join(lines) + "\n"})
    report = build_site(load_config(config), now=NOW)
    source = "content/records.jsonl"
    assert sorted(report.problems, key=lambda p: int(p.source.rsplit(":", 1)[1])) == [
        Problem(
            f"{source}:11",
            "record",
            '{"slug": "broken", "title":',
            "is not valid JSON (Expecting value at column 29); fix or remove this line "
            "(each line holds one JSON object)",
        ),
        Problem(
            f"{source}:501",
            "record",
            "not json at all",
            "is not valid JSON (Expecting value at column 1); fix or remove this line "
            "(each line holds one JSON object)",
        ),
        Problem(
            f"{source}:50001",
            "date",
            None,
            "is missing; add the publication date, e.g. date: 2021-03-23 10:18 (site time "
            "zone) or 2021-03-23T10:18:00+01:00",
        ),
        Problem(
            f"{source}:100000",
            "record",
            "[1, 2, 3]",
            "is a list, not a record; write a mapping of keys such as 'title', 'date', "
            "'category' and 'body'",
        ),
    ]
    assert report.articles == 1 + 100_000 - 4
    assert report.refused == () and report.findings == ()
    feed = parse(atom_bytes(tmp_path))
    assert len(feed.entries) == 200  # feeds.max_items in the corpus config
    assert feed.entries[0].title == "Record 77777"  # the one dated 2022, newest first
    category = tmp_path / "public" / "feeds" / "category"
    assert sorted(p.name for p in category.glob("*.atom.xml")) == sorted(
        [f"topic-{n}.atom.xml" for n in range(10)] + ["phones.atom.xml"]
    )
    assert errors_of(feed_findings(validate_site(load_config(config), now=NOW))) == []


# --- security --------------------------------------------------------------------------------


def test_output_paths_cannot_follow_a_symbolic_link_out_of_the_output_folder(
    tmp_path: Path,
) -> None:
    config = make_site(tmp_path, {})
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "public" / "feeds").mkdir(parents=True)
    os.symlink(outside, tmp_path / "public" / "feeds" / "category")
    result = run_cli("build", "--config", str(config), "--now", NOW_TEXT)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        "error: feeds/category/phones.atom.xml: 'feeds/category/phones.atom.xml': leads "
        f"outside {tmp_path / 'public'} through a symbolic link: remove the link"
    ) in result.stderr
    assert list(outside.iterdir()) == []
    assert (tmp_path / "public" / "feeds" / "all.atom.xml").is_file()


SECRET = "TOP-SECRET-3f9a"
XXE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE rss [
  <!ENTITY leak SYSTEM "file://{secret}">
]>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>&leak;</title>
    <link>https://news.example.com/</link>
    <description>News</description>
    <atom:link href="https://news.example.com/feed.rss" rel="self" type="application/rss+xml"/>
  </channel>
</rss>
"""
XXE_PARAMETER = """<?xml version="1.0"?>
<!DOCTYPE feed [
  <!ENTITY % leak SYSTEM "file://{secret}">
  %leak;
]>
<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>
"""


def billion_laughs() -> str:
    entities = ['<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10)
    ]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n' + "\n".join(entities) + "\n]>\n"
        '<rss version="2.0"><channel><title>&l9;</title><link>https://e.example/</link>'
        "<description>d</description></channel></rss>\n"
    )


def quadratic_blowup() -> str:
    # One 100 KB entity used 10,000 times: no nesting, 1 GB once expanded.
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "{"a" * 100_000}">]>\n'
        f'<rss version="2.0"><channel><title>{"&a;" * 10_000}</title></channel></rss>\n'
    )


def test_feeds_validate_expands_no_entity_and_reads_no_local_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET + "\n")
    files = {
        "xxe.xml": XXE.format(secret=secret),
        "xxe-parameter.xml": XXE_PARAMETER.format(secret=secret),
        "billion-laughs.xml": billion_laughs(),
        "quadratic.xml": quadratic_blowup(),
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    result = run_cli("validate", "--format", "json", *(str(tmp_path / name) for name in files))
    assert result.returncode == 1
    assert SECRET not in result.stdout + result.stderr
    assert "lol" * 10 not in result.stdout and "a" * 1000 not in result.stdout
    assert len(result.stdout) < 20_000
    findings = json.loads(result.stdout)
    rules = {(Path(f["file"]).name, f["rule"]) for f in findings if f["level"] == "error"}
    assert ("xxe.xml", "ContainsSystemEntity") in rules
    assert ("xxe-parameter.xml", "ContainsSystemEntity") in rules
    assert ("billion-laughs.xml", "EntityDeclaration") in rules
    assert ("quadratic.xml", "EntityDeclaration") in rules
