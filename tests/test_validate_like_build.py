"""`feeds validate` in site mode reports what `feeds build` reports (issue 11): an article kept
at its last good version, a file refused, a file skipped by the scan; and a site that builds
clean validates clean. Run as a user runs them, through the command line."""

from __future__ import annotations

import json
import os

from click.testing import CliRunner
from sites import NOW, Site

from feeds.cli import cli


def _run(site: Site, command: str, *extra: str) -> tuple[int, str, str]:
    arguments = [command, "--config", str(site.root / "config.yaml"), "--now", NOW.isoformat()]
    result = CliRunner().invoke(cli, [*arguments, *extra])
    return result.exit_code, result.stdout, result.stderr


def _found(site: Site) -> tuple[int, list[tuple[str, str, str]]]:
    code, stdout, _ = _run(site, "validate", "--format", "json")
    return code, [(f["file"], f["rule"], f["level"]) for f in json.loads(stdout)]


def test_a_site_that_builds_clean_validates_clean(site: Site) -> None:
    assert _run(site, "build")[0] == 0
    code, stdout, stderr = _run(site, "validate")
    assert (code, stdout) == (0, "")
    assert stderr == "feeds: 0 errors, 0 warnings\n"


def test_an_article_kept_at_its_last_good_version_fails_validate_as_it_fails_build(
    site: Site,
) -> None:
    assert _run(site, "build")[0] == 0
    site.edit("phones/old-phone.md", "date: 2026-09-01T08:00:00Z", "date: the day after")

    build_code, _, build_err = _run(site, "build")
    code, found = _found(site)

    assert build_code == 1 and "content/phones/old-phone.md: no longer reads" in build_err
    assert code == 1
    assert ("content/phones/old-phone.md", "KeptLastGood", "error") in found
    assert ("content/phones/old-phone.md", "ContentProblem", "error") in found
    _, stdout, _ = _run(site, "validate")
    assert "content/phones/old-phone.md: error KeptLastGood: no longer reads" in stdout
    assert "date 'the day after'" in stdout


def test_a_new_file_that_never_read_is_an_error_in_both(site: Site) -> None:
    site.write("phones/broken.md", "---\ntitle: Broken\ndate: [1, 2]\ncategory: Phones\n---\nx\n")

    build_code, _, build_err = _run(site, "build")
    code, found = _found(site)

    assert build_code == 1 and "content/phones/broken.md" in build_err
    assert (code, found) == (1, [("content/phones/broken.md", "ContentProblem", "error")])


def test_a_file_the_scan_skips_is_the_same_warning_in_both(site: Site) -> None:
    outside = site.root / "outside.md"
    outside.write_text("---\ntitle: Outside\ndate: 2026-01-01\n---\nx\n")
    os.symlink(outside, site.content / "phones" / "linked.md")

    build_code, _, build_err = _run(site, "build")
    code, found = _found(site)

    assert build_code == 0 and "content/phones/linked.md" in build_err
    assert (code, found) == (0, [("content/phones/linked.md", "ContentProblem", "warning")])
