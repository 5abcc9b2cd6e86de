"""What a caller asks of a build (`BuildRequest`) and what it gets back (`BuildReport`), the
two records that cross the front door (`feeds.build`) between the shell and the stages.
Nothing here is formatted for a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from feeds.cache import Summary
from feeds.findings import Finding, has_errors
from feeds.model import Article, Level, Problem, Progress, RecordSource
from feeds.publish import PublishReport


@dataclass(frozen=True, slots=True)
class BuildRequest:
    """One build's options, from the CLI (or a CMS hook) to the stages.

    `now` decides which articles are due (an aware datetime; never read from the clock
    inside). `strict` publishes nothing when anything is wrong; `dry_run` writes nothing;
    `validate` lints and round-trips every feed written; `workers` caps the processes a big
    build may use (None: $FEEDS_WORKERS, else every CPU; 1: this process only); `adopt`
    names files in the output folder the build did not write but may replace or remove.
    `exiting`: the process ends right after the build (the command line's one-shot build),
    so the build's state is left for the exit instead of being freed object by object."""

    now: datetime
    strict: bool = False
    dry_run: bool = False
    validate: bool = True
    wait_for_lock: bool = False
    progress: Progress | None = None
    workers: int | None = None
    adopt: tuple[str, ...] = ()  # output paths (relative; "" = all) the build may take over
    accept_new_ids: bool = False  # publish although published articles get new ids
    sources: tuple[RecordSource, ...] = ()  # records besides content_dir's files (issue 18)
    exiting: bool = False


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a build read, published and refused."""

    files_total: int
    files_read: int
    articles: int
    drafts: int
    scheduled: tuple[Article, ...]
    problems: tuple[Problem, ...]
    findings: tuple[Finding, ...]
    refused: tuple[str, ...]
    kept: tuple[str, ...]
    publish: PublishReport
    feeds_total: int
    validated: bool
    dry_run: bool
    strict_blocked: bool = False
    cut: tuple[tuple[str, int, int], ...] = ()  # (path, entries kept, entries planned)
    workers: int = 1  # processes that shared the work
    excluded: tuple[str, ...] = ()  # content files content.exclude kept out (relative paths)
    # articles since the last build (`source: title`), from the id registry
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.level is Level.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.level is Level.WARNING)

    @property
    def next_scheduled(self) -> Article | None:
        return min(self.scheduled, key=lambda a: (a.published, a.id), default=None)

    @property
    def complete(self) -> bool:
        """True when every article and every feed was published as the content says."""
        return not (
            self.errors
            or self.refused
            or self.kept
            or self.publish.failed
            or self.strict_blocked
            or has_errors(self.findings)
        )


class BuildError(Exception):
    """The build as a whole cannot run (missing content folder, empty site)."""


def report_of(
    summary: Summary,
    request: BuildRequest,
    *,
    files_total: int,
    files_read: int = 0,
    problems: tuple[Problem, ...] | None = None,
    findings: tuple[Finding, ...] = (),
    refused: tuple[str, ...] = (),
    publish: PublishReport | None = None,
    blocked: bool = False,
    workers: int = 1,
) -> BuildReport:
    """The report of a build whose published set `summary` describes: one builder for the
    build that did the work and for the one that found nothing to do."""
    return BuildReport(
        files_total=files_total,
        files_read=files_read,
        articles=summary.articles,
        drafts=summary.drafts,
        scheduled=summary.scheduled,
        problems=summary.problems if problems is None else problems,
        findings=findings,
        refused=refused,
        kept=summary.kept,
        publish=PublishReport() if publish is None else publish,
        feeds_total=summary.feeds_total,
        validated=request.validate,
        dry_run=request.dry_run,
        strict_blocked=blocked,
        cut=summary.cut,
        workers=workers,
    )
