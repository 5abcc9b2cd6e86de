"""Properties of whole builds over generated input (issue 5): whatever the articles say, and
whatever bytes a content file holds, the build never raises, every feed it writes validates in
site mode, and every article is either published as written (its cleaned title, under its id),
scheduled, or refused with an error that names it.

Each example is a real build of a small site in a scratch folder; the budget is set so the whole
file runs in well under a minute.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from sites import feed_findings

from feeds.build import BuildReport, build_site, validate_site
from feeds.config import load_config
from feeds.findings import Severity
from feeds.model import Level
from feeds.textclean import clean_text

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
CONFIG = """\
site:
  title: Property Site
  url: https://news.example.org/
  description: Generated articles
  language: en
  timezone: Europe/Berlin
  author: {name: Example Newsroom, email: newsroom@example.org}
feeds:
  max_items: 1000
"""
GOOD = "---\ntitle: The control article\ndate: 2021-03-23 10:18\ncategory: Phones\n---\nFine.\n"
GOOD_LINK = "https://news.example.org/articles/good/"

# XML 1.0 §2.2 excluded characters, and the bidi controls titles must not carry.
ILLEGAL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]"
)

PROFILE = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@contextmanager
def site(files: dict[str, bytes]) -> Iterator[Path]:
    """A scratch site holding the control article and `files`; yields its config path."""
    with tempfile.TemporaryDirectory(prefix="feeds-prop-") as folder:
        root = Path(folder)
        (root / "config.yaml").write_text(CONFIG)
        content = root / "content"
        content.mkdir()
        (content / "good.md").write_text(GOOD)
        for name, data in files.items():
            (content / name).write_bytes(data)
        yield root / "config.yaml"


ATOM = "{http://www.w3.org/2005/Atom}"


def build_and_validate(config_path: Path) -> tuple[BuildReport, dict[str, str]]:
    """Build (must not raise) and validate in site mode (no errors); returns the report and
    the site Atom feed's entries as id -> title text, exactly as the file carries them (not
    through feedparser, which "repairs" text that looks like UTF-8 read as Latin-1)."""
    config = load_config(config_path)
    report = build_site(config, now=NOW)
    errors = [
        str(f) for f in feed_findings(validate_site(config, now=NOW)) if f.level is Severity.ERROR
    ]
    assert errors == []
    assert not [f for f in report.findings if f.level is Severity.ERROR]
    assert report.refused == () and report.publish.failed == ()
    data = (config.output_dir / "feeds" / "all.atom.xml").read_bytes()
    assert not feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False).bozo
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    return report, {
        entry.findtext(f"{ATOM}id"): entry.findtext(f"{ATOM}title")
        for entry in root.iter(f"{ATOM}entry")
    }


# --- generated articles ------------------------------------------------------------------

# Characters that have broken feeds somewhere: markup, entities, controls (XML-illegal ones
# too), bidi and zero-width controls, ZWJ/ZWNJ, emoji, right-to-left and combining letters.
AWKWARD = [
    *"<>&\"';:/.#%\\ \t\n\r",
    "&amp;", "&nbsp;", "]]>", "<script>", "\x00", "\x07", "\x1b", "\x7f", "\x85", "\ufeff",
    "\u200b", "\u200c", "\u200d", "\u202e", "\u2066", "\u2028", "\ufffd", "\uffff", "🙂",
    "👨\u200d👩\u200d👧", "é", "e\u0301", "ß", "İ", "أخبار", "日本", "\U0001d54f",
]  # fmt: skip
text = st.lists(
    st.one_of(st.sampled_from(AWKWARD), st.characters(blacklist_categories=("Cs",))),
    max_size=40,
).map("".join)
# JSON can also carry lone surrogates ("\ud800"), which no UTF-8 file can.
json_text = st.lists(
    st.one_of(st.sampled_from(AWKWARD), st.characters(), st.just("\ud800")), max_size=40
).map("".join)


@dataclass(frozen=True)
class Date:
    year: int
    month: int
    day: int
    hour: int
    offset: int  # minutes east of UTC

    def text(self) -> str:
        sign = "-" if self.offset < 0 else "+"
        hours, minutes = divmod(abs(self.offset), 60)
        return (
            f"{self.year:04d}-{self.month:02d}-{self.day:02d}T{self.hour:02d}:30:00"
            f"{sign}{hours:02d}:{minutes:02d}"
        )

    @property
    def in_range(self) -> bool:
        """Safely inside 1000-9999 whatever the zone conversion does at the ends."""
        return 1001 <= self.year <= 9998

    @property
    def out_of_range(self) -> bool:
        return not 1000 <= self.year <= 9999


dates = st.builds(
    Date,
    year=st.one_of(
        st.integers(0, 12_000), st.integers(1990, 2030), st.sampled_from([0, 999, 1000, 9999])
    ),
    month=st.integers(1, 12),
    day=st.integers(1, 28),
    hour=st.integers(0, 23),
    offset=st.sampled_from([0, 60, -300, 330, 840, -720]),
)


@dataclass(frozen=True)
class Record:
    title: str
    date: Date
    categories: list[str]
    body: str
    body_format: str
    tags: list[str]
    summary: str
    author: str


def records(title: st.SearchStrategy[str]) -> st.SearchStrategy[Record]:
    return st.builds(
        Record,
        title=title,
        date=dates,
        categories=st.lists(title, max_size=4),
        body=title,
        body_format=st.sampled_from(["markdown", "html", "text"]),
        tags=st.lists(title, max_size=3),
        summary=title,
        author=title,
    )


def front_matter(fields: dict[str, object]) -> str:
    # Every scalar double-quoted on one line: no text can end the front matter early.
    return yaml.safe_dump(
        fields, allow_unicode=True, default_style='"', width=float("inf"), sort_keys=False
    )


def as_files(
    markdown: list[Record], jsonl: list[Record]
) -> tuple[dict[str, bytes], dict[str, tuple[str, Record]]]:
    """The content files, and for each record's id: its source and the record."""
    files: dict[str, bytes] = {}
    sources: dict[str, tuple[str, Record]] = {}
    for n, record in enumerate(markdown):
        fields = fields_of(record, f"m{n}")
        front = front_matter(fields)
        # The title the reader gets is what YAML reads back from what was written.
        loaded = yaml.safe_load(front)
        record = Record(
            loaded["title"],
            record.date,
            loaded["categories"],
            record.body,
            "markdown",
            [],
            record.summary,
            record.author,
        )
        files[f"m{n}.md"] = f"---\n{front}---\n{record.body}\n".encode("utf-8", "surrogatepass")
        sources[str(fields["id"])] = (f"content/m{n}.md", record)
    lines = []
    for n, record in enumerate(jsonl):
        fields = fields_of(record, f"j{n}")
        fields.update(body=record.body, body_format=record.body_format)
        lines.append(json.dumps(fields))
        sources[str(fields["id"])] = (f"content/records.jsonl:{n + 1}", record)
    if lines:
        files["records.jsonl"] = ("\n".join(lines) + "\n").encode("ascii")
    return files, sources


