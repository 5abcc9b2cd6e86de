"""feeds.sources.markdown: YAML front matter + Markdown body."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feeds.model import BodyFormat, Problem, RawRecord, ReadResult
from feeds.sources import ReaderOptions, read_source
from feeds.sources.markdown import read_markdown

SOURCE = "content/phones/a.md"
FIX = "fix the front matter between the --- lines"
QUOTE = "quote a value containing ': ', e.g. title: 'Note: read this', or fix the indentation"


def read(text: str) -> ReadResult:
    return read_markdown(SOURCE, text, "a")


def front_matter_problem(value: str | None, message: str) -> ReadResult:
    return ReadResult(problems=(Problem(SOURCE, "front matter", value, message),))


def test_front_matter_and_body() -> None:
    text = (
        "---\n"
        "title: 'Fast & <small>'\n"
        "category: 'Phones: Accessories'\n"
        "tags: [usb, cables]\n"
        "author: {name: Ana, email: ana@example.org}\n"
        "---\n"
        "# Heading\n"
        "\n"
        "Text with *emphasis*.\n"
        "\n"
        "---\n"
        "After a thematic break.\n"
    )
    assert read(text) == ReadResult(
        records=(
            RawRecord(
                source=SOURCE,
                fields={
                    "title": "Fast & <small>",
                    "category": "Phones: Accessories",
                    "tags": ["usb", "cables"],
                    "author": {"name": "Ana", "email": "ana@example.org"},
                },
                body="# Heading\n\nText with *emphasis*.\n\n---\nAfter a thematic break.\n",
                body_format=BodyFormat.MARKDOWN,
                default_slug="a",
            ),
        )
    )


def test_values_keep_their_yaml_types() -> None:
    # Dates load as date/datetime objects; normalise type-checks every field.
    text = "---\ndate: 2021-01-08\nupdated: 2021-01-08 14:30:00\ndraft: true\nn: 3\n---\n"
    assert read(text).records[0].fields == {
        "date": datetime.date(2021, 1, 8),
        "updated": datetime.datetime(2021, 1, 8, 14, 30),
        "draft": True,
        "n": 3,
    }


def test_closing_line_may_be_three_dots_and_lines_may_have_trailing_blanks() -> None:
    record = read("---  \ntitle: T\n... \t\nBody\n").records[0]
    assert record.fields == {"title": "T"}
    assert record.body == "Body\n"


def test_body_may_be_empty() -> None:
    assert read("---\ntitle: T\n---").records[0].body == ""


def test_empty_front_matter_gives_no_fields() -> None:
    assert read("---\n---\nBody\n").records[0].fields == {}
    assert read("---\n# only a comment\n---\nBody\n").records[0].fields == {}


def test_no_front_matter() -> None:
    assert read("# A Title\n\nText.\n") == front_matter_problem(
        "# A Title",
        "there is no front matter; start the file with a line '---', then YAML lines such as "
        "'title: ...', 'date: ...' and 'category: ...', then a line '---', then the "
        "Markdown text (or TOML between '+++' lines, or Pelican's 'Title: ...' lines)",
    )


def test_front_matter_must_start_on_the_first_line() -> None:
    assert read("\n---\ntitle: T\n---\n").problems[0].message.startswith("there is no front matter")


def test_empty_file() -> None:
    assert read("").problems[0].value is None


def test_front_matter_not_closed() -> None:
    assert read("---\ntitle: T\ndate: 2021-01-08\n\nBody.\n") == front_matter_problem(
        "---\ntitle: T\ndate: 2021-01-08\n\nBody.\n",
        "the front matter is not closed; add a line '---' after its last line",
    )


def test_front_matter_not_yaml_names_the_line_in_the_file() -> None:
    # The bad indentation is on line 3 of the file (line 2 of the YAML).
    assert read("---\ntitle: A\n  bad: indent\n---\nBody\n") == front_matter_problem(
        "---\ntitle: A\n  bad: indent",
        f"is not valid YAML (line 3: mapping values are not allowed in this context; {QUOTE}); "
        f"{FIX}",
    )


def test_unclosed_flow_list() -> None:
    assert read("---\ntitle: [oops\n---\n") == front_matter_problem(
        "---\ntitle: [oops",
        f"is not valid YAML (line 3: did not find expected ',' or ']'); {FIX}",
    )


@pytest.mark.parametrize(
    ("front", "kind"),
    [("- a\n- b", "a list"), ("Just a sentence.", "text"), ("42", "a number")],
)
def test_front_matter_not_a_mapping(front: str, kind: str) -> None:
    assert read(f"---\n{front}\n---\nBody\n") == front_matter_problem(
        f"---\n{front}",
        f"is {kind}, not a mapping of keys; write one 'key: value' per line, such as 'title: ...'",
    )


def test_python_object_tag_is_refused() -> None:
    text = "---\ntitle: T\nx: !!python/object/apply:os.system ['echo pwned']\n---\n"
    assert read(text) == front_matter_problem(
        "---\ntitle: T\nx: !!python/object/apply:os.system ['echo pwned']",
        "uses the YAML tag '!!python/object/apply:os.system' (line 3), which asks to "
        "construct an object; only plain values (text, numbers, dates, lists, mappings) "
        "are read, so remove the tag",
    )


def test_custom_tag_is_refused() -> None:
    problem = read("---\ntitle: !include other.md\n---\n").problems[0]
    assert problem.message.startswith("uses the YAML tag '!include' (line 2)")


@pytest.mark.parametrize(
    ("front", "detail"),
    [
        ("date: 2021-02-30", "day is out of range for month"),
        ("draft: !!bool maybe", "bad value 'maybe'"),
        ("n: " + "9" * 5000, "Exceeds the limit (4300 digits)"),
    ],
)
def test_values_yaml_cannot_construct(front: str, detail: str) -> None:
    problem = read(f"---\n{front}\n---\n").problems[0]
    assert problem.field == "front matter"
    assert problem.message.startswith(f"is not valid YAML (a value cannot be read: {detail}")
    assert problem.message.endswith(FIX)


def test_non_string_keys_are_problems() -> None:
    assert read("---\ntitle: T\n1: one\n2021-01-08: day\nnull: x\n---\n") == ReadResult(
        problems=tuple(
            Problem(
                SOURCE,
                "front matter",
                value,
                f"has a key that is {kind}, not text; write every key as text "
                "(in quotes if it looks like a number, date or true/false)",
            )
            for value, kind in [
                ("1", "a number"),
                ("2021-01-08", "a date"),
                ("null", "empty"),
            ]
        )
    )


def test_alias_bomb_loads_without_expanding() -> None:
    # Aliases are shared references; only stringifying would explode (normalise type-checks).
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    levels += [
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    ]
    record = read("---\n" + "\n".join(levels) + "\ntitle: T\n---\n").records[0]
    assert record.fields["title"] == "T"


def test_yaml_error_in_a_windows_1252_file() -> None:
    result = read_source("a.md", b"---\ntitle: \x93x\x94\n  y: z\n---\n", ReaderOptions())
    assert [(p.field, p.level.value) for p in result.problems] == [
        ("file", "warning"),
        ("front matter", "error"),
    ]


@pytest.mark.parametrize("name", ["a.md", "a.markdown", "a.MD", "A.Markdown"])
def test_extensions(name: str) -> None:
    result = read_source(f"content/{name}", b"---\ntitle: T\n---\nB\n", ReaderOptions())
    assert result.records[0].default_slug == name.split(".")[0]
    assert result.records[0].body_format is BodyFormat.MARKDOWN


def test_utf8_bom_before_the_front_matter() -> None:
    result = read_source("a.md", b"\xef\xbb\xbf---\r\ntitle: T\r\n---\r\nB\r\n", ReaderOptions())
    assert result == ReadResult(
        records=(RawRecord("a.md", {"title": "T"}, "B\n", BodyFormat.MARKDOWN, "a"),)
    )


@pytest.mark.parametrize("name", ["a.md", "a.markdown"])
@given(data=st.binary())
def test_read_source_never_raises_for_any_bytes(name: str, data: bytes) -> None:
    result = read_source(name, data, ReaderOptions())
    assert len(result.records) + len(result.problems) >= 1


@given(st.text())
def test_never_raises_for_any_front_matter(front: str) -> None:
    result = read(f"---\n{front}\n---\nBody\n")
    assert len(result.records) + len(result.problems) >= 1
    assert all(isinstance(key, str) for r in result.records for key in r.fields)
