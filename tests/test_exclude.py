"""content.exclude (issue 11): files below content_dir that are not articles (a README, notes
in `_` folders, drafts named `*.draft.*`) are left out, named in the report, never errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sites import make_site

from feeds.cli import cli
from feeds.config import ConfigError, parse_config
from feeds.contentfiles import scan_content

# A README with no front matter at all: read as an article it fails every build.
README = "This folder holds the articles of the site. Run `feeds build`.\n"


def _names(folder: Path, exclude: tuple[str, ...]) -> tuple[list[str], list[str]]:
    excluded: list[str] = []
    found = scan_content(folder, None, exclude, excluded)
    return [relative for relative, _ in found], excluded


def test_the_default_patterns_match_path_file_name_and_folder_names(tmp_path: Path) -> None:
    for name in (
        "README.md",
        "README",  # not an article extension: never listed at all
        "news/README.txt",
        "news/post.md",
        "news/post.draft.md",
        "_notes/ideas.md",
        "news/_private/plan.md",
        "news/_scratch.md",
        "readme.md",  # globs are case-sensitive (as in .gitignore)
        "news/my_post.md",  # `_` inside a name is not a leading one
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")

    found, excluded = _names(tmp_path, ("README*", "_*", "*.draft.*"))

    assert found == ["news/my_post.md", "news/post.md", "readme.md"]
    assert excluded == [
        "README.md",
        "_notes/ideas.md",
        "news/README.txt",
        "news/_private/plan.md",
        "news/_scratch.md",
        "news/post.draft.md",
    ]


def test_a_pattern_with_a_slash_matches_the_relative_path(tmp_path: Path) -> None:
    for name in ("archive/2019/a.md", "archive/b.md", "news/archive.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")

    assert _names(tmp_path, ("archive/2019/*",)) == (
        ["archive/b.md", "news/archive.md"],
        ["archive/2019/a.md"],
    )


def _config(content: object) -> dict[str, object]:
    return {
        "site": {
            "title": "T",
            "url": "https://example.org/",
            "description": "D",
            "language": "en",
            "timezone": "UTC",
        },
        "content": content,
    }


def test_config_default_and_override(tmp_path: Path) -> None:
    base = _config({})
    del base["content"]
    assert parse_config(base, tmp_path).content_exclude == ("README*", "_*", "*.draft.*")
    assert parse_config(_config({"exclude": []}), tmp_path).content_exclude == ()
    assert parse_config(_config({"exclude": ["*.bak"]}), tmp_path).content_exclude == ("*.bak",)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"exclude": "README*"}, "content.exclude 'README*': must be a list of strings"),
        ({"exclude": ["  "]}, "content.exclude[0] '  ': is empty: give a glob pattern"),
        ({"exclude": [3]}, "content.exclude[0] 3: must be a string, not int"),
        ({"excludes": []}, "excludes"),
    ],
)
def test_bad_exclude_settings_are_config_errors(
    tmp_path: Path, content: object, message: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config(_config(content), tmp_path)
    assert message in str(raised.value)


def test_a_content_readme_no_longer_fails_the_build_and_is_named(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    site.write("README.md", README)
    site.write("science/telescope.draft.md", README)

    result = CliRunner().invoke(
        cli, ["build", "--config", str(site.root / "config.yaml"), "--now", "2026-11-26T12:00Z"]
    )

    assert (result.exit_code, result.stderr) == (0, "")
    assert (
        "feeds: 2 files excluded by content.exclude (not articles): README.md, "
        "science/telescope.draft.md\n"
    ) in result.stdout
    assert "feeds: 10 files (10 read)" in result.stdout  # the fixture's 10, not 12

    again = CliRunner().invoke(  # the build with nothing to do says it too
        cli, ["build", "--config", str(site.root / "config.yaml"), "--now", "2026-11-26T12:00Z"]
    )
    assert again.exit_code == 0
    assert "2 files excluded by content.exclude" in again.stdout


def test_an_empty_exclude_list_reads_the_readme_as_an_article(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    site.settings["content"] = {"exclude": []}
    site.save_config()
    site.write("README.md", README)

    report = site.build()

    assert report.excluded == ()
    assert any(p.source == "content/README.md" for p in report.problems)
