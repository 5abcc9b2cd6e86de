"""Checking one written feed file against the feed it was rendered from: lint in site mode,
then the round trip (read back as a reader does, compared field by field). The build and
`feeds validate` both call `check_file`.
"""

from __future__ import annotations

from feeds.config import Config
from feeds.findings import Finding
from feeds.lint import lint_feed
from feeds.lint.report import Report
from feeds.lintmemo import LintMemo
from feeds.plan import FeedSpec
from feeds.render.rules import ContentFn, feed_content
from feeds.validate.compare import compare_entries, compare_feed
from feeds.validate.json_reader import json_views
from feeds.validate.xml_reader import Parsed, parse_xml
from feeds.views import EntryMemo


def check_file(
    data: bytes,
    fmt: str,
    feed: FeedSpec,
    config: Config,
    content: ContentFn,
    *,
    file: str,
    memo: EntryMemo | None = None,
    lint_memo: LintMemo | None = None,
) -> list[Finding]:
    """Lint (site mode), then round trip: every finding for one feed file of the site. JSON
    Feed is linted as its reading starts (`check_round_trip`). With `lint_memo` bytes it has
    linted are not linted again (`feeds.lintmemo`)."""
    hosts = config.allow_iframes  # embeds the site allows are no SecurityRisk (issue 16)
    lint_memo = LintMemo() if lint_memo is None else lint_memo
    found = [] if fmt == "json" else lint_memo.lint_xml(data, file, hosts, lint_feed)
    round_trip = check_round_trip(
        data, fmt, feed, config, content, file=file, memo=memo, lint_memo=lint_memo
    )
    return found + round_trip


def check_round_trip(
    data: bytes,
    fmt: str,
    feed: FeedSpec,
    config: Config,
    content: ContentFn,
    *,
    file: str,
    memo: EntryMemo | None = None,
    lint_memo: LintMemo | None = None,
) -> list[Finding]:
    """Every difference between what a reader gets from `data` and what `feed` says.

    `memo` (keyed by `memo_key`) may be shared across feeds and builds; without one each
    entry is parsed here. A JSON Feed file is first checked against JSON Feed 1.1."""
    report = Report(file=file, strict=True)
    parsed: Parsed | None = None
    if fmt == "json":  # linted as its reading starts, through the memo when there is one
        document = (LintMemo() if lint_memo is None else lint_memo).lint_json(data, report)
        if document is not None:
            parsed = json_views(document)
    elif fmt in ("rss", "atom"):
        parsed = parse_xml(data, fmt, report, {} if memo is None else memo)
    else:
        raise ValueError(f"unknown feed format {fmt!r}; use rss, atom or json")
    if parsed is not None:
        compare_feed(parsed.feed, fmt, feed, config, report)
        compare_entries(parsed, fmt, feed, config, feed_content(feed, content), report)
    return report.findings
