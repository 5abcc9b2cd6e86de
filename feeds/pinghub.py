"""WebSub publishing at the edge (W3C WebSub §5): after a build, one publish ping per changed
subscription feed and per ping the hub did not accept last time (`pending`); results printed
as the CLI prints them. A failure is a warning and never changes the exit code.
"""

from __future__ import annotations

import click

from feeds.config import Config
from feeds.layout import FEED_SUFFIXES
from feeds.plan import feed_url


def changed_topics(config: Config, written: tuple[str, ...]) -> list[str]:
    """The WebSub topic URLs among written files: subscription feeds (not archive pages,
    which never change for subscribers, nor HTML pages)."""
    return [
        feed_url(config, path)
        for path in written
        if path.endswith(FEED_SUFFIXES) and not path.startswith("feeds/archive/")
    ]


def ping_hub(config: Config, hub: str, written: tuple[str, ...], quiet: bool) -> None:
    """WebSub: after the feeds are written, one publish ping per changed feed; a failure is
    reported as a warning and never changes the exit code."""
    from feeds.pending import (
        pending_lock,
        read_pending,
        still_pending,
        topics_to_ping,
        write_pending,
    )
    from feeds.websub import notify_hub

    # Pings the hub did not accept last time are sent again (issue 19), once per feed.
    pending_before, problem = read_pending(config.cache_dir)
    if problem:
        click.echo(f"warning: WebSub: {problem}", err=True)
    # A feed since removed (or a site moved) is no longer pending.
    still_there = [topic for topic in pending_before if _published(config, topic)]
    topics = topics_to_ping(changed_topics(config, written), still_there)
    if not topics:
        return
    results = notify_hub(hub, topics)
    sent = [(ping.url, ping.ok) for ping in results]
    pending = [topic for topic, ok in sent if not ok]
    try:
        with pending_lock(config.cache_dir):  # read again: another build may have added some
            recorded, _ = read_pending(config.cache_dir)
            published = [t for t in recorded if _published(config, t)] + topics
            pending = still_pending(recorded, sent, published)
            write_pending(config.cache_dir, pending)
    except OSError as failure:
        click.echo(f"warning: WebSub: cannot record pending pings: {failure}", err=True)
    failures: dict[str, list[str]] = {}
    for ping in results:
        if not ping.ok:
            failures.setdefault(ping.error or "failed", []).append(ping.url)
    for error, urls in sorted(failures.items()):
        which = urls[0] if len(urls) == 1 else f"{len(urls)} changed feeds (first: {urls[0]})"
        click.echo(
            f"warning: WebSub hub {hub}: {which} not announced: {error}; "
            "readers will still poll, and the next build pings again",
            err=True,
        )
    if not quiet:
        announced = sum(p.ok for p in results)
        click.echo(
            f"feeds: WebSub: {announced} of {len(results)} changed feeds announced to {hub}"
            f"; {len(pending)} pending (pinged again by the next build)"
        )


def _published(config: Config, topic: str) -> bool:
    base = config.feeds_url
    return topic.startswith(base) and (config.output_dir / topic[len(base) :]).is_file()
