"""feeds.yamlload: YAML 1.2 core-schema booleans, duplicate keys, quoting hints (issue 11)."""

from __future__ import annotations

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
