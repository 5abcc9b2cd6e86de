"""The front door (`feeds.build`): which settings invalidate what, scanning and reading
content files, feed fingerprints, the report, and `feeds build`'s exit codes end to end.
Incremental behaviour over many kinds of change is in test_incremental.py; these tests use
the same fixture site (tests/sites.py, the `site` fixture)."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sites import (
    NOW,
    Site,
    make_site,
    snapshot,
)

from feeds.build import BuildError, build_site
from feeds.cache import CACHE_FILE
from feeds.cli import cli
from feeds.config import Config, ConfigError, FeedsConfig, ServeConfig
from feeds.contentfiles import read_file, scan_content
from feeds.keys import feed_fingerprint, reading_key, render_key
from feeds.model import Level
from feeds.plan import plan_site

# --- which settings invalidate what -------------------------------------------------------


def _site_config(tmp_path: Path) -> Config:
    return make_site(tmp_path / "site").config()


def _with_site(config: Config, **changes: object) -> Config:
    return dataclasses.replace(config, site=dataclasses.replace(config.site, **changes))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "reads_again", "renders_again"),
    [
        (lambda c: _with_site(c, title="Other Title"), False, True),
        (lambda c: _with_site(c, description="Other"), False, True),
        (lambda c: _with_site(c, icon="https://inc.example.org/i.png"), False, True),
        (lambda c: _with_site(c, feeds_url="https://feeds.example.net/"), False, True),
        (lambda c: _with_site(c, url="https://other.example.org/"), True, True),
        (lambda c: _with_site(c, permalink="{url}{slug}.html"), True, True),
        (lambda c: _with_site(c, timezone="UTC"), True, True),
        (lambda c: dataclasses.replace(c, dayfirst=True), True, True),
        (lambda c: dataclasses.replace(c, drop_lines=()), True, True),
        (lambda c: dataclasses.replace(c, categories={}), True, True),
        (lambda c: dataclasses.replace(c, feeds=FeedsConfig(max_items=4)), False, True),
        (lambda c: dataclasses.replace(c, websub_hub="https://hub.example.net/"), False, True),
        (lambda c: dataclasses.replace(c, serve=ServeConfig(port=9000)), False, False),
        (lambda c: dataclasses.replace(c, output_dir=c.base_dir / "www"), False, False),
    ],
    ids=[
        "title",
        "description",
        "icon",
        "feeds_url",
        "url",
        "permalink",
        "timezone",
        "dayfirst",
        "drop_lines",
        "categories",
        "max_items",
        "hub",
        "serve",
        "output_dir",
    ],
)
def test_a_setting_invalidates_what_it_touches(
    change: object, reads_again: bool, renders_again: bool, tmp_path: Path
) -> None:
    config = _site_config(tmp_path)
    changed = change(config)  # type: ignore[operator]
    assert (reading_key(changed) != reading_key(config)) is reads_again
    assert (render_key(changed) != render_key(config)) is renders_again


def test_moving_the_whole_site_folder_keeps_the_reading_key(tmp_path: Path) -> None:
    here = make_site(tmp_path / "here").config()
    there = make_site(tmp_path / "there").config()
    assert reading_key(here) == reading_key(there)


# --- scanning and reading -------------------------------------------------------------------


def test_scan_content_lists_article_files_sorted_and_skips_hidden_ones(tmp_path: Path) -> None:
    for name in (
        "b.md",
        "a/z.TXT",
        "a/y.jsonl",
        ".hidden.md",
        ".git/HEAD.md",
        "notes/todo.rst",
        "img/photo.jpg",
        "a/.draft.yaml",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")

    found = scan_content(tmp_path)

    assert [relative for relative, _ in found] == ["a/y.jsonl", "a/z.TXT", "b.md"]
    assert found[2][1].st_size == 1


def test_scan_content_of_a_missing_folder_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        scan_content(tmp_path / "nowhere")
    assert str(raised.value) == f"content_dir {str(tmp_path / 'nowhere')!r}: is not a folder"


def test_read_file_returns_the_good_records_and_the_problems(tmp_path: Path) -> None:
    config = _site_config(tmp_path)
    data = (
        b'{"slug": "one", "title": "One", "date": "2026-01-02T03:04:05Z"}\n'
        b'{"slug": "two", "title": "Two", "date": "not a date"}\n'
    )

    articles, problems = read_file(config, "exports/x.jsonl", data)

    assert [(a.source, a.slug, a.title) for a in articles] == [
        ("content/exports/x.jsonl:1", "one", "One")
    ]
    assert [(p.source, p.field, p.value, p.level) for p in problems] == [
        ("content/exports/x.jsonl:2", "date", "not a date", Level.ERROR)
    ]


# --- feed fingerprints ----------------------------------------------------------------------


def test_a_fingerprint_follows_every_entry_field_and_the_content_key(tmp_path: Path) -> None:
    config = _site_config(tmp_path)
    articles, _ = read_file(
        config,
        "a.md",
        b"---\ntitle: A\ndate: 2026-01-02T03:04:05Z\ncategory: Phones\n---\nBody.\n",
    )
    feed = plan_site(articles, config).feeds[0]

    def fingerprint(changed: object = feed, key: str = "k1") -> str:
        return feed_fingerprint(changed, "atom", config, lambda _: key)  # type: ignore[arg-type]

    def with_entry(**changes: object) -> object:
        entry = dataclasses.replace(feed.entries[0], **changes)  # type: ignore[arg-type]
        return dataclasses.replace(feed, entries=(entry,))

    base = fingerprint()
    assert fingerprint() == base  # stable
    assert fingerprint(key="k2") != base  # the content key stands for the body
    assert fingerprint(with_entry(body="Another body.")) == base  # ... so the body itself not
    assert fingerprint(with_entry(title="B")) != base
    assert fingerprint(with_entry(tags=("new",))) != base
    assert fingerprint(with_entry(source="content/b.md")) != base
    assert fingerprint(dataclasses.replace(feed, title="Other")) != base
    assert feed_fingerprint(feed, "rss", config, lambda _: "k1") != base
    retitled = dataclasses.replace(config, site=dataclasses.replace(config.site, title="T"))
    assert feed_fingerprint(feed, "atom", retitled, lambda _: "k1") != base


# --- the report -----------------------------------------------------------------------------


def test_a_clean_build_reports_what_it_read_and_wrote(site: Site) -> None:
    progress: list[tuple[str, int, int]] = []

    report = build_site(site.config(), now=NOW, progress=lambda *step: progress.append(step))

    assert (report.files_total, report.files_read) == (10, 10)
    assert (report.articles, report.drafts) == (10, 1)
    assert [a.slug for a in report.scheduled] == ["eclipse-preview"]
    assert report.next_scheduled is not None
    assert report.next_scheduled.published == datetime(2026, 12, 1, 8, tzinfo=UTC)
    assert report.problems == report.findings == report.kept == report.refused == ()
    assert report.complete and report.validated and not report.dry_run
    assert report.feeds_total == 16  # all + 7 categories, in RSS and Atom
    written = set(report.publish.written)
    assert len(written) == 16 + 8 + 2  # feeds, one page per feed, index.html, feeds.opml
    assert written | {".feeds-owned.json"} == set(snapshot(site.output))  # + what it owns
    assert progress[0] == ("read", 1, 10) and progress[9] == ("read", 10, 10)
    assert progress[10] == ("render", 1, 16) and progress[-1] == ("render", 16, 16)


def test_strict_publishes_nothing_when_anything_is_wrong(site: Site) -> None:
    site.write("phones/bad.md", "---\ntitle: Bad\ndate: someday\n---\nx\n")

    report = site.build(strict=True)

    assert report.strict_blocked and not report.complete
    assert "feeds/all.atom.xml" in report.publish.written  # what would have been written
    assert not site.output.exists()
    assert not site.cache_file.exists()


def test_an_empty_content_folder_is_a_build_error(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {})
    site.content.mkdir()

    with pytest.raises(BuildError) as raised:
        site.build()

    assert str(raised.value) == (
        "no articles found in content; nothing was published (check content_dir)"
    )


# --- exit codes through the CLI --------------------------------------------------------------


def _invoke(config: Path, *extra: str) -> tuple[int, str, str]:
    arguments = ["build", "--config", str(config), "--now", "2026-11-26T12:00:00Z", *extra]
    result = CliRunner().invoke(cli, arguments)
    return result.exit_code, result.stdout, result.stderr


def test_exit_0_when_everything_published(site: Site) -> None:
    code, out, err = _invoke(site.root / "config.yaml")

    assert (code, err) == (0, "")
    assert "feeds: 10 files (10 read), 10 articles published, 1 draft, 1 scheduled" in out


def test_exit_1_when_an_article_is_skipped(site: Site) -> None:
    site.write("phones/bad.md", "---\ntitle: Bad\ndate: Nov 41, 2026\ncategory: Phones\n---\n")

    code, _, err = _invoke(site.root / "config.yaml")

    assert code == 1
    assert err.startswith("error: content/phones/bad.md: date 'Nov 41, 2026': ")
    assert (site.output / "feeds/all.atom.xml").exists()  # the rest is published


def test_exit_2_for_an_unknown_config_key(site: Site) -> None:
    site.settings["feeds"]["colour"] = "blue"
    site.save_config()

    code, _, err = _invoke(site.root / "config.yaml")

    assert code == 2
    assert err.startswith(f"feeds: config error in {site.root / 'config.yaml'}: feeds.colour: ")
    assert "unknown key" in err
    assert not site.output.exists()


HOLD_LOCK = """
import sys
from pathlib import Path
from feeds.buildlock import build_lock
with build_lock(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.read()  # until the test closes our stdin
"""


def test_exit_3_when_another_build_holds_the_lock(site: Site) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(site.root / ".feeds")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"

        code, _, err = _invoke(site.root / "config.yaml")

        assert code == 3
        assert err == (
            f"feeds: another build is running (lock in {site.root / '.feeds'}); "
            "try again when it ends, or pass --wait\n"
        )
        assert not site.output.exists()
        assert not (site.root / ".feeds" / CACHE_FILE).exists()
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
    assert _invoke(site.root / "config.yaml")[0] == 0  # released with the process


def test_python_dash_m_feeds_gives_the_same_exit_code(site: Site) -> None:
    site.write("phones/bad.md", "---\ntitle: Bad\ndate: Nov 41, 2026\ncategory: Phones\n---\n")
    environment = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    command = ["build", "--config", "config.yaml", "--now", NOW.isoformat()]

    done = subprocess.run(
        [sys.executable, "-m", "feeds", *command],
        cwd=site.root,
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )

    assert done.returncode == 1, done.stderr
