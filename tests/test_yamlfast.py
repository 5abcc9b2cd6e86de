"""Front matter read line by line (`feeds.yamlfast`) gives what PyYAML's safe loader gives,
or leaves the text to it: checked against PyYAML itself on hostile texts made of the pieces
YAML treats specially, and on the front matter of the sample site and the test fixtures."""

from __future__ import annotations

import datetime
import math
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feeds.yamlfast import UNSURE, SimpleReader
from feeds.yamlload import SafeLoader, load_yaml

ROOT = Path(__file__).resolve().parent.parent


def _reader() -> SimpleReader:
    return SimpleReader(SafeLoader(""))


def _same(one: object, two: object) -> bool:
    """Equal, and of the same types all the way down (True is not 1, a date not a datetime)."""
    if type(one) is not type(two):
        return False
    if isinstance(one, dict) and isinstance(two, dict):
        return [(type(k), k) for k in one] == [(type(k), k) for k in two] and all(
            _same(one[k], two[k]) for k in one
        )
    if isinstance(one, list) and isinstance(two, list):
        return len(one) == len(two) and all(_same(a, b) for a, b in zip(one, two, strict=True))
    if isinstance(one, float) and isinstance(two, float) and math.isnan(one):
        return math.isnan(two)
    return one == two


def _pyyaml(text: str) -> tuple[bool, object]:
    try:
        return True, yaml.load(text, Loader=SafeLoader)
    except Exception as error:  # any refusal: the fast reader must leave the text alone
        return False, error


def _check(text: str, reader: SimpleReader) -> object:
    got = reader(text)
    if got is UNSURE:
        return got
    ok, want = _pyyaml(text)
    assert ok, f"PyYAML refuses {text!r} ({want}) but the fast reader gave {got!r}"
    assert _same(got, want), f"{text!r}: fast {got!r}, PyYAML {want!r}"
    return got


_PLUS_2 = datetime.timezone(datetime.timedelta(hours=2))
TAKEN = [
    (
        '\ntitle: "Bike Browser Slips"\ndate: "Sun, 23 Apr 2023 14:27:00 +0000"\n'
        'category: "Science: Space"\ntags: ["open-source"]\n'
        'author: {name: "Amara Okafor", email: amara.okafor@example.org}\n',
        {
            "title": "Bike Browser Slips",
            "date": "Sun, 23 Apr 2023 14:27:00 +0000",
            "category": "Science: Space",
            "tags": ["open-source"],
            "author": {"name": "Amara Okafor", "email": "amara.okafor@example.org"},
        },
    ),
    (
        "\ntitle: Rail Says No to Summer Season\ndate: 2021-04-13\ntags: [off, yes, 12, null]\n",
        {
            "title": "Rail Says No to Summer Season",
            "date": datetime.date(2021, 4, 13),
            "tags": ["off", "yes", 12, None],
        },
    ),
    (
        "\n# a comment line\ntitle: It's C# week\ndraft: false\ntags:\n  - phones\n  - on\n"
        "author:\n  name: Jo Bloggs\n  email: 'jo@example.org'\nsummary:\n",
        {
            "title": "It's C# week",
            "draft": False,
            "tags": ["phones", "on"],
            "author": {"name": "Jo Bloggs", "email": "jo@example.org"},
            "summary": None,
        },
    ),
    (
        "\ndate: 2021-03-23 10:18:00+02:00\nimage: https://example.org/a.jpg\nweight: 0x1f\n"
        "tags:\n- a b\n- ''\n",
        {
            "date": datetime.datetime(2021, 3, 23, 10, 18, tzinfo=_PLUS_2),
            "image": "https://example.org/a.jpg",
            "weight": 31,
            "tags": ["a b", ""],
        },
    ),
    ("\n\n# only a comment\n", None),
]


@pytest.mark.parametrize(("text", "value"), TAKEN)
def test_the_commonest_shapes_are_read_to_what_was_written(text: str, value: object) -> None:
    got = _check(text, _reader())
    assert got is not UNSURE
    assert _same(got, value)


