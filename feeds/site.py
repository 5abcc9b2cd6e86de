"""The site as the content says it should be published at `now`, before rendering: content
read (incrementally), normalised, resolved site-wide and planned (`prepare`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain, filterfalse
from operator import attrgetter
from pathlib import Path

from feeds.cache import BuildCache, FileState
from feeds.config import Config
from feeds.contentfiles import scan_content
from feeds.contents import ContentSource
from feeds.feedkinds import FeedKind, feed_order, name_clashes
from feeds.feedmembers import FeedMembers, members_of
from feeds.model import Article, FileStat, Level, Problem, Progress, RecordSource
from feeds.normalise import resolve_site
from feeds.parallel import Workers
from feeds.plan import FeedSpec, SitePlan, plan_ordered
from feeds.reading import load_files
from feeds.recordbodies import RecordBodies
from feeds.recordsource import load_records
from feeds.request import BuildError
from feeds.siteindex import SiteIndex
from feeds.storewrite import WrittenShard, discard_written


@dataclass(slots=True)
class Prepared:
    """The site as the content says it should be published at `now`, before rendering."""

    plan: SitePlan
    contents: ContentSource
    states: dict[str, FileState]
    problems: list[Problem]
    kept: list[str]
    drafts: int
    published: int
    scheduled: tuple[Article, ...]
    files_total: int
    files_read: int
    latest: datetime | None = None  # the newest publication time among the articles due
    articles: tuple[Article, ...] = ()  # every article published (for the id registry)
    next_expiry: datetime | None = None  # the earliest `expires` among the articles due
    # for `sitepatch`: the articles feeds may hold in feed order (None: not kept), how many
    # of `problems` reading gave (they come first), how many left articles out site-wide
    ordered: list[Article] | None = None
    members: FeedMembers | None = None  # `members_of(ordered)`, kept with it
    read_problems: int = 0
    left_out: int = 0
    index: SiteIndex | None = None  # made by the first patch that adds articles
    written: Mapping[str, WrittenShard] = field(default_factory=dict)  # `load_files`
    # a patched site (`sitepatch`): the states it was patched from and the paths whose states
    # may not be those very objects (the save then looks at those only)
    patched_from: tuple[Mapping[str, FileState], tuple[str, ...]] | None = None


_GOOD, _DRAFT, _PUBLISHED = attrgetter("good"), attrgetter("draft"), attrgetter("published")


def prepare(
    config: Config,
    cache: BuildCache,
    now: datetime,
    progress: Progress | None = None,
    *,
    started_ns: int | None = None,
    files: list[tuple[str, FileStat]] | None = None,
    pool: Workers | None = None,
    sources: tuple[RecordSource, ...] = (),
    record_bodies: RecordBodies | None = None,
    store: Path | None = None,
) -> Prepared:
    """Read (incrementally), normalise, resolve and plan; raises `BuildError` for an empty site.
    `started_ns` (wall clock, ns) marks stats too fresh to trust; pass it when the returned
    states will be saved. `files` is `scan_content`'s answer when already taken; `pool`
    shares the reading when it has workers; `sources` are records read besides the files
    (`recordsource`). `store` (cache_dir) lets the workers write whole shards of the states
    as they read them (`Prepared.written`; only when the build will save its state). The
    caller has checked the category settings (`categories.check_category_config`)."""
    if files is None:
        files = scan_content(config.content_dir, exclude=config.content_exclude)
    loaded = load_files(config, cache, files, progress, started_ns, pool or Workers(1), store)
    # issue 18: records handed to the build; their bodies kept in `record_bodies` (on disk for
    # a build), their entry content made only for those the plan puts in a feed, like files'
    bodies = RecordBodies() if record_bodies is None else record_bodies
    load_records(config, cache, sources, loaded, bodies)
    states, problems = loaded.states, loaded.problems
    everything = list(chain.from_iterable(map(_GOOD, states.values())))  # in C
    if not everything and not any(p.level is Level.ERROR for p in problems):
        discard_written(config.cache_dir, loaded.written)
        raise BuildError(
            f"no articles found in {config.display_path(config.content_dir)}; "
            "nothing was published (check content_dir)"
        )
    # Drafts and scheduled articles take no part in resolution, so neither can block (by a
    # duplicate id or a slug clash) an article that is already published.
    live = list(filterfalse(_DRAFT, everything))
    due = [a for a in live if a.published <= now and (a.expires is None or now < a.expires)]
    # An expired article (issue 18, `expires`) is out from its expiry on: that instant is
    # when the published set changes, like a scheduled article's date.
    expired = [a.expires for a in live if a.expires is not None and a.expires <= now]
    published, site_problems = resolve_site(due, config)
    read_problems = len(problems)
    problems.extend(site_problems)
    ordered = feed_order(published, config)  # sorted once, for the next two
    problems.extend(name_clashes(ordered, config))  # tag or author feeds sharing a slug
    contents = ContentSource(config, cache, loaded.bodies, states, bodies)
    planned = len(problems)
    plan, kept, members = plan_without_oversized(
        config, published, ordered, contents, pool, problems
    )
    return Prepared(
        plan=plan,
        contents=contents,
        states=states,
        problems=problems,
        kept=loaded.kept,
        drafts=sum(map(_DRAFT, everything)),
        published=len(kept),
        scheduled=tuple(a for a in live if a.published > now),
        files_total=loaded.files_total,
        files_read=loaded.files_read,
        latest=max([*map(_PUBLISHED, due), *expired], default=None),
        next_expiry=min((a.expires for a in due if a.expires is not None), default=None),
        articles=kept,
        ordered=ordered if kept is published else None,
        members=members if kept is published else None,
        read_problems=read_problems,
        left_out=len(site_problems) + len(problems) - planned,
        written=loaded.written,
    )


# Bytes of entry HTML (UTF-8) per entry: output stays bounded per entry (every poller fetches
# it again and again; escaped in Atom it grows by half or more), far under libxml2's
# 10,000,000-byte limit per text node that feed readers built on it (and lint) enforce. A
# body under the character limit can still outgrow it: a GFM table padded to 1,000 columns,
# relative links expanded against a long permalink.
MAX_ENTRY_HTML = 2_000_000


def oversized(html: str) -> int | None:
    """The UTF-8 size of entry HTML over `MAX_ENTRY_HTML`, else None (encoded only when it
    may be: a character is at most four bytes)."""
    if len(html) * 4 <= MAX_ENTRY_HTML:
        return None
    size = len(html.encode())
    return size if size > MAX_ENTRY_HTML else None


def plan_without_oversized(
    config: Config,
    published: tuple[Article, ...],
    ordered: list[Article],
    contents: ContentSource,
    pool: Workers | None,
    problems: list[Problem],
    members: FeedMembers | None = None,
) -> tuple[SitePlan, tuple[Article, ...], FeedMembers]:
    """The plan of `ordered` (`feed_order` of `published`), without each article whose entry
    HTML is over `MAX_ENTRY_HTML` (an error naming it); planned again without them, so the
    feeds they were in still publish. With the articles planned and their `FeedMembers`
    (`members`: those of `ordered`, when the caller has them)."""
    while True:
        members = members_of(ordered) if members is None else members
        plan = plan_ordered(ordered, config, members)
        entries = {a.source: a for feed in (*plan.feeds, *plan.archives) for a in feed.entries}
        contents.prefetch(entries.values(), pool or Workers(1))
        too_big: dict[str, int] = {}
        for source, article in entries.items():
            if (size := oversized(contents(article).html)) is not None:
                too_big[source] = size
        if not too_big:
            return plan, published, members
        for source, size in sorted(too_big.items()):
            problems.append(
                Problem(
                    source,
                    "body",
                    None,
                    f"gives {size:,} bytes of entry HTML; a feed entry carries at most "
                    f"{MAX_ENTRY_HTML:,}, so that feeds stay small enough to poll: shorten "
                    "it, split a very wide table, or publish a summary that links to the "
                    "full text",
                )
            )
        published = tuple(a for a in published if a.source not in too_big)
        ordered = [a for a in ordered if a.source not in too_big]
        members = None


def advertised(plan: SitePlan, refused: set[str], output_dir: Path) -> SitePlan:
    """The plan the discovery pages describe: without a category feed that the validator
    refused in every format and that has never been published, and without the links to any
    one format refused and never published (`SitePlan.unpublished`), so no page links a URL
    that answers 404 (the site feed is always listed)."""

    unpublished = frozenset(p for p in refused if not (output_dir / p).exists())
    if not unpublished:
        return plan

    def never_published(feed: FeedSpec) -> bool:
        return all(feed.path(fmt) in unpublished for fmt in plan.formats)

    kept = tuple(
        feed for feed in plan.feeds if feed.kind is FeedKind.SITE or not never_published(feed)
    )
    return dataclasses.replace(plan, feeds=kept, unpublished=unpublished)
