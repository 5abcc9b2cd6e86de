from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from factories import raw_site

from feeds.config import ConfigError, load_config, parse_config
from feeds.model import Author

BASE = Path("/srv/site")


def minimal(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"site": raw_site()}
    data.update(overrides)
    return data


def site(**overrides: Any) -> dict[str, Any]:
    data = minimal()
    data["site"].update(overrides)
    return data


def error_of(data: object) -> str:
    with pytest.raises(ConfigError) as caught:
        parse_config(data, BASE)
    return str(caught.value)


def test_defaults_are_filled_in() -> None:
    config = parse_config(minimal(), BASE)
    assert config.content_dir == BASE / "content"
    assert config.output_dir == BASE / "public"
    assert config.cache_dir == BASE / ".feeds"
    assert config.feeds.max_items == 50
    assert config.feeds.formats == ("rss", "atom")
    assert config.feeds_url == "https://news.example.org/"
    assert config.site.permalink == "{url}articles/{slug}/"
    assert config.dayfirst is False
    assert config.serve.host == "127.0.0.1"


def test_full_example_from_the_issue(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text(
        """
site:
  title: Example Tech News
  url: https://news.example.org
  description: Technology news from the example newsroom
  language: en
  timezone: Europe/Berlin
  author: {name: Example Newsroom, email: newsroom@example.org}
content_dir: content
output_dir: public
feeds:
  max_items: 20
dates: {dayfirst: true}
categories:
  Phones: {title: Phones, description: All about phones, aliases: [Smartphones, Handys]}
text:
  drop_lines:
    - '^More \\S+ articles you might enjoy to read:'
""",
        encoding="utf-8",
    )
    config = load_config(tmp_path / "config.yaml")
    assert config.site.url == "https://news.example.org/"  # a trailing slash is added
    assert config.site.author == Author("Example Newsroom", "newsroom@example.org")
    assert config.feeds.max_items == 20
    assert config.dayfirst is True
    assert config.categories["Phones"].aliases == ("Smartphones", "Handys")
    assert config.drop_lines == (r"^More \S+ articles you might enjoy to read:",)
    assert config.content_dir == tmp_path.resolve() / "content"


def test_unknown_top_level_key_is_named() -> None:
    assert error_of(minimal(feed={"max_items": 3})).startswith("feed: unknown key; known keys:")


def test_unknown_site_key_is_named() -> None:
    assert error_of(site(titel="x")).startswith("site.titel: unknown key")


def test_relative_site_url_is_refused() -> None:
    assert error_of(site(url="news.example.org")) == (
        "site.url 'news.example.org': must be an absolute http(s) URL, e.g. https://example.org/"
    )


def test_unknown_timezone_is_refused() -> None:
    assert error_of(site(timezone="Mars/Olympus")) == (
        "site.timezone 'Mars/Olympus': is not an IANA time zone name (e.g. Europe/Berlin)"
    )


def test_wrong_type_names_key_and_value() -> None:
    assert error_of(minimal(feeds={"max_items": "fifty"})) == (
        "feeds.max_items 'fifty': must be a whole number"
    )
    assert error_of(minimal(feeds={"max_items": True})) == (
        "feeds.max_items True: must be a whole number"
    )
    assert error_of(site(title=["a", "b"])) == "site.title ['a', 'b']: must be a string, not list"


def test_missing_required_site_key() -> None:
    data = minimal()
    del data["site"]["timezone"]
    assert error_of(data) == "site.timezone: is required"


def test_bad_drop_line_regex() -> None:
    message = error_of(minimal(text={"drop_lines": ["(unclosed"]}))
    assert message == (
        "text.drop_lines[0] '(unclosed': is not a regular expression RE2 accepts (missing ): "
        "(unclosed); drop patterns use RE2 syntax: no backreferences or look-around, \\z for "
        "the end of the line"
    )


def test_cache_dir_inside_output_is_refused() -> None:
    message = error_of(minimal(output_dir="public", cache_dir="public/.feeds"))
    assert message.endswith("must not be inside output_dir")


def test_permalink_needs_slug_and_known_placeholders() -> None:
    assert error_of(site(permalink="{url}posts/")).endswith("must contain {slug}")
    assert "unknown placeholder 'id'" in error_of(site(permalink="{url}{id}/{slug}"))


def test_unknown_format_is_refused() -> None:
    assert error_of(minimal(feeds={"formats": ["rss", "rdf"]})) == (
        "feeds.formats 'rdf': unknown format; use rss, atom, json"
    )


def test_no_format_and_a_format_twice_are_refused_each_with_its_reason() -> None:
    assert error_of(minimal(feeds={"formats": []})) == (
        "feeds.formats []: names no format; list at least one of rss, atom, json"
    )
    assert error_of(minimal(feeds={"formats": ["rss", "atom", "rss"]})) == (
        "feeds.formats ['rss', 'atom', 'rss']: must list each format once"
    )


def test_not_a_mapping() -> None:
    assert error_of(["site"]) == "config ['site']: must be a mapping, not list"


def test_yaml_error_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("site: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert "is not valid YAML" in str(caught.value)
    assert str(path) in str(caught.value)


def test_python_tags_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("site: !!python/object/apply:os.system ['echo hi']\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert "is not valid YAML" in str(caught.value)


def test_command_line_overrides_paths(tmp_path: Path) -> None:
    config = parse_config(minimal(), BASE, content_dir=tmp_path / "c", output_dir=tmp_path / "o")
    assert config.content_dir == tmp_path / "c"
    assert config.output_dir == tmp_path / "o"


def test_empty_stylesheet_is_refused() -> None:
    assert error_of(minimal(feeds={"stylesheet": ""})) == "feeds.stylesheet '': must not be empty"


def test_characters_xml_cannot_carry_are_refused() -> None:
    assert error_of(site(title="Bad\x01title")) == (
        "site.title 'Bad\\x01title': contains U+0001, which XML 1.0 cannot carry; remove it"
    )


def test_category_url_is_a_template_of_url_and_path() -> None:
    config = parse_config(site(category_url="{url}{path}/"), BASE)
    assert config.site.category_url == "{url}{path}/"
    assert parse_config(minimal(), BASE).site.category_url == ""  # not configured


def test_category_url_is_checked_at_config_time() -> None:
    assert error_of(site(category_url="{url}sections/")) == (
        "site.category_url '{url}sections/': must contain {path}, e.g. {url}{path}/"
    )
    assert "unknown placeholder ['slug']" in error_of(site(category_url="{url}{slug}/{path}"))
    assert "unknown placeholder" in error_of(site(category_url="{url.__class__}{path}"))
    assert "must be an absolute http(s) URL" in error_of(site(category_url="/topics/{path}/"))
    assert "must be a string" in error_of(site(category_url=3))