LEFT = [
    "\ntitle: a\ttab\n",  # tabs
    "\ntitle: a\r\nb: c\n",  # another line break
    "\ntitle: a\x85b\n",  # NEL, a line break to YAML 1.1
    "\ntitle: a\u2028b\n",
    "\ntitle: \ufeffa\n",
    "\ntitle: a\x07\n",  # not printable: PyYAML refuses it
    "\ntitle: value # a comment\n",
    "\ntitle: Note: read this\n",
    "\ntitle: ends with a colon:\n",
    "\ntitle: a long\n  title on two lines\n",
    "\ntitle: &anchor a\nother: *anchor\n",
    "\ntitle: !!str 12\n",
    "\nbody: |\n  text\n",
    '\ntitle: "a \\" quote"\n',
    "\ntitle: 'it''s'\n",
    "\ntags: [a, [b]]\n",
    "\ntags: [a,]\n",
    "\ntags: [a, b\n",
    "\nauthor: {name: a, name: b}\n",
    "\ntitle: a\ntitle: b\n",
    "\ntrue: a\n",
    "\nnull: a\n",
    "\n<<: {a: b}\n",
    "\ndate: 2021-02-30\n",
    "\ntags:\n  - a\n    - b\n",
    "\ntags:\n  - a\n - b\n",
    "\nauthor:\n  name: a\n   email: b\n",
    "\nauthor:\n  name:\n    first: a\n",
    "\n---\ntitle: a\n",
    "\n  title: a\n",
    "\ntitle:a\n",
    "\ntitle: -x\n",
    "\ntags: [-x]\n",
    "\ntags:\n  -\n",
    "\ntags:\n  \n  - a\n",
    "\n" + "k" * 200 + ": a\n",
]


@pytest.mark.parametrize("text", LEFT)
def test_what_pyyaml_could_read_otherwise_is_left_to_it(text: str) -> None:
    assert _reader()(text) is UNSURE


def test_load_yaml_gives_the_same_either_way() -> None:
    for text, value in TAKEN:
        assert _same(load_yaml(text), value)
    assert load_yaml("\ntags: [a, [b]]\n") == {"tags": ["a", ["b"]]}  # PyYAML read it


def test_values_made_once_are_not_shared_between_kinds_of_scalar() -> None:
    reader = _reader()
    one = reader("\na: 12\nb: '12'\nc: [12, '12']\n")
    assert _same(one, {"a": 12, "b": "12", "c": [12, "12"]})
    again = reader("\na: 12\n")
    assert _same(again, {"a": 12})


def test_the_memo_of_values_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(SimpleReader, "KNOWN_UP_TO", 3)
    reader = _reader()
    for n in range(10):
        assert _same(reader(f"\nn{n}: w{n}\n"), {f"n{n}": f"w{n}"})
    assert reader._plain.cache_info().currsize <= 3


# -- against PyYAML, on texts made of the pieces YAML treats specially --------------------

_KEYS = ["title", "date", "tags", "a", "A_b-c", "true", "null", "yes", "on", "<<", "1", "~",
         "two words", "é", "k" * 130]  # fmt: skip
_SEPARATORS = [":", ": ", ":  ", ":\t", " :", "::", ":x"]
_SCALARS = [
    "plain", "two  words", "It's", "a: b", "a:", "a #c", "a#b", "C#", "-x", "- x", "?x", ":x",
    "&a x", "*a", "!!str x", "!x", "|", ">", "'q'", "'it''s'", "''", '""', '"d"', '"a\\"b"',
    '"a\\nb"', "'", '"', "yes", "no", "on", "off", "true", "True", "FALSE", "null", "~", "Null",
    "012", "0x1f", "0o17", "1_000", "1:30", "1.5", "1e3", ".inf", ".NaN", "-5", "+5", "=", "<<",
    "2021-03-23", "2021-02-30", "2021-03-23 10:18:00", "2021-03-23T10:18:00+02:00",
    "2021-3-3", "Sun, 23 Apr 2023 14:27:00 +0000", "é", "\xa0x", "x\xa0", "日本", "😀",
    "\x07", "\x85", "\u2028", "\ufeff", "\x7f", "a, b", "[a, b]", "[a,b]", "[]", "[ ]", "{}",
    "{ }", "{a: b}", "{a: b, c: d}", "{a:b}", "{a: b, a: c}", "{a: b, c}", "{a, b: c}",
    "[a, [b]]", "[a,]", "[,a]", '["x, y", \'z\']', "{name: \"A B\", email: a@b.org}",
    "[off, yes, 1, 2021-01-01, ~]", "[a: b]", "[a] x", "[a], [b]", "{a: b}}", "[a}", "{1: a}",
    '{"a": b}', "{true: a}", "%x", "@x", "`x", "x   ", "a  b", "https://x.org/a?b=c#d",
    "[https://x.org]", "a ?b", "a -b", "a'b", 'a"b', "[it's]", '["a"b]', "[-x]", "[?x]",
]  # fmt: skip


