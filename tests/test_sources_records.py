"""feeds.sources.records: `.yaml`/`.yml`/`.json` records and `.jsonl` lines."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feeds.model import BodyFormat, Level, Problem, RawRecord, ReadResult
from feeds.sources import EXTENSIONS, ReaderOptions, read_source

OPTIONS = ReaderOptions()
NOT_A_RECORD = (
    "not a record; write a mapping of keys such as 'title', 'date', 'category' and 'body'"
)


def read(source: str, text: str) -> ReadResult:
    return read_source(source, text.encode(), OPTIONS)


# --- one record, a list of records ----------------------------------------------------------


def test_yaml_single_record() -> None:
    text = "slug: s1\ntitle: One\nbody: |\n  Hello *world*.\nbody_format: markdown\n"
    assert read("content/x/one.yaml", text) == ReadResult(
        records=(
            RawRecord(
                "content/x/one.yaml",
                {"slug": "s1", "title": "One"},
                "Hello *world*.\n",
                BodyFormat.MARKDOWN,
                "one",
            ),
        )
    )


def test_yaml_list_of_records() -> None:
    text = "- {slug: a, body: '<p>A</p>', body_format: html}\n- {slug: b}\n"
    assert read("content/export.yml", text) == ReadResult(
        records=(
            RawRecord("content/export.yml#1", {"slug": "a"}, "<p>A</p>", BodyFormat.HTML, None),
            RawRecord("content/export.yml#2", {"slug": "b"}, "", BodyFormat.MARKDOWN, None),
        )
    )


def test_json_single_record() -> None:
    text = '{"id": "tag:x,2021:1", "title": "T", "body": "a < b", "body_format": "text"}'
    assert read("c/one.json", text) == ReadResult(
        records=(
            RawRecord(
                "c/one.json", {"id": "tag:x,2021:1", "title": "T"}, "a < b", BodyFormat.TEXT, "one"
            ),
        )
    )


def test_json_list_of_records() -> None:
    text = '[{"slug": "a"}, {"slug": "b", "tags": ["x"]}]'
    result = read("c/all.json", text)
    assert [(r.source, dict(r.fields), r.default_slug) for r in result.records] == [
        ("c/all.json#1", {"slug": "a"}, None),
        ("c/all.json#2", {"slug": "b", "tags": ["x"]}, None),
    ]


def test_empty_list_reads_nothing() -> None:
    assert read("c/all.json", "[]") == ReadResult()


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("markdown", BodyFormat.MARKDOWN),
        ("html", BodyFormat.HTML),
        ("text", BodyFormat.TEXT),
        (" HTML ", BodyFormat.HTML),
        (None, BodyFormat.MARKDOWN),
    ],
)
def test_body_formats(written: str | None, expected: BodyFormat) -> None:
    assert read("a.json", json.dumps({"body_format": written})).records[0].body_format is expected


def test_null_body_is_empty() -> None:
    assert read("a.yaml", "title: T\nbody:\n").records[0].body == ""


def test_unknown_body_format() -> None:
    assert read("a.yaml", "title: T\nbody_format: rst\n") == ReadResult(
        problems=(
            Problem(
                "a.yaml",
                "body_format",
                "rst",
                "is not a body format; use one of markdown, html, text (default markdown)",
            ),
        )
    )


def test_body_format_of_wrong_type() -> None:
    problem = read("a.yaml", "body_format: [html]\n").problems[0]
    assert (problem.field, problem.value) == ("body_format", "['html']")


@pytest.mark.parametrize(
    ("body", "value", "kind"),
    [
        ("[a, b]", "['a', 'b']", "a list"),
        ("3", "3", "a number"),
        ("{a: 1}", "{'a': 1}", "a mapping"),
        ("true", "true", "true/false"),
    ],
)
def test_body_of_wrong_type(body: str, value: str, kind: str) -> None:
    assert read("a.yaml", f"title: T\nbody: {body}\n") == ReadResult(
        problems=(
            Problem("a.yaml", "body", value, f"is {kind}, not text; write the body as one string"),
        )
    )


def test_bad_record_in_a_list_leaves_the_others() -> None:
    text = "- {slug: a}\n- just text\n- {slug: c, body_format: pdf}\n- {slug: d}\n"
    result = read("e.yaml", text)
    assert [r.source for r in result.records] == ["e.yaml#1", "e.yaml#4"]
    assert result.problems == (
        Problem("e.yaml#2", "record", "just text", f"is text, {NOT_A_RECORD}"),
        Problem(
            "e.yaml#3",
            "body_format",
            "pdf",
            "is not a body format; use one of markdown, html, text (default markdown)",
        ),
    )


def test_non_string_key_in_a_record() -> None:
    assert read("a.yaml", "title: T\n2021: year\n") == ReadResult(
        problems=(
            Problem(
                "a.yaml",
                "record",
                "2021",
                "has a key that is a number, not text; write every key as text "
                "(in quotes if it looks like a number, date or true/false)",
            ),
        )
    )


@pytest.mark.parametrize(
    ("text", "value", "what"),
    [
        ("just a sentence\n", "just a sentence", "holds text"),
        ("42", "42", "holds a number"),
        ("", None, "is empty"),
        ("# only a comment\n", None, "is empty"),
    ],
)
def test_top_level_not_a_record(text: str, value: str | None, what: str) -> None:
    assert read("a.yaml", text) == ReadResult(
        problems=(
            Problem(
                "a.yaml",
                "file",
                value,
                f"{what}, not a record; write one record (a mapping of keys) or a list of records",
            ),
        )
    )


def test_json_null_is_empty() -> None:
    assert read("a.json", "null").problems[0].message.startswith("is empty, not a record")


# --- files that do not parse --------------------------------------------------------------


def test_invalid_yaml_file_quotes_the_line() -> None:
    assert read("a.yaml", "title: A\n  bad: indent\n") == ReadResult(
        problems=(
            Problem(
                "a.yaml",
                "file",
                "bad: indent",
                "is not valid YAML (line 2: mapping values are not allowed in this context; "
                "quote a value containing ': ', e.g. title: 'Note: read this', or fix the "
                "indentation); "
                "fix the file",
            ),
        )
    )


def test_yaml_tag_is_refused() -> None:
    problem = read("a.yaml", "- !!python/object/new:os.system [ls]\n").problems[0]
    assert problem.message == (
        "uses the YAML tag '!!python/object/new:os.system' (line 1), which asks to construct "
        "an object; only plain values (text, numbers, dates, lists, mappings) are read, so "
        "remove the tag"
    )


def test_impossible_yaml_date() -> None:
    assert read("a.yaml", "date: 2021-02-30\n").problems[0].message == (
        "is not valid YAML (a value cannot be read: day is out of range for month); fix the file"
    )


def test_invalid_json_file_names_line_and_column() -> None:
    assert read("a.json", '{"a": 1,\n "b": }') == ReadResult(
        problems=(
            Problem(
                "a.json",
                "file",
                '"b": }',
                "is not valid JSON (line 2, column 7: Expecting value); fix the file",
            ),
        )
    )


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ('{"a": NaN}', "NaN is not a JSON value"),
        ('{"a": -Infinity}', "-Infinity is not a JSON value"),
        ("[" * 100_000, "nested too deeply"),
        ("1" * 5000, "Exceeds the limit (4300 digits) for integer string conversion"),
    ],
)
def test_json_that_python_reads_only_partly(text: str, detail: str) -> None:
    problem = read("a.json", text).problems[0]
    assert (problem.field, problem.value) == ("file", None)
    assert problem.message.startswith(f"is not valid JSON ({detail}")


def test_list_of_an_alias_bomb_is_quoted_cheaply() -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    levels += [
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    ]
    text = "- " + "\n  ".join(levels) + "\n- *i\n"  # item 2 is 9**9 strings once expanded
    result = read("bomb.yaml", text)
    assert [p.source for p in result.problems] == ["bomb.yaml#2"]
    shown = (
        "[[[...], [...], [...], ...], [[...], [...], [...], ...], [[...], [...], [...], ...], ...]"
    )
    assert result.problems[0].value == shown[:79] + "…"  # bounded repr, then shortened


# --- JSON Lines -----------------------------------------------------------------------------


def test_jsonl_records_name_their_line() -> None:
    text = '{"slug": "a", "body": "A"}\n\n   \n{"slug": "b", "body_format": "html"}\n'
    assert read("c/feed.jsonl", text) == ReadResult(
        records=(
            RawRecord("c/feed.jsonl:1", {"slug": "a"}, "A", BodyFormat.MARKDOWN, None),
            RawRecord("c/feed.jsonl:4", {"slug": "b"}, "", BodyFormat.HTML, None),
        )
    )


def test_jsonl_bad_lines_among_good_ones() -> None:
    text = '{"slug": "a"}\n{"slug": "b",\n[1, 2]\n{"slug": "d"}\nnot json at all\n{"slug": "f"}'
    result = read("f.jsonl", text)
    assert [r.source for r in result.records] == ["f.jsonl:1", "f.jsonl:4", "f.jsonl:6"]
    assert result.problems == (
        Problem(
            "f.jsonl:2",
            "record",
            '{"slug": "b",',
            "is not valid JSON (Expecting property name enclosed in double quotes at column "
            "14); fix or remove this line (each line holds one JSON object)",
        ),
        Problem("f.jsonl:3", "record", "[1, 2]", f"is a list, {NOT_A_RECORD}"),
        Problem(
            "f.jsonl:5",
            "record",
            "not json at all",
            "is not valid JSON (Expecting value at column 1); fix or remove this line "
            "(each line holds one JSON object)",
        ),
    )


def test_jsonl_long_bad_line_is_quoted_by_its_start() -> None:
    problem = read("f.jsonl", '{"title": "' + "x" * 500).problems[0]
    assert problem.value == '{"title": "' + "x" * 48 + "…"


def test_jsonl_nan_line() -> None:
    assert read("f.jsonl", '{"a": NaN}\n{"slug": "b"}\n').problems == (
        Problem(
            "f.jsonl:1",
            "record",
            '{"a": NaN}',
            "is not valid JSON (NaN is not a JSON value); fix or remove this line",
        ),
    )


def test_jsonl_with_crlf_and_bom() -> None:
    data = b'\xef\xbb\xbf{"slug": "a"}\r\n{"slug": "b"}\r\n'
    result = read_source("f.jsonl", data, OPTIONS)
    assert [(r.source, dict(r.fields)) for r in result.records] == [
        ("f.jsonl:1", {"slug": "a"}),
        ("f.jsonl:2", {"slug": "b"}),
    ]
    assert result.problems == ()


def test_jsonl_line_separator_inside_a_string_is_no_line_end() -> None:
    result = read("f.jsonl", '{"title": "a\u2028b"}\n{"slug": "c"}\n')
    assert [r.source for r in result.records] == ["f.jsonl:1", "f.jsonl:2"]
    assert result.records[0].fields["title"] == "a\u2028b"


def test_jsonl_of_100000_records_with_a_few_bad_lines() -> None:
    bad = {1_000: "{oops", 50_000: '"text"', 99_999: '{"body": 1}'}
    lines = [bad.get(n, f'{{"slug": "s{n}", "title": "T{n}"}}') for n in range(1, 100_001)]
    result = read_source("big.jsonl", "\n".join(lines).encode(), OPTIONS)
    assert len(result.records) == 99_997
    assert result.records[-1] == RawRecord(
        "big.jsonl:100000", {"slug": "s100000", "title": "T100000"}, "", BodyFormat.MARKDOWN
    )
    assert [(p.source, p.field) for p in result.problems] == [
        ("big.jsonl:1000", "record"),
        ("big.jsonl:50000", "record"),
        ("big.jsonl:99999", "body"),
    ]


# --- through read_source ------------------------------------------------------------------


def test_cp1252_yaml_warns_and_reads() -> None:
    result = read_source("a.yaml", b"title: Caf\xe9\n", OPTIONS)
    assert result.records[0].fields == {"title": "Café"}
    assert [p.level for p in result.problems] == [Level.WARNING]


def test_utf16_json() -> None:
    result = read_source("a.json", '{"title": "Ωmega"}'.encode("utf-16"), OPTIONS)
    assert result.records[0].fields == {"title": "Ωmega"}


def test_unknown_extension() -> None:
    assert read_source("content/a.html", b"<p>x</p>", OPTIONS) == ReadResult(
        problems=(
            Problem(
                "content/a.html",
                "file",
                ".html",
                "is not a content file; name it with one of .json, .jsonl, .markdown, .md, "
                ".txt, .xml, .yaml, .yml",
            ),
        )
    )


def test_extensions() -> None:
    assert {".md", ".markdown", ".txt", ".yaml", ".yml", ".json", ".jsonl", ".xml"} == EXTENSIONS


@pytest.mark.parametrize("extension", [".yaml", ".yml", ".json", ".jsonl", ".xml", ".md"])
@given(data=st.binary())
def test_read_source_never_raises_for_any_bytes(extension: str, data: bytes) -> None:
    result = read_source(f"a{extension}", data, OPTIONS)
    assert isinstance(result, ReadResult)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(st.lists(_JSON, max_size=6))
def test_jsonl_any_values_give_one_record_or_problem_per_line(values: list[object]) -> None:
    text = "\n".join(json.dumps(v) for v in values)
    result = read("f.jsonl", text)
    sources = [r.source for r in result.records] + [p.source for p in result.problems]
    assert sorted(set(sources)) == sorted(f"f.jsonl:{n}" for n in range(1, len(values) + 1))


@given(st.lists(_JSON, max_size=4))
def test_yaml_never_raises_for_any_structure(values: list[object]) -> None:
    # JSON is YAML; every structure gives records or problems, never an exception.
    for extension in sorted(EXTENSIONS):
        read_source(f"a{extension}", json.dumps(values).encode(), OPTIONS)


# --- a name given twice in one JSON object (RFC 8259 §4) ------------------------------------

TWICE = (
    "gives the key 'title' twice in one object, and JSON readers differ on which value counts "
    "(RFC 8259 §4): keep one"
)


def test_a_json_name_given_twice_refuses_its_record_only() -> None:
    one = read("c/one.json", '{"title": "First", "date": "2021-03-23", "title": "Second"}')
    assert one == ReadResult(
        problems=(
            Problem("c/one.json", "record", "{'date': '2021-03-23', 'title': 'Second'}", TWICE),
        )
    )
    export = (
        '[{"title": "A"}, {"author": {"name": "N", "title": "x", "title": "y"}}, {"title": "C"}]'
    )
    result = read("c/all.json", export)
    assert [r.source for r in result.records] == ["c/all.json#1", "c/all.json#3"]
    assert [(p.source, p.field, p.message) for p in result.problems] == [
        ("c/all.json#2", "record", TWICE)
    ]
    nested = read(
        "c/n.json", '{"title": "T", "media": [[{"title": 1}], [{"title": 1, "title": 2}]]}'
    )
    assert [(p.source, p.message) for p in nested.problems] == [("c/n.json", TWICE)]
    assert nested.records == ()


def test_a_jsonl_line_giving_a_name_twice_is_refused_alone() -> None:
    text = '{"title": "A"}\n{"title": "B", "title": "C"}\n{"title": "D", "Title": "E"}\n'
    result = read("c/feed.jsonl", text)
    assert [(r.source, dict(r.fields)) for r in result.records] == [
        ("c/feed.jsonl:1", {"title": "A"}),
        ("c/feed.jsonl:3", {"title": "D", "Title": "E"}),
    ]
    assert result.problems == (Problem("c/feed.jsonl:2", "record", "{'title': 'C'}", TWICE),)
