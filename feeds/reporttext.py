"""The build report as the command line prints it: problems on stderr, the summary on stdout,
names with --verbose; and the progress bar of a long build on a terminal."""

from __future__ import annotations

import sys
from typing import Any

import click

from feeds.build import BuildReport
from feeds.config import Config
from feeds.findings import Severity
from feeds.layout import FEED_SUFFIXES
from feeds.model import Article, Level, Problem, Progress, shown_name
from feeds.ownership import IN_THE_WAY
from feeds.validate.site import KEPT_LAST_GOOD


class progress_bar:
    """A click progress bar on stderr for long builds on a terminal; silent otherwise."""

    def __init__(self, quiet: bool) -> None:
        self.enabled = not quiet and sys.stderr.isatty()
        self.bar: Any = None
        self.stage = ""

    def __enter__(self) -> Progress | None:
        if not self.enabled:
            return None
        return self.update

    def update(self, stage: str, done: int, total: int) -> None:
        if total < 500:
            return
        if stage != self.stage:
            self._close()
            self.stage = stage
            label = {"read": "reading articles", "render": "rendering feeds"}.get(stage, stage)
            self.bar = click.progressbar(length=total, label=label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(1)

    def _close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None

    def __exit__(self, *exc: object) -> None:
        self._close()


def count_of(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _was(number: int, verb: str) -> str:
    """`verb` ("were", "would be") agreeing with `number`: "1 page was written"."""
    return "was" if number == 1 and verb == "were" else verb


_NAMED = 20  # removed files named one by one before the rest are counted


def _print_removed(removed: tuple[str, ...], verb: str) -> None:
    """Name each removed file (a feed's subscribers get 404 from now on); a category's feed
    goes when the category has no published article left, a tag's or author's also when
    their feeds are turned off (`feeds.tag_feeds`, `feeds.author_feeds`)."""
    one = "was" if verb == "were" else verb
    for path in removed[:_NAMED]:
        why = ""
        if path.startswith("feeds/category/") and path.endswith(FEED_SUFFIXES):
            why = " (its category has no published articles left)"
        elif path.startswith(("feeds/tag/", "feeds/author/")) and path.endswith(FEED_SUFFIXES):
            kind = path.split("/")[1]  # issue 16: the kind turned off, or too few articles
            why = f" (its {kind} has too few published articles, or {kind} feeds are off)"
        click.echo(f"feeds: {path} {one} removed{why}")
    if len(removed) > _NAMED:
        click.echo(f"feeds: and {len(removed) - _NAMED} more {verb} removed")


def _print_changes(report: BuildReport, verb: str, verbose: bool) -> None:
    """Articles added, changed, removed since the last build (names with --verbose)."""
    groups = (("added", report.added), ("changed", report.changed), ("removed", report.removed))
    if any(names for _, names in groups):
        counts = ", ".join(f"{len(names)} {what}" for what, names in groups)
        when = "since the last build" if verb == "were" else "this build would publish"
        click.echo(f"feeds: articles {when}: {counts}")
    for what, names in groups if verbose else ():
        for name in names:
            click.echo(f"feeds:   {what}: {shown_name(name)}")
    for path in report.publish.written if verbose else ():
        click.echo(f"feeds:   {'would be written' if verb != 'were' else 'written'}: {path}")


def print_report(report: BuildReport, config: Config, quiet: bool, verbose: bool = False) -> None:
    for problem in sorted(report.problems, key=lambda p: (p.level is not Level.ERROR, p.source)):
        click.echo(f"{problem.level.value}: {problem}", err=True)
    for source in report.kept:
        click.echo(f"error: {shown_name(source)}: {KEPT_LAST_GOOD}", err=True)
    for finding in report.findings:
        click.echo(str(finding), err=True)
    for path in report.refused:
        click.echo(
            f"error: {path}: failed validation; the previously published file stays", err=True
        )
    for path, kept, planned in report.cut:
        click.echo(
            f"warning: {path}: over feeds.max_bytes; kept the newest {kept} of {planned} entries",
            err=True,
        )
    for path, message in report.publish.failed:
        click.echo(f"error: {path}: {message}", err=True)
    in_the_way = sum(IN_THE_WAY in message for _, message in report.publish.failed)
    if in_the_way > 1:
        output = config.display_path(config.output_dir)
        click.echo(
            f"feeds: {in_the_way} files in {output}/ were not written by feeds; if they are "
            f"an earlier build's (cache and manifest lost), hand them all over once: "
            f"feeds build --adopt {output}",
            err=True,
        )
    if quiet:
        return
    pub = report.publish
    verb = "would be" if report.dry_run or report.strict_blocked else "were"
    click.echo(
        f"feeds: {count_of(report.files_total, 'file')} ({report.files_read} read), "
        f"{count_of(report.articles, 'article')} published, {count_of(report.drafts, 'draft')}, "
        f"{len(report.scheduled)} scheduled"
    )
    if report.excluded:
        click.echo(
            f"feeds: {count_of(len(report.excluded), 'file')} excluded by content.exclude "
            f"(not articles): {', '.join(map(shown_name, report.excluded[:10]))}"
            + (f" and {len(report.excluded) - 10} more" if len(report.excluded) > 10 else "")
        )
    feed_written, unchanged, not_published = feed_counts(report)
    pages = len(pub.written) - len(feed_written)
    removed = len(pub.removed)
    click.echo(
        f"feeds: {count_of(report.feeds_total, 'feed file')}: {len(feed_written)} "
        f"{_was(len(feed_written), verb)} written, {unchanged} unchanged, {not_published} not "
        f"published; {count_of(removed, 'old file')} {_was(removed, verb)} removed, "
        f"{count_of(pages, 'page')} {_was(pages, verb)} written"
        + ("" if report.validated else " (NOT validated)")
    )
    _print_removed(pub.removed, verb)
    _print_changes(report, verb, verbose)
    errors, warnings = problem_counts(report)
    click.echo(
        f"feeds: {count_of(errors, 'error')}, {count_of(warnings, 'warning')} -> "
        f"{config.display_path(config.output_dir)}/"
    )
    upcoming = report.next_scheduled
    if upcoming is not None:
        click.echo(
            f"feeds: next scheduled: {upcoming.title!r} ({upcoming.source}) at "
            f"{upcoming.published.isoformat()}; run the build again then "
            "(cron or a systemd timer: see the README)"
        )
    if report.strict_blocked:
        click.echo("feeds: --strict: problems found, nothing was published", err=True)


def report_json(report: BuildReport, config: Config) -> dict[str, object]:
    """The whole build report as one JSON object (`feeds build --format json`): every name the
    text summary counts, for scripts and CI. Paths of published files are relative to
    output_dir; content files are as the text report names them."""
    pub = report.publish
    feed_written, unchanged, _ = feed_counts(report)
    upcoming = report.next_scheduled
    return {
        "complete": report.complete,
        "dry_run": report.dry_run,
        "strict_blocked": report.strict_blocked,
        "validated": report.validated,
        "output_dir": config.display_path(config.output_dir),
        "files": {"total": report.files_total, "read": report.files_read},
        "excluded": list(report.excluded),
        "articles": {"published": report.articles, "drafts": report.drafts},
        "scheduled": [_scheduled(a) for a in report.scheduled],
        "next_scheduled": None if upcoming is None else _scheduled(upcoming),
        "added": list(report.added),
        "changed": list(report.changed),
        "removed": list(report.removed),
        "kept": list(report.kept),
        "feeds": {"total": report.feeds_total, "written": feed_written, "unchanged": unchanged},
        "pages_written": [p for p in pub.written if not p.endswith(FEED_SUFFIXES)],
        "refused": list(report.refused),
        "failed": [{"path": p, "message": m} for p, m in pub.failed],
        "files_removed": list(pub.removed),
        "cut": [{"path": p, "kept": k, "planned": n} for p, k, n in report.cut],
        "problems": [_problem(p) for p in report.problems],
        "findings": [f.to_json() for f in report.findings],
        **dict(zip(("errors", "warnings"), problem_counts(report), strict=True)),
    }


def _scheduled(article: Article) -> dict[str, str]:
    return {"source": article.source, "title": article.title, "at": article.published.isoformat()}


def _problem(problem: Problem) -> dict[str, str | None]:
    return {
        "source": problem.source,
        "field": problem.field,
        "value": problem.value,
        "level": problem.level.value,
        "message": problem.message,
    }


def feed_counts(report: BuildReport) -> tuple[list[str], int, int]:
    """(feed files written, the number unchanged, the number not published: refused by the
    validator or failed to write); pages and other files aside."""
    written = [p for p in report.publish.written if p.endswith(FEED_SUFFIXES)]
    failed = [p for p, _ in report.publish.failed if p.endswith(FEED_SUFFIXES)]
    refused = [p for p in report.refused if p.endswith(FEED_SUFFIXES)]
    not_published = len(refused) + len(failed)
    return written, report.feeds_total - len(written) - not_published, not_published


def problem_counts(report: BuildReport) -> tuple[int, int]:
    """(errors, warnings) in the report, each counted once: an article's problem, an article
    kept at its last good version, a validator finding, a file that failed to publish."""
    failed = sum(f.level is Severity.ERROR for f in report.findings)
    errors = len(report.errors) + len(report.kept) + failed + len(report.publish.failed)
    return errors, len(report.warnings) + len(report.findings) - failed
