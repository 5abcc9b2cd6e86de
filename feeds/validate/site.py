"""The validator's file reading: lint mode (`feeds validate FILE...`) and site mode (every
planned feed file in the output folder checked against the plan, and no stray feed file).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from feeds.config import Config
from feeds.findings import Finding, Severity
from feeds.layout import FEED_SUFFIXES, managed_files
from feeds.lint import lint_feed
from feeds.lint.jsonfeed import lint_json_feed
from feeds.lintmemo import LintMemo
from feeds.model import Article, Problem, shown_name
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
) -> list[Finding]:
    """Site mode: every planned feed file exists, lints clean in strict mode and round-trips;
    a feed file under `output_dir/feeds/` that no planned feed (nor `owned`, paths relative
    to `output_dir` that other parts of the build write) accounts for is a `StrayFeed`.
    `fit` maps a planned feed and format to what the file should hold (the size budget).
    `lint_memo`: the lint findings of bytes linted before (the build's), not linted again."""
    memo = {} if memo is None else memo
    cached: dict[str, Any] = {}

    def once(article: Article) -> Any:  # each article's content computed once per check
        if article.id not in cached:
            cached[article.id] = content(article)
        return cached[article.id]

    findings: list[Finding] = []
    jobs = [(feed, fmt) for feed in plan.feeds for fmt in plan.formats]
    for feed, fmt in jobs + list(plan.archive_jobs()):
        expected = feed if fit is None else fit(feed, fmt)
        findings.extend(_check_published(output_dir, expected, fmt, config, once, memo, lint_memo))
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
