"""feeds.sources.text: plain-text news articles (header line, title, body)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feeds.dates import AMBIGUOUS_ZONES, ZONES
from feeds.droplines import compile_drop_lines
from feeds.model import BodyFormat, Problem, RawRecord, ReadResult
from feeds.sources import ReaderOptions, read_source
from feeds.sources.text import (
    ZONE_NAMES,
    clean_body,
    read_text,
    split_header,
)

# The patterns of the config example in issue 2.
CONFIG_DROP_LINES = (r"^More \S+ articles you might enjoy to read:", r"^\s*•.*here:\s*$")

EXAMPLE = """\
Friday, Jan 8, 2021, 14:30 Phones: Accessories

A Headline Written In Title Case

First paragraph, possibly long, on one line.

A Short Subheading
The paragraph that follows the subheading.

  • Buy the thing here:

More example.news articles you might enjoy to read:
"""


def read(text: str, drop_lines: tuple[str, ...] = ()) -> ReadResult:
    return read_text("content/phones/a.txt", text, drop_lines, "a")


def test_the_issue_example() -> None:
    result = read_source("content/phones/a.txt", EXAMPLE.encode(), ReaderOptions(CONFIG_DROP_LINES))
    assert result == ReadResult(
        records=(
            RawRecord(
                source="content/phones/a.txt",
                fields={
                    "date": "Friday, Jan 8, 2021, 14:30",
                    "category": "Phones: Accessories",
                    "title": "A Headline Written In Title Case",
                },
                body=(
                    "First paragraph, possibly long, on one line.\n"
                    "\n"
                    "A Short Subheading\n"
                    "The paragraph that follows the subheading."
                ),
                body_format=BodyFormat.TEXT,
                default_slug="a",
            ),
        )
    )


def test_without_drop_lines_the_trailing_lines_stay() -> None:
    result = read(EXAMPLE)
    assert result.records[0].body.endswith(
        "subheading.\n\n• Buy the thing here:\n\n"
        "More example.news articles you might enjoy to read:"
    )


@pytest.mark.parametrize(
    ("line", "date", "category"),
    [
        # weekday, 24-hour
        ("Friday, Jan 8, 2021, 14:30 Phones", "Friday, Jan 8, 2021, 14:30", "Phones"),
        ("Tue Mar 23 2021 10:18 Phones", "Tue Mar 23 2021 10:18", "Phones"),
        # no weekday
        ("Jan 8, 2021, 14:30 Phones", "Jan 8, 2021, 14:30", "Phones"),
        # 12-hour
        ("Dec 30, 2020, 11:59 PM Laptops", "Dec 30, 2020, 11:59 PM", "Laptops"),
        ("Jan 8, 2021 at 2:30 p.m. Laptops", "Jan 8, 2021 at 2:30 p.m.", "Laptops"),
        ("Jan 8, 2021, 11 am Laptops", "Jan 8, 2021, 11 am", "Laptops"),
        # seconds
        ("Jan 8, 2021, 14:30:05 Phones", "Jan 8, 2021, 14:30:05", "Phones"),
        # month names written out, ordinal days, day first
        ("Friday, January 8th, 2021 14:30 Phones", "Friday, January 8th, 2021 14:30", "Phones"),
        ("8 Jan 2021 14:30 Phones", "8 Jan 2021 14:30", "Phones"),
        ("8. January 2021, 14:30 Phones", "8. January 2021, 14:30", "Phones"),
        ("Sept. 8, 2021 14:30 Phones", "Sept. 8, 2021 14:30", "Phones"),
        # numeric dates
        ("2021-01-08 14:30 Phones", "2021-01-08 14:30", "Phones"),
        ("2021-01-08T14:30:00 Phones", "2021-01-08T14:30:00", "Phones"),
        ("01/08/2021 14:30 Phones", "01/08/2021 14:30", "Phones"),
        ("8.1.2021 14:30 Phones", "8.1.2021 14:30", "Phones"),
        # no time
        ("2021-01-08 Phones", "2021-01-08", "Phones"),
        ("Friday, Jan 8, 2021 Phones", "Friday, Jan 8, 2021", "Phones"),
        # zones
        ("Jan 8, 2021, 14:30 UTC Phones", "Jan 8, 2021, 14:30 UTC", "Phones"),
        ("Jan 8, 2021, 14:30 CET Phones", "Jan 8, 2021, 14:30 CET", "Phones"),
        ("Jan 8, 2021, 14:30 +01:00 Phones", "Jan 8, 2021, 14:30 +01:00", "Phones"),
        ("Jan 8, 2021, 14:30 -0500 Phones", "Jan 8, 2021, 14:30 -0500", "Phones"),
        ("Jan 8, 2021, 14:30 UTC+1 Phones", "Jan 8, 2021, 14:30 UTC+1", "Phones"),
        ("Jan 8, 2021, 11:59 PM EST Phones", "Jan 8, 2021, 11:59 PM EST", "Phones"),
        ("2021-01-08T14:30:00+01:00 Phones", "2021-01-08T14:30:00+01:00", "Phones"),
        ("2021-01-08T14:30Z Phones", "2021-01-08T14:30Z", "Phones"),
        # an all-caps word that is no zone name starts the category
        ("Jan 8, 2021, 14:30 TV: Streaming", "Jan 8, 2021, 14:30", "TV: Streaming"),
        ("Jan 8, 2021, 14:30 AI Models", "Jan 8, 2021, 14:30", "AI Models"),
        # zone names are upper case only: "Est" is a word
        ("Jan 8, 2021, 14:30 Est. News", "Jan 8, 2021, 14:30", "Est. News"),
        # multi-level category, kept as written
        (
            "Jan 8, 2021, 14:30 Phones: Cases: Leather",
            "Jan 8, 2021, 14:30",
            "Phones: Cases: Leather",
        ),
        # separators between the date part and the category
        ("Jan 8, 2021, 14:30 | Phones", "Jan 8, 2021, 14:30", "Phones"),
        ("Jan 8, 2021, 14:30 - Phones", "Jan 8, 2021, 14:30", "Phones"),
        ("Jan 8, 2021, 14:30, Phones", "Jan 8, 2021, 14:30", "Phones"),
        # stray whitespace around and inside
        (
            "  Jan 8, 2021,  14:30   Phones: Accessories \t ",
            "Jan 8, 2021,  14:30",
            "Phones: Accessories",
        ),
        (
            "Jan\u00a08,\u00a02021\u00a014:30\u00a0Phones",
            "Jan\u00a08,\u00a02021\u00a014:30",
            "Phones",
        ),
        # a date without a year is split off; `dates` refuses it by name
        ("Jan 8, 14:30 Phones", "Jan 8, 14:30", "Phones"),
        # no category
        ("Friday, Jan 8, 2021, 14:30", "Friday, Jan 8, 2021, 14:30", ""),
        ("Friday, Jan 8, 2021, 14:30  ", "Friday, Jan 8, 2021, 14:30", ""),
    ],
)
def test_split_header(line: str, date: str, category: str) -> None:
    assert split_header(line) == (date, category)


@pytest.mark.parametrize(
    "line",
    [
        "A Headline Written In Title Case",
        "Sun Microsystems joins the party",  # a weekday word, no date
        "Mayday: phones down",  # "May" inside a word
        "March 2021 Phones",  # no day
        "2021-01-08x Phones",  # the date runs into other text
        "21/01/08 Phones",  # two-digit year
        "14:30 Phones",  # a time, no date
        "",
    ],
)
def test_split_header_refuses_lines_without_a_date(line: str) -> None:
    assert split_header(line) is None


def test_zone_names_are_the_names_dates_resolves_or_refuses() -> None:
    # A name missing here would silently become part of the category.
    assert (set(ZONES) | set(AMBIGUOUS_ZONES)) - {"Z"} == ZONE_NAMES


def test_zone_name_followed_by_a_colon_is_a_category() -> None:
    assert split_header("Jan 8, 2021, 14:30 CAT: Machines") == (
        "Jan 8, 2021, 14:30",
        "CAT: Machines",
    )
    assert split_header("Jan 8, 2021, 14:30 IST Phones") == ("Jan 8, 2021, 14:30 IST", "Phones")


def test_long_header_is_split() -> None:
    category = "Phones: " + "x" * 5000
    assert split_header(f"Jan 8, 2021, 14:30 {category}") == ("Jan 8, 2021, 14:30", category)


def test_no_header_line() -> None:
    assert read("A Headline\n\nBody.\n") == ReadResult(
        problems=(
            Problem(
                "content/phones/a.txt",
                "date",
                "A Headline",
                "the first line does not start with a date; start the file with a line such "
                "as 'Friday, Jan 8, 2021, 14:30 Phones: Accessories' (date, time, then the "
                "category)",
            ),
        )
    )


def test_header_without_category() -> None:
    assert read("Friday, Jan 8, 2021, 14:30\nTitle\n\nBody.\n") == ReadResult(
        problems=(
            Problem(
                "content/phones/a.txt",
                "category",
                "Friday, Jan 8, 2021, 14:30",
                "the date line names no category; put it after the date, as in "
                "'Friday, Jan 8, 2021, 14:30 Phones: Accessories'",
            ),
        )
    )


def test_no_title() -> None:
    assert read("Jan 8, 2021, 14:30 Phones\n\n  \n") == ReadResult(
        problems=(
            Problem(
                "content/phones/a.txt",
                "title",
                None,
                "there is no title; put the headline on the line after the date line",
            ),
        )
    )


def test_no_category_and_no_title_are_both_reported() -> None:
    result = read("Jan 8, 2021\n")
    assert [(p.field, p.value) for p in result.problems] == [
        ("category", "Jan 8, 2021"),
        ("title", None),
    ]
    assert result.records == ()


@pytest.mark.parametrize("text", ["", "\n\n", "  \n\t\n"])
def test_empty_file(text: str) -> None:
    assert read(text) == ReadResult(
        problems=(
            Problem(
                "content/phones/a.txt",
                "file",
                None,
                "is empty; a plain-text article starts with a date line such as "
                "'Friday, Jan 8, 2021, 14:30 Phones: Accessories', then the title, then the text",
            ),
        )
    )


def test_long_first_line_is_shortened_in_the_problem() -> None:
    result = read("x" * 500 + "\n")
    assert result.problems[0].value == "x" * 79 + "…"


def test_blank_lines_before_the_header_and_title_and_stray_whitespace() -> None:
    text = "\n  \n  Jan 8, 2021, 14:30 Phones   \n\n\n   The Title  \n\n  Body line.  \n"
    record = read(text).records[0]
    assert record.fields == {
        "date": "Jan 8, 2021, 14:30",
        "category": "Phones",
        "title": "The Title",
    }
    assert record.body == "Body line."


def test_title_directly_under_the_header() -> None:
    record = read("Jan 8, 2021, 14:30 Phones\nThe Title\nBody.").records[0]
    assert record.fields["title"] == "The Title"
    assert record.body == "Body."


def test_article_with_title_and_no_body() -> None:
    record = read("Jan 8, 2021, 14:30 Phones\nThe Title\n").records[0]
    assert record.body == ""


def test_plain_text_stays_text() -> None:
    record = read("Jan 8, 2021, 14:30 Phones\nA <b> & B\n\nx < y && &amp; <script>\n").records[0]
    assert record.fields["title"] == "A <b> & B"
    assert record.body == "x < y && &amp; <script>"


def test_body_blank_lines_collapse_and_ends_are_trimmed() -> None:
    text = "Jan 8, 2021 Phones\nT\n\n\n\n  One.\n \t \n\n\nTwo.\nThree.\n\n\n"
    assert read(text).records[0].body == "One.\n\nTwo.\nThree."


def test_control_characters_are_left_for_normalise() -> None:
    record = read("Jan 8, 2021 Phones\nA\x00B\u202e\n\nx\x07y\n").records[0]
    assert record.fields["title"] == "A\x00B\u202e"
    assert record.body == "x\x07y"


# --- drop_lines ---------------------------------------------------------------------------


def test_drop_pattern_matches_the_stripped_line() -> None:
    # `^More` would miss the indented line as written; the stripped line matches.
    body = clean_body(
        ["Keep.", "   More example.news articles you might enjoy to read:  "],
        compile_drop_lines(CONFIG_DROP_LINES),
    )
    assert body == "Keep."


def test_drop_pattern_matches_the_line_as_written() -> None:
    # Only the line as written has the indentation this pattern asks for.
    patterns = compile_drop_lines((r"^\s{2,}•",))
    assert clean_body(["• kept", "   • dropped"], patterns) == "• kept"


def test_drop_pattern_is_searched_not_matched() -> None:
    patterns = compile_drop_lines(("affiliate link",))
    assert (
        clean_body(["One.", "This is an affiliate link, sorry.", "Two."], patterns) == "One.\nTwo."
    )


def test_dropped_lines_leave_one_blank_line() -> None:
    patterns = compile_drop_lines(("^ADVERT$",))
    assert clean_body(["One.", "", "ADVERT", "", "Two.", "", "ADVERT"], patterns) == "One.\n\nTwo."


def test_drop_patterns_never_remove_blank_lines() -> None:
    patterns = compile_drop_lines((r"^\s*$",))
    assert clean_body(["One.", "", "Two."], patterns) == "One.\n\nTwo."


def test_drop_patterns_do_not_touch_header_or_title() -> None:
    record = read("Jan 8, 2021 Phones\nTitle here:\n\nBody.\n", (r"here:",)).records[0]
    assert record.fields["title"] == "Title here:"


def test_drop_patterns_are_compiled_once_per_tuple() -> None:
    patterns = ("^a$", "^b$")
    assert compile_drop_lines(patterns) is compile_drop_lines(("^a$", "^b$"))


def test_bad_drop_pattern_is_refused_when_the_options_are_made() -> None:
    with pytest.raises(ValueError) as caught:
        ReaderOptions(drop_lines=("ok", "(unclosed"))
    assert str(caught.value) == (
        "text.drop_lines: '(unclosed' is not a regular expression RE2 accepts (missing ): "
        "(unclosed); drop patterns use RE2 syntax: no backreferences or look-around, \\z for "
        "the end of the line"
    )


# --- through read_source ------------------------------------------------------------------


def test_extension_is_case_insensitive_and_slug_is_the_stem() -> None:
    result = read_source("content/x/My-Story.TXT", b"2021-01-08 Phones\nT\n", ReaderOptions())
    assert result.records[0].default_slug == "My-Story"
    assert result.records[0].source == "content/x/My-Story.TXT"


def test_crlf_article() -> None:
    data = b"Jan 8, 2021, 14:30 Phones\r\n\r\nTitle\r\n\r\nOne.\r\nTwo.\r\n"
    record = read_source("a.txt", data, ReaderOptions()).records[0]
    assert record.fields["title"] == "Title"
    assert record.body == "One.\nTwo."


def test_windows_1252_article() -> None:
    data = b"Jan 8, 2021 Phones\n\x93Quoted\x94 title\n\nIt\x92s here.\n"
    result = read_source("a.txt", data, ReaderOptions())
    assert result.records[0].fields["title"] == "“Quoted” title"
    assert result.records[0].body == "It’s here."
    assert [p.field for p in result.problems] == ["file"]


@given(st.binary())
def test_read_source_never_raises_for_any_bytes(data: bytes) -> None:
    result = read_source("a.txt", data, ReaderOptions(CONFIG_DROP_LINES))
    assert len(result.records) + len(result.problems) >= 1


_LINE = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"))


@given(
    st.sampled_from(["Friday, Jan 8, 2021, 14:30", "2021-01-08T14:30+01:00", "8 Jan 2021 11 PM"]),
    _LINE,
    _LINE.filter(lambda s: s.strip() != ""),
    st.lists(_LINE, max_size=8),
)
def test_generated_articles_keep_date_category_and_title(
    date: str, category: str, title: str, body: list[str]
) -> None:
    category = "Cat" + category  # starts with a word that is no time, zone or separator
    text = "\n".join([f"{date} {category}", "", title, "", *body])
    result = read_text("a.txt", text)
    assert result.problems == ()
    assert result.records[0].fields == {
        "date": date,
        "category": category.strip(),
        "title": title.strip(),
    }
    assert "\n\n\n" not in result.records[0].body
