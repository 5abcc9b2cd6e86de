"""`feeds validate`: lint mode on any file, site mode on the published folder, JSON output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from feeds.cli import cli

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-26T12:00:00Z"
KEYS = ["file", "line", "rule", "level", "entry", "field", "expected", "found", "message"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site, built once."""
    root = tmp_path_factory.mktemp("sample")
    shutil.copy(ROOT / "config.yaml", root / "config.yaml")
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "static", root / "static")
    result = CliRunner().invoke(cli, ["build", "--config", str(root / "config.yaml"), "--now", NOW])
    assert result.exit_code == 0, result.output
    return root


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["validate", *args])
    return result.exit_code, result.stdout


def test_site_mode_is_clean_on_the_sample_site(sample: Path) -> None:
    code, out = run("--config", str(sample / "config.yaml"), "--now", NOW, "--format", "json")
    assert code == 0
    assert json.loads(out) == []


def test_lint_mode_is_clean_on_every_published_feed(sample: Path) -> None:
    files = sorted(str(p) for p in (sample / "public" / "feeds").rglob("*.xml"))
    assert len(files) >= 30
    code, out = run("--format", "json", *files)
    assert code == 0
    # Lint mode knows no site: the embed html.allow_iframes allows in
    # launch-replay-weather-satellite is a SecurityRisk warning, as the W3C service says of
    # any iframe (issue 16), in each feed that holds it; nothing else is found.
    holding = [
        "all", "category/science", "category/science/space", "tag/launches",
        "author/tomas-ortega",
    ]  # fmt: skip
    expected = {
        str(sample / "public" / "feeds" / f"{lang}{feed}.{fmt}.xml")
        for lang in ("", "en/")
        for feed in holding
        for fmt in ("rss", "atom")
    }
    findings = json.loads(out)
    assert {(f["rule"], f["level"]) for f in findings} == {("SecurityRisk", "warning")}
    assert sorted(f["file"] for f in findings) == sorted(expected)


def test_a_tampered_title_is_named_in_site_mode(tmp_path: Path, sample: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(sample, site)
    feed = site / "public/feeds/all.atom.xml"
    text = feed.read_text(encoding="utf-8")
    original = "<title>The Best Phone Cases We Tested This Year</title>"
    assert original in text
    feed.write_text(text.replace(original, "<title>Cases, Tested</title>"), encoding="utf-8")
    code, out = run("--config", str(site / "config.yaml"), "--now", NOW, "--format", "json")
    assert code == 1
    findings = json.loads(out)
    assert [list(f) for f in findings] == [KEYS] * len(findings)
    hits = [
        f for f in findings if f["field"] == "title" and f["file"] == "public/feeds/all.atom.xml"
    ]
    assert len(hits) == 1
    assert hits[0]["entry"] == "https://news.example.org/articles/best-phone-cases-2026/"
    assert hits[0]["expected"] == "The Best Phone Cases We Tested This Year"
    assert hits[0]["found"] == "Cases, Tested"


def test_a_missing_feed_is_named_in_site_mode(tmp_path: Path, sample: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(sample, site)
    (site / "public/feeds/category/phones.rss.xml").unlink()
    code, out = run("--config", str(site / "config.yaml"), "--now", NOW, "--format", "json")
    assert code == 1
    assert [(f["rule"], f["file"]) for f in json.loads(out)] == [
        ("MissingFeed", "public/feeds/category/phones.rss.xml")
    ]


def test_lint_mode_flags_a_broken_date_by_its_w3c_name(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
        "<title>T</title><link>https://example.org/</link><description>D</description>"
        '<atom:link href="https://example.org/feed.xml" rel="self" type="application/rss+xml"/>'
        "<item><title>A</title><link>https://example.org/a</link>"
        '<guid isPermaLink="true">https://example.org/a</guid>'
        "<pubDate>2021-03-23 10:18</pubDate></item></channel></rss>\n",
        encoding="utf-8",
    )
    code, out = run("--format", "json", str(feed))
    assert code == 1
    assert [(f["rule"], f["level"], f["line"]) for f in json.loads(out)] == [
        ("InvalidRFC2822Date", "error", 2)
    ]


def test_lint_mode_reads_json_feeds(tmp_path: Path) -> None:
    feed = tmp_path / "feed.json"
    feed.write_text('{"version": "https://jsonfeed.org/version/1.1", "items": []}')
    code, out = run("--format", "json", str(feed))
    assert code == 1
    assert [(f["rule"], f["field"]) for f in json.loads(out)] == [("JsonFeedMissingField", "title")]


def test_warnings_alone_exit_0_and_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run(str(tmp_path / "missing.xml"))[0] == 2


def test_lint_mode_skips_the_html_pages_a_shell_glob_names(sample: Path) -> None:
    folder = sample / "public" / "feeds"
    named = sorted(str(p) for p in folder.iterdir())  # what `feeds/*` expands to
    assert any(name.endswith(".html") for name in named)

    result = CliRunner().invoke(cli, ["validate", *named])

    assert result.exit_code == 0, result.stdout
    assert "SAXError" not in result.stdout
    assert "feeds: skipped " in result.stderr and "all.html" in result.stderr
    assert result.stderr.endswith(" warnings\n") and "feeds: 0 errors," in result.stderr
