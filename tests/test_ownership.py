"""Ownership of the output folder (issue 11): the build replaces or removes only files it
wrote (recorded in the cache and in `.feeds-owned.json` inside the output folder); a file
in the way is left as it is, reported with `--adopt PATH`, and the rest of the site still
builds. Tested through `build_site` and the real command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from sites import NOW, Site, all_feeds, snapshot

from feeds.cli import cli

HOMEPAGE = "<html><body>The newsroom's own front page</body></html>\n"


def _cli(site: Site, *extra: str) -> tuple[int, str, str]:
    arguments = ["build", "--config", str(site.root / "config.yaml"), "--now", NOW.isoformat()]
    result = CliRunner().invoke(cli, [*arguments, *extra])
    return result.exit_code, result.stdout, result.stderr


def _owned(site: Site) -> list[str]:
    return list(json.loads((site.output / ".feeds-owned.json").read_text())["files"])


def test_a_fresh_output_folder_builds_and_records_every_file_it_wrote(site: Site) -> None:
    code, _, stderr = _cli(site)

    assert (code, stderr) == (0, "")
    published = sorted(set(snapshot(site.output)) - {".feeds-owned.json"})
    assert "index.html" in published and "feeds/all.rss.xml" in published
    assert _owned(site) == published


def test_a_homepage_already_in_the_output_folder_is_never_overwritten(site: Site) -> None:
    site.output.mkdir()
    (site.output / "index.html").write_text(HOMEPAGE)

    code, _, stderr = _cli(site)

    assert code == 1
    assert (site.output / "index.html").read_text() == HOMEPAGE
    assert f"error: index.html: {site.output / 'index.html'} is in the way" in stderr
    assert f"pass --adopt {site.output / 'index.html'} once" in stderr
    # the rest of the site is published, and the homepage is not claimed
    assert (site.output / "feeds/all.rss.xml").exists()
    assert "index.html" not in _owned(site)
    code, _, stderr = _cli(site)  # still refused on the next build: nothing was handed over
    assert code == 1 and "index.html" in stderr
    assert (site.output / "index.html").read_text() == HOMEPAGE


def test_adopt_hands_a_file_over_once_and_for_all(site: Site) -> None:
    site.output.mkdir()
    (site.output / "index.html").write_text(HOMEPAGE)

    code, _, stderr = _cli(site, "--adopt", str(site.output / "index.html"))

    assert (code, stderr) == (0, "")
    assert "Incremental News" in (site.output / "index.html").read_text()
    assert "index.html" in _owned(site)
    site.edit("computing/chip-news.md", "title: ", "title: Edited ")
    assert _cli(site)[:3:2] == (0, "")  # owned now: no --adopt needed again


def test_adopt_outside_the_output_folder_is_a_usage_error(site: Site, tmp_path: Path) -> None:
    code, _, stderr = _cli(site, "--adopt", str(tmp_path / "elsewhere"))

    assert code == 2
    assert (
        f"--adopt {tmp_path / 'elsewhere'}: is not a file or folder inside the output folder"
        in stderr
    )
    assert not site.output.exists()


def test_a_symlink_in_the_way_is_not_replaced(site: Site, tmp_path: Path) -> None:
    mine = tmp_path / "mine.html"
    mine.write_text(HOMEPAGE)
    site.output.mkdir()
    (site.output / "feeds.opml").symlink_to(mine)

    code, _, stderr = _cli(site)

    assert code == 1 and "feeds.opml" in stderr
    assert (site.output / "feeds.opml").is_symlink() and mine.read_text() == HOMEPAGE


def test_a_dry_run_names_the_file_in_the_way_and_writes_nothing(site: Site) -> None:
    site.output.mkdir()
    (site.output / "index.html").write_text(HOMEPAGE)

    code, _, stderr = _cli(site, "--dry-run")

    assert code == 1 and "index.html" in stderr and "--adopt" in stderr
    assert sorted(snapshot(site.output)) == ["index.html"]


def test_a_feed_someone_else_placed_under_feeds_is_not_deleted(site: Site) -> None:
    assert _cli(site)[0] == 0
    stray = site.output / "feeds/category/old-section.rss.xml"
    stray.write_bytes(b"<rss version='2.0'><channel/></rss>\n")

    code, _, stderr = _cli(site)

    assert code == 0  # a warning: nothing of the site's is lost
    assert stray.read_bytes() == b"<rss version='2.0'><channel/></rss>\n"
    assert "warning: public/feeds/category/old-section.rss.xml: file: is no longer" in stderr
    assert "--adopt public/feeds/category/old-section.rss.xml" in stderr
    # handed over, it is removed like any feed the build no longer publishes
    code, stdout, _ = _cli(site, "--adopt", "public/feeds/category/old-section.rss.xml")
    assert code == 0 and not stray.exists()
    assert "feeds/category/old-section.rss.xml was removed" in stdout


def test_a_removed_category_feed_is_named_with_why(site: Site) -> None:
    assert _cli(site)[0] == 0
    site.remove("phones/accessories/cases-roundup.txt")  # the only Accessories article

    code, stdout, _ = _cli(site)

    assert code == 0
    for path in sorted(all_feeds("phones/accessories")):
        assert f"feeds: {path} was removed (its category has no published articles left)" in stdout
    assert "feeds: feeds/category/phones/accessories.html was removed\n" in stdout


def test_a_lost_cache_does_not_orphan_what_was_published(site: Site) -> None:
    assert _cli(site)[0] == 0
    shutil.rmtree(site.root / ".feeds")
    site.remove("phones/accessories/cases-roundup.txt")
    site.edit("computing/chip-news.md", "title: ", "title: Edited ")

    code, _, stderr = _cli(site)

    assert (code, stderr) == (0, "")  # the manifest in public/ says what the build wrote
    assert not (site.output / "feeds/category/phones/accessories.rss.xml").exists()
    assert "Edited " in (site.output / "feeds/all.atom.xml").read_text()


def test_a_lost_manifest_is_covered_by_the_cache(site: Site) -> None:
    """An output folder of a build before the manifest existed builds with no extra step."""
    assert _cli(site)[0] == 0
    (site.output / ".feeds-owned.json").unlink()
    site.remove("phones/accessories/cases-roundup.txt")
    site.edit("computing/chip-news.md", "title: ", "title: Edited ")

    code, _, stderr = _cli(site)

    assert (code, stderr) == (0, "")
    assert not (site.output / "feeds/category/phones/accessories.rss.xml").exists()
    assert "feeds/all.atom.xml" in _owned(site)


@pytest.mark.parametrize("changed", [False, True])
def test_with_cache_and_manifest_both_lost(site: Site, changed: bool) -> None:
    """Files with exactly the bytes the build would write are taken over quietly; files
    that differ are refused until the folder is adopted."""
    assert _cli(site)[0] == 0
    shutil.rmtree(site.root / ".feeds")
    (site.output / ".feeds-owned.json").unlink()
    if changed:
        site.edit("computing/chip-news.md", "title: ", "title: Edited ")

    code, _, stderr = _cli(site)

    if not changed:
        assert (code, stderr) == (0, "")
        return
    assert code == 1 and "feeds/all.atom.xml" in stderr and "--adopt" in stderr
    assert (
        "feeds: 6 files in public/ were not written by feeds; if they are an earlier build's "
        "(cache and manifest lost), hand them all over once: feeds build --adopt public\n"
    ) in stderr
    assert "Edited " not in (site.output / "feeds/all.atom.xml").read_text()
    assert _cli(site, "--adopt", "public")[:3:2] == (0, "")
    assert "Edited " in (site.output / "feeds/all.atom.xml").read_text()


def test_a_manifest_deleted_is_written_again_by_a_build_with_nothing_to_do(site: Site) -> None:
    assert _cli(site)[0] == 0
    before = _owned(site)
    (site.output / ".feeds-owned.json").unlink()

    code, _, stderr = _cli(site)

    assert (code, stderr) == (0, "")
    assert _owned(site) == before
