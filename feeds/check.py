"""The validator's shell: reads feed files from disk for `feeds validate`.

Lint mode checks any files; site mode rebuilds the plan from the content (without writing
anything, the build cache only read) and checks the published output folder against it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from feeds.budget import fit_to_budget
from feeds.build import prepare
from feeds.cache import load_cache
from feeds.config import Config
from feeds.findings import Finding, Severity
from feeds.lint import lint_feed
from feeds.plan import FeedSpec
from feeds.validate import check_site, lint_json_feed


def lint_files(paths: Iterable[Path]) -> list[Finding]:
    """Lint each file (RSS, Atom, or JSON Feed by its `.json` name or a leading `{`);
    unreadable files are findings too."""
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
        if path.suffix.lower() == ".json" or data.lstrip()[:1] == b"{":
            findings.extend(lint_json_feed(data, str(path)))
        else:
            findings.extend(lint_feed(data, str(path)))
    return findings


def validate_site(config: Config, *, now: datetime) -> list[Finding]:
    """Site mode: every feed the content calls for exists in the output folder and
    round-trips; content problems are not repeated here (`feeds build` reports them)."""
    site = prepare(config, load_cache(config.cache_dir), now)

    def fit(feed: FeedSpec, fmt: str) -> FeedSpec:
        if config.feeds.max_bytes is None:
            return feed
        return fit_to_budget(feed, fmt, config, site.contents)[0]

    return check_site(config.output_dir, site.plan, config, site.contents, fit=fit)
