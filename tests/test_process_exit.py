"""The `feeds` process ends as soon as its command has (`cli._exit_now`): the report is all
there and the exit code is the command's, and only a one-shot build run as the process's
entry point leaves its state for the exit; a library call or click's test runner frees it."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from sites import NOW, make_site

import feeds.build
from feeds.build import BuildRequest, run_build
from feeds.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def _feeds(site: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "feeds", *arguments, "--config", str(site / "config.yaml")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )


def test_the_process_prints_its_whole_report_and_keeps_the_exit_code(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    done = _feeds(site.root, "build", "--now", NOW.isoformat())
    assert done.returncode == 0, done.stderr
    assert "feed files:" in done.stdout + done.stderr
    assert (site.output / "feeds").is_dir()

    site.write("phones/undated.md", "---\ntitle: No date here\ncategory: Phones\n---\nText.\n")
    again = _feeds(site.root, "build", "--now", NOW.isoformat(), "--format", "json")
    assert again.returncode == 1  # an article skipped
    assert again.stdout.rstrip().endswith("}")  # the JSON report, to its last byte
    assert "phones/undated.md" in again.stdout


def test_a_usage_error_still_exits_2(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    done = _feeds(site.root, "build", "--now", "not a date")
    assert done.returncode == 2
    assert "not a date" in done.stderr


# `feeds build` as the process's entry point runs it, saying when the build leaves its state
LEAVE_MARKED = """\
import sys
import feeds.build
leave = feeds.build._leave_to_exit
def marked(*state):
    sys.stderr.write("state left to the exit\\n")
    leave(*state)
feeds.build._leave_to_exit = marked
from feeds.cli import main
main(sys.argv[1:])
"""


def test_the_command_line_build_leaves_its_state_to_the_exit(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    config = str(site.root / "config.yaml")
    done = subprocess.run(
        [sys.executable, "-c", LEAVE_MARKED, "build", "--now", NOW.isoformat(), "--config", config],
        capture_output=True, text=True, env=env, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "state left to the exit" in done.stderr


def test_only_a_build_told_the_process_ends_leaves_its_state(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    assert feeds.build._LEFT_TO_EXIT == []
    site.build()
    result = CliRunner().invoke(cli, ["build", "--config", str(site.root / "config.yaml")])
    assert result.exit_code == 0, result.output
    assert feeds.build._LEFT_TO_EXIT == []  # freed as usual

    frozen = gc.get_freeze_count()
    try:
        run_build(site.config(), BuildRequest(now=NOW, exiting=True))
        assert len(feeds.build._LEFT_TO_EXIT) == 1
        assert gc.get_freeze_count() > frozen  # out of the collector's sight
    finally:
        feeds.build._LEFT_TO_EXIT.clear()
        gc.unfreeze()