def fields_of(record: Record, slug: str) -> dict[str, object]:
    return {
        "title": record.title,
        "date": record.date.text(),
        "categories": record.categories,
        "tags": record.tags,
        "summary": record.summary,
        "author": record.author,
        "slug": slug,
        "id": f"urn:x-prop:{slug}",
    }


@PROFILE
@given(
    markdown=st.lists(records(text), max_size=4),
    jsonl=st.lists(records(json_text), max_size=4),
)
def test_every_generated_article_is_published_as_written_scheduled_or_refused_by_name(
    markdown: list[Record], jsonl: list[Record]
) -> None:
    files, sources = as_files(markdown, jsonl)
    with site(files) as config_path:
        report, entries = build_and_validate(config_path)
    assert entries[GOOD_LINK] == "The control article"
    scheduled = {article.id for article in report.scheduled}
    errors = [p for p in report.problems if p.level is Level.ERROR]
    collision = any("would share the slug path" in p.message for p in errors)
    for article_id, (source, record) in sources.items():
        mention = re.compile(re.escape(source) + "(?![0-9])")
        named = [p for p in errors if p.source == source or mention.search(p.message)]
        if record.date.out_of_range:  # refused; by the date unless the title failed first
            expected = ["date"] if clean_text(record.title)[0] else ["title"]
            assert [p.field for p in named] == expected, (record, named)
        if article_id in entries:
            assert not named and not record.date.out_of_range
            title = entries[article_id]
            assert title == clean_text(record.title)[0]
            assert not ILLEGAL.search(title)
        elif article_id in scheduled:
            assert not named and not record.date.out_of_range
        else:
            assert named or (collision and record.categories), (record, report.problems)
    # Nothing in the feed that was not written.
    assert set(entries) <= set(sources) | {GOOD_LINK}


# --- raw bytes, per reader ----------------------------------------------------------------

junk = st.binary(max_size=600)
line_ends = st.sampled_from([b"\n", b"\r\n", b"\r"])


@st.composite
def shaped(draw: st.DrawFn, extension: str) -> bytes:
    """Bytes that get past each reader's first check, with junk where values go."""
    a, b, c = draw(junk), draw(junk), draw(junk)
    end = draw(line_ends)
    if extension == ".txt":
        return end.join([b"Friday, Jan 8, 2021, 14:30 " + a, b"", b, b"", c])
    if extension == ".md":
        return end.join([b"---", b"title: " + a, b"date: 2021-03-23", b"category: " + b, b"---", c])
    if extension == ".yaml":
        return end.join([b"title: " + a, b"date: 2021-03-23 10:18", b"body: " + c])
    quoted = [
        json.dumps(x.decode("utf-8", "surrogateescape")).encode("utf-8", "replace")
        for x in (a, b, c)
    ]
    record = b'{"slug": "j", "title": %s, "date": "2021-03-23", "category": %s, "body": %s}'
    if extension == ".json":
        return record % tuple(quoted)
    return end.join([record % tuple(quoted), a, record.replace(b'"j"', b'"k"') % tuple(quoted)])


EXTENSIONS = [".md", ".txt", ".json", ".jsonl", ".yaml"]


@PROFILE
@given(data=st.data(), extension=st.sampled_from(EXTENSIONS))
def test_any_bytes_in_any_reader_never_break_the_build(data: st.DataObject, extension: str) -> None:
    bom = data.draw(st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]))
    raw = data.draw(st.one_of(junk, shaped(extension)))
    with site({"fuzz" + extension: bom + raw}) as config_path:
        report, entries = build_and_validate(config_path)
    assert GOOD_LINK in entries
    for problem in report.problems:
        assert problem.source.startswith("content/fuzz" + extension), problem
        assert problem.message and problem.field
