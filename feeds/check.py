"""The validator's shell: reads feed files from disk for `feeds validate`.

Lint mode checks any files; site mode rebuilds the plan from the content (without writing
anything, the build cache only read) and checks the published output folder against it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from feeds.build import prepare
from feeds.cache import load_cache
from feeds.config import Config
from feeds.findings import Finding, Severity
from feeds.lint import lint_feed
from feeds.validate import check_site


def lint_files(paths: Iterable[Path]) -> list[Finding]:
    """Lint each file (RSS or Atom); unreadable files are findings too."""
    findings: list[Finding] = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as error:
            findings.append(
                Finding(
                    str(path), "Unreadable", Severity.ERROR, f"cannot be read: {error.strerror}"
                )
            )
            continue
        findings.extend(lint_feed(data, str(path)))
    return findings


def validate_site(config: Config, *, now: datetime) -> list[Finding]:
    """Site mode: every feed the content calls for exists in the output folder and
    round-trips; content problems are not repeated here (`feeds build` reports them)."""
    site = prepare(config, load_cache(config.cache_dir), now)
    return check_site(config.output_dir, site.plan, config, site.contents)
