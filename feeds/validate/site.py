"""The validator's file reading: lint mode (`feeds validate FILE...`) and site mode (every
planned feed file in the output folder checked against the plan, and no stray feed file).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from feeds.config import Config
from feeds.findings import Finding, Severity
from feeds.layout import FEED_SUFFIXES, managed_files
from feeds.lint import lint_feed
from feeds.lint.jsonfeed import lint_json_feed
from feeds.lintmemo import LintMemo
from feeds.model import Article, Problem, shown_name
from feeds.parallel import feed_shares, run_inherited
from feeds.plan import FeedSpec, SitePlan
from feeds.render.rules import ContentFn
from feeds.validate.check import check_file
from feeds.views import EntryMemo


def lint_files(paths: Iterable[Path]) -> list[Finding]:
    """Lint each file (RSS, Atom, or JSON Feed by its `.json` name or a leading `{`);
    unreadable files are findings too."""
    findings: list[Finding] = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as error:
            message = f"cannot be read: {error.strerror}"
            findings.append(Finding(str(path), "Unreadable", Severity.ERROR, message))
            continue
        if path.suffix.lower() == ".json" or data.lstrip()[:1] == b"{":
            findings.extend(lint_json_feed(data, str(path)))
        else:
            findings.extend(lint_feed(data, str(path)))
    return findings


KEPT_LAST_GOOD = (
    "no longer reads; its last good version stays published until it is fixed (this output "
    "differs from a clean build)"
)


def content_findings(problems: Iterable[Problem], kept: Iterable[str]) -> list[Finding]:
    """The content problems the build reports and the articles it keeps at their last good
    version, as findings of `feeds validate`: errors, then the kept articles, then warnings."""
    found = [
        Finding(
            shown_name(problem.source),
            "ContentProblem",
            Severity(problem.level.value),
            str(problem).removeprefix(shown_name(problem.source) + ": "),
            field=problem.field,
        )
        for problem in problems
    ]
    kept_findings = [
        Finding(shown_name(source), "KeptLastGood", Severity.ERROR, KEPT_LAST_GOOD)
        for source in kept
    ]
    errors = [f for f in found if f.level is Severity.ERROR]
    return [*errors, *kept_findings, *(f for f in found if f.level is not Severity.ERROR)]


# `feeds validate` checks the files on two processes when they hold this many entries in all
# (about ten full feeds: below, the fork costs what it saves).
SHARED_CHECK_ENTRIES = 500


def check_site(
    output_dir: Path,
    plan: SitePlan,
    config: Config,
    content: ContentFn,
    *,
    memo: EntryMemo | None = None,
    owned: Iterable[str] = (),
    fit: Callable[[FeedSpec, str], FeedSpec] | None = None,
    lint_memo: LintMemo | None = None,
    processes: int = 1,
) -> list[Finding]:
    """Site mode: every planned feed file exists, lints clean in strict mode and round-trips;
    a feed file under `output_dir/feeds/` that no planned feed (nor `owned`, paths relative
    to `output_dir` that other parts of the build write) accounts for is a `StrayFeed`.
    `fit` maps a planned feed and format to what the file should hold (the size budget).
    `lint_memo`: the lint findings of bytes linted before (the build's), not linted again.
    With `processes` > 1 the files are checked side by side on a worker forked here, which
    inherits all of it; the findings are in the same order either way."""
    jobs = [(feed, fmt) for feed in plan.feeds for fmt in plan.formats]
    jobs += plan.archive_jobs()
    check = _Check(output_dir, jobs, config, content, {} if memo is None else memo, lint_memo, fit)
    findings = [f for found in _checked(check, processes) for f in found]
    planned = set(plan.paths()) | set(owned)
    for relative in managed_files(output_dir, FEED_SUFFIXES):
        if relative not in planned:
            findings.append(
                Finding(
                    config.display_path(output_dir / relative),
                    "StrayFeed",
                    Severity.ERROR,
                    "no feed of the site owns this file (a removed category, or a format no "
                    "longer in feeds.formats); `feeds build` removes it",
                )
            )
    return findings


@dataclass(slots=True)
class _Check:
    """The published files of a plan to check, and what checking them needs."""

    output_dir: Path
    jobs: list[tuple[FeedSpec, str]]
    config: Config
    content: ContentFn
    memo: EntryMemo
    lint_memo: LintMemo | None
    fit: Callable[[FeedSpec, str], FeedSpec] | None

    def run(self, indexes: Iterable[int]) -> list[list[Finding]]:
        """The findings of each job in `indexes`, each article's content computed once."""
        cached: dict[str, Any] = {}

        def once(article: Article) -> Any:
            if article.id not in cached:
                cached[article.id] = self.content(article)
            return cached[article.id]

        found = []
        for index in indexes:
            feed, fmt = self.jobs[index]
            expected = feed if self.fit is None else self.fit(feed, fmt)
            found.append(
                _check_published(
                    self.output_dir, expected, fmt, self.config, once, self.memo, self.lint_memo
                )
            )
        return found


def _checked(check: _Check, processes: int) -> list[list[Finding]]:
    """Every job's findings, in job order: here alone, or shared with one forked worker."""
    entries = sum(len(feed.entries) for feed, _ in check.jobs)
    if processes < 2 or entries < SHARED_CHECK_ENTRIES:
        return check.run(range(len(check.jobs)))
    summary = [(fmt, feed.key, len(feed.entries)) for feed, fmt in check.jobs]
    shares = feed_shares(summary, 2)
    done, _ = run_inherited(check.run, [(indexes,) for indexes in shares])
    results: list[list[Finding]] = [[] for _ in check.jobs]
    for indexes, found in zip(shares, done, strict=True):
        for index, findings in zip(indexes, found, strict=True):
            results[index] = findings
    return results


def _check_published(
    output_dir: Path,
    feed: FeedSpec,
    fmt: str,
    config: Config,
    content: ContentFn,
    memo: EntryMemo,
    lint_memo: LintMemo | None = None,
) -> list[Finding]:
    shown_path = config.display_path(output_dir / feed.path(fmt))
    try:
        data = (output_dir / feed.path(fmt)).read_bytes()
    except FileNotFoundError:
        message = (
            f"the {fmt} feed for {feed.key!r} ({feed.title}) is missing; "
            "run `feeds build` to write it"
        )
        return [Finding(shown_path, "MissingFeed", Severity.ERROR, message)]
    except OSError as error:
        message = f"cannot be read: {error.strerror}"
        return [Finding(shown_path, "Unreadable", Severity.ERROR, message)]
    return check_file(
        data, fmt, feed, config, content, file=shown_path, memo=memo, lint_memo=lint_memo
    )
