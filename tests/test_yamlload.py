"""feeds.yamlload: YAML 1.2 core-schema booleans, duplicate keys, quoting hints (issue 11)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from feeds.config import ConfigError, load_config
from feeds.sources.markdown import read_markdown
from feeds.yamlload import YamlError, load_yaml


@pytest.mark.parametrize(
    "word", ["yes", "Yes", "no", "NO", "on", "On", "off", "OFF", "y", "n", "Y"]
)
def test_yaml_1_1_booleans_are_text(word: str) -> None:
    assert load_yaml(f"title: {word}\n") == {"title": word}


@pytest.mark.parametrize(
    ("text", "value"),
    [("true", True), ("True", True), ("TRUE", True), ("false", False), ("False", False),
     ("FALSE", False)],
)  # fmt: skip
def test_core_schema_booleans(text: str, value: bool) -> None:
    assert load_yaml(f"draft: {text}\n") == {"draft": value}


def test_numbers_dates_and_null_still_resolve() -> None:
    loaded = load_yaml("a: 12\nb: 1.5\nc: ~\nd: truely\n")
    assert loaded == {"a": 12, "b": 1.5, "c": None, "d": "truely"}


def test_duplicate_key_names_key_and_both_lines() -> None:
    with pytest.raises(YamlError) as caught:
        load_yaml("title: A\ndate: 2021-01-01\ntitle: B\n")
    assert "duplicate key 'title' on lines 1 and 3" in str(caught.value)


def test_duplicate_key_in_nested_and_flow_mappings() -> None:
    with pytest.raises(YamlError, match="duplicate key 'name' on lines 2 and 3"):
        load_yaml("author:\n  name: Ada\n  name: Bob\n")
    with pytest.raises(YamlError, match="duplicate key 'a' on lines 1 and 1"):
        load_yaml("{a: 1, a: 2}\n")


def test_merge_keys_may_override() -> None:
    loaded = load_yaml("base: &b {k: 1, j: 2}\nitem:\n  <<: *b\n  k: 3\n")
    assert loaded == {"base": {"k": 1, "j": 2}, "item": {"k": 3, "j": 2}}


def test_unquoted_colon_says_to_quote() -> None:
    with pytest.raises(YamlError) as caught:
        load_yaml("title: Note: read this\n")
    assert "line 1:" in str(caught.value)
    assert "quote a value containing ': ', e.g. title: 'Note: read this'" in str(caught.value)


def test_front_matter_duplicate_key_names_file_key_and_lines() -> None:
    result = read_markdown("content/a.md", "---\ntitle: A\ntitle: B\n---\nBody\n", "a")
    assert result.records == ()
    (problem,) = result.problems
    assert problem.source == "content/a.md"
    assert "duplicate key 'title' on lines 2 and 3" in problem.message


def test_front_matter_off_is_a_title() -> None:
    result = read_markdown("content/a.md", "---\ntitle: off\ndraft: false\n---\nBody\n", "a")
    (record,) = result.records
    assert record.fields == {"title": "off", "draft": False}


def test_config_yes_is_not_a_boolean(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(
        "site:\n  title: T\n  description: D\n  language: en\n  timezone: UTC\n"
        "  url: https://example.org/\nfeeds:\n  archive: yes\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert "feeds.archive" in str(caught.value)
    assert "must be true or false" in str(caught.value)


def test_config_duplicate_key_names_file(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(
        "site:\n  title: T\n  title: U\n  url: https://example.org/\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(path) in str(caught.value)
    assert "duplicate key 'title' on lines 2 and 3" in str(caught.value)


def test_unquoted_one_pair_category_is_a_path() -> None:
    from test_normalise import make_config, make_raw

    from feeds.model import Category
    from feeds.normalise import normalise_record

    fields = load_yaml("categories:\n  - News: Events\n  - Business\n")
    assert fields == {"categories": [{"News": "Events"}, "Business"]}
    assert isinstance(fields, dict)
    article, warnings = normalise_record(make_raw(**fields), make_config())
    assert warnings == ()
    assert article.categories == (
        Category(("business",), ("Business",)),
        Category(("news", "events"), ("News", "Events")),
    )


# The fast construction path (`yamlload._plain`) against PyYAML's own constructor, which the
# loader falls back to: same values, same types, same shared objects, same errors.
TRICKY = [
    "",
    "# only a comment\n",
    "title: plain\ndate: 2021-03-23 10:18:00\nn: 012\nx: 0x1F\nf: 1_000.5\nt: 1:30\n",
    "a: ~\nb: null\nc: Null\nd: .inf\ne: -.Inf\ng: .nan\nh: !!str 123\ni: !!float 3\n",
    "when: 2021-03-23\nwhen2: 2021-03-23t10:18:00.5-05:00\nbad: !!timestamp nonsense\n",
    "a: &x [1, 2]\nb: *x\n",
    "a: &m {k: v}\n<<: *m\nk: own\n",
    "? [1, 2]\n: complex key\n",
    "? {a: 1}\n: mapping key\n",
    "1: int key\n1.0: float key\n",
    "true: bool key\n1: int key\n",
    "1: one\n'1': quoted one\n",
    "a: 1\na: 2\n",
    "top:\n  a: 1\n  b: [x, {a: 1, a: 2}]\n",
    "s: !!set {a, b}\no: !!omap [{a: 1}]\np: !!pairs [{a: 1}, {a: 2}]\n",
    "b: !!binary aGVsbG8=\nbad: !!binary '%%%'\n",
    "x: !custom thing\n",
    "x: !!python/object:os.system ls\n",
    "x: !!bool maybe\n",
    "x: !!int abc\n",
    "x: !!map scalar\n",
    "x: !!seq scalar\n",
    "x: !!str [a, b]\n",
    "x: !!seq {a: 1}\n",
    "x: !!float ''\n",
    "x: !!int _\n",
    "x: !!timestamp 2021-01-01 25:00\n",
    "= : value key\n",
    "x: =\n",
    "d: 2021-02-30\n",
    "loop: &l [*l]\n",
    "n: " + "[" * 600 + "]" * 600 + "\n",
    "n: " + "{a: " * 400 + "1" + "}" * 400 + "\n",
    "laughs: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c]\n",
    "tags: [analysis, off, yes, on, 'no', ~, 1e3, 0o17, +12, -0, 2021-03-23]\n",
    "author: {name: Amara Okafor, email: amara@example.org}\ncategories:\n  - Cars\n",
    "title: Note: read this\n",
    "- just\n- a list\n",
    "plain scalar document\n",
]


@pytest.mark.parametrize(
    "value", ["!!float ''", "!!int ''", "!!int _", "!!timestamp ''", "!!timestamp 2021-01-01 25:00"]
)
def test_a_value_its_tag_cannot_read_is_an_error_not_a_crash(value: str) -> None:
    # PyYAML's constructors raise IndexError or AttributeError here; one file stopped the build
    with pytest.raises(YamlError, match="cannot be read as its tag says: remove the tag"):
        load_yaml(f"date: {value}\n")
    result = read_markdown("content/a.md", f"---\ntitle: A\ndate: {value}\n---\nBody.\n")
    assert result.records == () and "remove the tag" in result.problems[0].message


def _both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    """(load_yaml's result or error, the same with PyYAML's constructor only)."""
    import feeds.yamlload as yamlload

    def outcome() -> object:
        try:
            return load_yaml(text)
        except YamlError as error:
            return ("error", str(error))

    fast = outcome()
    with monkeypatch.context() as patch:

        def constructor_only(*_: object) -> object:
            raise yamlload._NotPlain

        patch.setattr(yamlload, "_plain", constructor_only)
        general = outcome()
    return fast, general


def _shape(value: object, ids: dict[int, int]) -> object:
    """A comparable picture of `value`: types, values, and which collections are one."""
    if isinstance(value, (list, dict, set)):
        if id(value) in ids:  # met before: shared, or the list holds itself
            return ("again", ids[id(value)])
        first = ids.setdefault(id(value), len(ids))
        if isinstance(value, dict):
            items = [(_shape(k, ids), _shape(v, ids)) for k, v in value.items()]
            return ("dict", first, items)
        inner = [_shape(v, ids) for v in (sorted(value) if isinstance(value, set) else value)]
        return (type(value).__name__, first, inner)
    if isinstance(value, tuple):
        return ("tuple", [_shape(v, ids) for v in value])
    if isinstance(value, float) and value != value:
        return ("float", "nan")
    return (type(value).__name__, repr(value))


@pytest.mark.parametrize("text", TRICKY)
def test_fast_construction_gives_what_pyyaml_constructs(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, general = _both(text, monkeypatch)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(10_000)  # for _shape over the 600-deep lists, after loading
    try:
        assert _shape(fast, {}) == _shape(general, {})
    finally:
        sys.setrecursionlimit(limit)


def test_fast_construction_on_generated_front_matter(monkeypatch: pytest.MonkeyPatch) -> None:
    import random

    import yaml

    words = ["off", "yes", "No", "~", "null", "1e3", "0x1F", "012", "1:30", "2021-03-23",
             "2021-03-23 10:18", ".inf", "-.nan", "true", "FALSE", "Cars: Electric", "#tag",
             "a 'quote'", 'say "hi"', "é", "東京", "- dash", "? q", "&a", "*b", "!t", "%p",
             "@at", "`tick`", "3.14", "+1", "-0", "0o17", "1_000", "", " lead",
             "trail "]  # fmt: skip
    rng = random.Random(20261207)

    def value(depth: int) -> object:
        roll = rng.random()
        if depth > 2 or roll < 0.5:
            return rng.choice([*words, rng.randint(-5, 10**12), rng.random(), None, True])
        if roll < 0.75:
            return [value(depth + 1) for _ in range(rng.randint(0, 4))]
        return {rng.choice(words): value(depth + 1) for _ in range(rng.randint(0, 4))}

    documents = 0
    for _ in range(300):
        record = {rng.choice(words) + str(n): value(0) for n in range(rng.randint(1, 8))}
        style = rng.choice([None, True, False])
        text = yaml.safe_dump(record, default_flow_style=style, allow_unicode=rng.random() < 0.5)
        # the dumper quotes what YAML 1.1 would read back otherwise; unquote some words
        text = text.replace("'off'", "off").replace("'yes'", "yes").replace("'No'", "No")
        fast, general = _both(text, monkeypatch)
        assert _shape(fast, {}) == _shape(general, {}), text
        documents += not isinstance(fast, tuple)
    assert documents > 250  # most are read, not refused


def test_plain_front_matter_never_reaches_pyyaml_s_constructor(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # issue 14: the fast path must be the one taken for ordinary front matter
    from feeds.yamlload import SafeLoader

    def refuse(*_: object) -> object:
        raise AssertionError("PyYAML's constructor was used")

    monkeypatch.setattr(SafeLoader, "construct_document", refuse)
    text = (
        "title: Coach Looks Again at New Homes? No\ndate: 2022-07-02 15:16\n"
        "categories: [Cars, 'Science: Nature']\ntags: [off, yes, live blog]\n"
        "author: {name: Amara Okafor, email: amara@example.org}\ndraft: false\ncount: 3\n"
    )
    loaded = load_yaml(text)
    assert isinstance(loaded, dict) and loaded["tags"] == ["off", "yes", "live blog"]
    with pytest.raises(AssertionError, match="constructor was used"):
        load_yaml("a: &x [1]\nb: *x\n")  # an alias: left to the constructor
