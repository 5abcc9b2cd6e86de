"""The size budget (`feeds.max_bytes`): which entries a feed keeps so that its file fits.

Some readers choke on multi-megabyte feeds; a feed over budget drops its oldest entries until
it fits (at least one entry is always kept). Pure: the same feed gives the same cut, so the
build and the validator's site mode agree on what a published feed should hold.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from feeds.config import Config
from feeds.plan import FeedSpec
from feeds.render.rules import ContentFn


def fit_to_budget(
    feed: FeedSpec,
    fmt: str,
    config: Config,
    content: ContentFn,
    render_feed: Callable[[FeedSpec, str, Config, ContentFn], bytes],
) -> tuple[FeedSpec, bytes]:
    """The feed as it should be published in `fmt`, and its bytes: `feed` itself when it fits
    (or no budget is set), else the newest entries that fit, found by binary search."""
    data = render_feed(feed, fmt, config, content)
    limit = config.feeds.max_bytes
    if feed.page is not None:  # archive pages keep every entry (RFC 5005 complete history)
        return feed, data
    if limit is None or len(data) <= limit or len(feed.entries) <= 1:
        return feed, data
    best = dataclasses.replace(feed, entries=feed.entries[:1])
    best_data = render_feed(best, fmt, config, content)
    low, high = 2, len(feed.entries) - 1  # the largest count that fits lies in [1, high]
    while low <= high:
        middle = (low + high) // 2
        candidate = dataclasses.replace(feed, entries=feed.entries[:middle])
        candidate_data = render_feed(candidate, fmt, config, content)
        if len(candidate_data) <= limit:
            best, best_data, low = candidate, candidate_data, middle + 1
        else:
            high = middle - 1
    return best, best_data


def oversize_entry(fitted: FeedSpec, data: bytes, config: Config) -> str | None:
    """What to report when a subscription feed is still over budget with one entry left
    (issue 19): that entry, by title and source, and the sizes; None when it fits."""
    limit = config.feeds.max_bytes
    if limit is None or fitted.page is not None or len(data) <= limit or not fitted.entries:
        return None
    entry = fitted.entries[0]
    return (
        f"entry {entry.title!r} ({entry.source}) alone makes the feed {len(data):,} bytes, over "
        f"feeds.max_bytes ({limit:,}); the feed keeps it rather than publish no entries: "
        "shorten the entry or raise feeds.max_bytes"
    )
