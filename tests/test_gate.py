"""Validation is a gate: a feed that fails it is not published, the previous file stays, and
the next good build publishes it; `--no-validate` is the emergency exit and says so."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sites import refuse_in_lint

from feeds.build import build_site
from feeds.cli import cli
from feeds.config import load_config
from feeds.findings import Severity

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
REFUSED = "category/phones.atom.xml"


def make_site(root: Path) -> Path:
    (root / "content").mkdir()
    (root / "config.yaml").write_text(
        "site:\n  title: Gate\n  url: https://news.example.org/\n  description: D\n"
        "  language: en\n  timezone: UTC\n",
        encoding="utf-8",
    )
    write(root, "phone", "Phones", "A phone story")
    write(root, "laptop", "Laptops", "A laptop story")
    return root / "config.yaml"


def write(root: Path, slug: str, category: str, title: str) -> None:
    (root / "content" / f"{slug}.md").write_text(
        f"---\ntitle: {title}\ndate: 2026-01-02 10:00\ncategory: {category}\n---\nBody.\n",
        encoding="utf-8",
    )


def refuse_one_feed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the linter fail the Phones Atom feed."""
    refuse_in_lint(monkeypatch, REFUSED)


def test_a_feed_that_fails_validation_is_not_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_site(tmp_path)
    assert build_site(load_config(config), now=NOW).complete
    feeds = tmp_path / "public" / "feeds"
    before = (feeds / REFUSED).read_bytes()

    write(tmp_path, "phone", "Phones", "A corrected phone story")
    with monkeypatch.context() as patch:
        refuse_one_feed(patch)
        report = build_site(load_config(config), now=NOW)
    assert not report.complete
    assert len(report.refused) == 1 and report.refused[0].endswith(REFUSED)
    assert [f.rule for f in report.findings if f.level is Severity.ERROR] == ["Injected"]
    assert (feeds / REFUSED).read_bytes() == before  # the old version stays published
    assert b"A corrected phone story" in (feeds / "category/phones.rss.xml").read_bytes()
    assert b"A corrected phone story" in (feeds / "all.atom.xml").read_bytes()

    again = build_site(load_config(config), now=NOW)  # the linter is happy again
    assert again.complete
    assert b"A corrected phone story" in (feeds / REFUSED).read_bytes()


def test_no_validate_publishes_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = make_site(tmp_path)
    refuse_one_feed(monkeypatch)
    args = ["build", "--config", str(config), "--now", "2026-11-26T12:00:00Z"]
    refused = CliRunner().invoke(cli, args)
    assert refused.exit_code == 1
    assert "failed validation" in refused.output
    assert not (tmp_path / "public" / "feeds" / REFUSED).exists()

    forced = CliRunner().invoke(cli, [*args, "--no-validate"])
    assert forced.exit_code == 0
    assert "--no-validate: feeds are published without checking them" in forced.output
    assert (tmp_path / "public" / "feeds" / REFUSED).exists()