def _lines() -> st.SearchStrategy[str]:
    key, sep, scalar = (
        st.sampled_from(_KEYS),
        st.sampled_from(_SEPARATORS),
        st.sampled_from(_SCALARS),
    )
    indent = st.sampled_from(["", " ", "  ", "    ", "\t"])
    return st.one_of(
        st.tuples(key, sep, scalar).map("".join),
        st.tuples(key, st.sampled_from([":", ":  "])).map("".join),
        st.tuples(indent, st.sampled_from(["- ", "-", "-  "]), scalar).map("".join),
        st.tuples(indent, key, sep, scalar).map("".join),
        st.tuples(indent, scalar).map("".join),
        st.sampled_from(["", " ", "  ", "#c", "  # c", "---", "...", "%YAML 1.1", "- ", "? a"]),
    )


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_lines(), max_size=7),
    st.sampled_from(["\n", "\r\n"]),
    st.booleans(),
)
def test_any_text_is_read_as_pyyaml_reads_it_or_left_to_it(
    lines: list[str], newline: str, final: bool
) -> None:
    text = "\n" + newline.join(lines) + (newline if final else "")
    _check(text, _reader())


_PLAUSIBLE = [
    "News", "It's here", "C#", "a-b", "yes", "off", "12", "1.5", "~", "null", "2021-03-23",
    "2021-03-23 10:18:00", "Sun, 23 Apr 2023", '"a: b"', "'x, y'", '""', "[a, b]", "[]",
    "[1, off, 2021-01-01]", '["a, b", c]', "{name: A B, email: a@b.org}", "{}", "é ü", "😀",
    "a [b] {c}", "a, b", "https://x.org/a", "x\xa0", "True", "0x1f", ".inf",
]  # fmt: skip


_MORE_KEYS = [f"key{n}" for n in range(30)]


def _likely_lines() -> st.SearchStrategy[str]:
    """Lines of the shapes the fast reader takes, with any scalar: most texts are read."""
    key = st.sampled_from(["title", "date", "tags", "author", "a", "b_c", "on", *_MORE_KEYS])
    scalar = st.one_of(st.sampled_from(_SCALARS), st.sampled_from(_PLAUSIBLE))
    return st.one_of(
        st.tuples(key, st.just(": "), scalar).map("".join),
        st.tuples(key, st.just(":")).map("".join),
        st.tuples(st.sampled_from(["  - ", "- "]), scalar).map("".join),
        st.tuples(st.just("  "), key, st.just(": "), scalar).map("".join),
        st.sampled_from(["", "# c"]),
    )


@settings(max_examples=3000, deadline=None)
@given(st.lists(_likely_lines(), min_size=1, max_size=5))
def test_texts_of_the_shapes_taken_are_read_as_pyyaml_reads_them(lines: list[str]) -> None:
    _check("\n" + "\n".join(lines) + "\n", _reader())


_STRUCTURED = [
    "\ntitle: T\ndate: 2021-01-01\ntags: [a, b]\n",
    "\ntitle: T\ntags:\n  - a\n  - b\nauthor:\n  name: N\n",
    "\nauthor: {name: N, email: e@x.org}\ncategory: News\n",
]


@settings(max_examples=1500, deadline=None)
@given(
    st.sampled_from(_STRUCTURED),
    st.integers(min_value=0, max_value=60),
    st.sampled_from(_SCALARS + _KEYS + [" ", ":", "#", ",", "[", "]", "{", "}", "-", "'", '"']),
)
def test_a_piece_put_anywhere_in_a_good_text_is_read_as_pyyaml_reads_it(
    text: str, where: int, piece: str
) -> None:
    at = min(where, len(text))
    _check(text[:at] + piece + text[at:], _reader())


def _front_matters() -> list[str]:
    found = []
    for folder in (ROOT / "content", ROOT / "tests"):
        for path in sorted(folder.rglob("*.md")):
            text = path.read_text(encoding="utf-8", errors="replace")
            first, _, rest = text.partition("\n")
            end = rest.find("\n---")
            if first.rstrip() == "---" and end >= 0:
                found.append("\n" + rest[: end + 1])
    return found


def test_the_sample_site_and_the_fixtures_read_as_pyyaml_reads_them() -> None:
    fronts = _front_matters()
    reader = _reader()
    taken = [text for text in fronts if _check(text, reader) is not UNSURE]
    assert len(fronts) >= 20
    assert len(taken) >= len(fronts) // 2  # the fast reader is the one mostly used


_VALUE_CHARACTERS = list("ab1 ,:#'\"-?[]{}~.@&*!|>%`\\\xa0é0")


@settings(max_examples=3000, deadline=None)
@given(
    st.sampled_from(["[", "{", "", "- ", "'", '"']),
    st.text(alphabet=_VALUE_CHARACTERS, max_size=14),
    st.sampled_from(["]", "}", "", "'", '"']),
    st.sampled_from(["key: ", "tags:\n  - ", "key:\n  sub: "]),
)
def test_a_value_of_any_characters_is_read_as_pyyaml_reads_it(
    opening: str, inner: str, closing: str, lead: str
) -> None:
    _check(f"\ntitle: T\n{lead}{opening}{inner}{closing}\n", _reader())
