"""An edit that only rewords articles, under a resident (issue 14): the last prepared site
with the edited articles swapped in (`patch_site`), instead of resolving and planning every
article again, which at 100,000 articles was most of a watcher's rebuild.

Only title, body and summary may differ, in articles that were published: no site-wide step
reads them (resolution reads ids, links and categories; the plan reads dates, categories,
tags, authors, languages and the kinds of feeds), so the patched site is the one `prepare`
would give. An edit that also changes what only the plan reads (dates, tags, authors, the
language, `feed:`), keeping the id, the link, the category names, the draft flag and the
expiry, is swapped in the same way and planned again (`siteadd`), as are new article files.
Anything else (another field, a problem that came or went, a record added or removed, an
entry now over the size limit, another `now` that changes what is due) is `None`: the
caller prepares the site in full. tests/test_sitepatch.py and tests/test_siteadd.py compare
both.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left, insort
from collections.abc import Mapping
from datetime import datetime
from operator import attrgetter
from typing import cast

from feeds.cache import BuildCache, FileState
from feeds.config import Config
from feeds.contents import ContentSource, content_index
from feeds.model import Article
from feeds.parallel import Workers
from feeds.plan import FeedSpec, SitePlan
from feeds.reading import load_files
from feeds.recordbodies import RecordBodies
from feeds.site import Prepared, oversized
from feeds.siteadd import SiteChange, Stats, changed_feed_order, grown_site, published_version

SWAPPABLE = ("title", "body", "summary")
_SOURCE = attrgetter("source")
_OTHER_FIELDS = attrgetter(
    *(f.name for f in dataclasses.fields(Article) if f.name not in SWAPPABLE)
)
# what an edit planned again keeps (resolution reads ids and links, `siteindex` the category
# names; drafts and the expiry decide what is published, and when the site next changes)
_RESOLVED_FIELDS = attrgetter("source", "slug", "id", "link", "draft", "expires")
ScanChange = tuple[Stats, Stats, list[str]]  # files whose stats were taken again, new, deleted


@dataclasses.dataclass(frozen=True, slots=True)
class Patched:
    """A patched site, and each article swapped: (as published before, as published now)."""

    site: Prepared
    swapped: tuple[tuple[Article, Article], ...]
    added: tuple[Article, ...] = ()  # published articles of new files (`siteadd`)
    removed: tuple[str, ...] = ()  # the sources no longer published (deleted files)


def patch_site(
    config: Config,
    previous: Prepared,
    cache: BuildCache,
    scanned: ScanChange,
    now: datetime,
    started_ns: int,
    record_bodies: RecordBodies,
) -> Patched | None:
    """`previous` (prepared from `cache`'s content, by the build that saved `cache`) with
    the files of `scanned` (stats taken again, new, deleted) read again; None when the
    site must be prepared in full (see the module docstring)."""
    touched, came, gone = scanned
    if cache.summary is None or not cache.summary.covers(now):
        return None
    if (came or gone) and previous.left_out:
        return None  # `siteadd`: something was left out site-wide
    loaded = load_files(config, cache, [*touched, *came], None, started_ns, Workers(1))
    edits = _edits(previous, touched, loaded.states)
    if edits is None:
        return None
    pairs, renamed = edits.pairs, edits.renamed
    replan = edits.replan or bool(came or gone)
    states = dict(previous.states)
    states.update((relative, loaded.states[relative]) for relative, _ in touched)
    swapped = _published(previous.articles, pairs)
    if swapped is None:
        return None
    left = {relative: previous.states[relative] for relative in gone}
    if came or gone:
        states = _with_new_files(states, came, loaded.states)
        for relative in gone:
            del states[relative]
    contents = ContentSource(
        config, cache, loaded.bodies, states, record_bodies,
        # the previous index, the read files' articles as read now
        index={**previous.contents.articles, **content_index(loaded.states)},
    )  # fmt: skip
    if replan:
        published = _swapped_articles(previous.articles, swapped) if swapped else previous.articles
        change = SiteChange(swapped, renamed, came, left, loaded)
        grown = grown_site(config, previous, published, change, contents, now)
        if grown is None:
            return None
        grown.site.scheduled = edits.scheduled_now(previous.scheduled)
        grown.site.patched_from = _patched_from(previous, scanned)
        return Patched(grown.site, tuple(grown.swapped), grown.added, grown.removed)
    plan = _swapped_plan(previous.plan, {id(old): new for old, new in swapped})
    if _any_oversized(plan, swapped, contents):
        return None
    # a rewording keeps each article's place (sort key, categories, what `in_feeds` reads)
    ordered, members = (None, None) if previous.ordered is None else changed_feed_order(
        previous, previous.articles, swapped, [], [], config
    )  # fmt: skip
    site = dataclasses.replace(
        previous,
        plan=plan,
        contents=contents,
        states=states,
        problems=list(previous.problems),
        kept=list(previous.kept),
        files_read=loaded.files_read,
        articles=_swapped_articles(previous.articles, swapped),
        ordered=ordered,
        members=members,
        scheduled=edits.scheduled_now(previous.scheduled),
        patched_from=_patched_from(previous, scanned),
    )
    return Patched(site, tuple(swapped))


def _patched_from(
    previous: Prepared, scanned: ScanChange
) -> tuple[Mapping[str, FileState], tuple[str, ...]]:
    """The states a patch starts from and the paths whose states it may replace: those the
    scan took again, the new files and the deleted ones (every other is copied as it is)."""
    touched, came, gone = scanned
    return previous.states, (*(r for r, _ in touched), *(r for r, _ in came), *gone)


@dataclasses.dataclass(slots=True)
class _Edits:
    """The articles the files read again changed, sorted by what a patch does with them:
    published ones with the same category names (as read before, now), published ones
    renamed (as published before, as read before, now), scheduled ones reworded (by the
    id of the one before); and whether any change is more than rewording."""

    pairs: list[tuple[Article, Article]]
    renamed: list[tuple[Article, Article, Article]]
    scheduled: dict[int, Article]
    replan: bool

    def scheduled_now(self, scheduled: tuple[Article, ...]) -> tuple[Article, ...]:
        if not self.scheduled:
            return scheduled
        return tuple(self.scheduled.get(id(a), a) for a in scheduled)


def _edits(previous: Prepared, touched: Stats, read: Mapping[str, FileState]) -> _Edits | None:
    """What the `touched` files (read again into `read`) changed; None when the site must be
    prepared in full. A draft edited changes nothing published; a scheduled article edited
    keeping its date (and so the time the site next changes) only changes what the report
    says of it."""
    edits = _Edits([], [], {}, False)
    scheduled = {id(a) for a in previous.scheduled}
    for relative, _ in touched:
        old, new = previous.states.get(relative), read.get(relative)
        if old is None or new is None or not _patchable(old, new):
            return None
        for a, b in zip(old.good, new.good, strict=True):
            if a is b or a.draft:  # b is a draft too: `_patchable` keeps the flag
                continue
            if id(a) in scheduled:
                if a.published != b.published:
                    return None
                edits.scheduled[id(a)] = b
                continue
            if not (_names(a) == _names(b) and _OTHER_FIELDS(a) == _OTHER_FIELDS(b)):
                if previous.left_out:
                    return None
                edits.replan = True
            if _names(a) == _names(b):
                edits.pairs.append((a, b))
                continue
            was = published_version(previous.articles, a)
            if was is None:
                return None
            edits.renamed.append((was, a, b))
    return edits


def _with_new_files(
    states: dict[str, FileState], came: Stats, read: Mapping[str, FileState]
) -> dict[str, FileState]:
    """`states` with those of the new files `came` (none missing: `siteadd` checks) in path
    order, as a scan lists files."""
    paths = list(states)
    for relative, _ in came:
        if relative in read:
            insort(paths, relative)
    merged = cast(dict[str, FileState], dict.fromkeys(paths))  # the order, values below
    merged.update(states)  # keys kept where they are; in C, not a Python step per file
    merged.update((path, state) for path, state in read.items() if path in merged)
    return merged


def _patchable(old: FileState, new: FileState) -> bool:
    """True when a file gives as many records as before with the same problems, none kept
    at a last good version, each keeping what resolution and the published set read
    (`_RESOLVED_FIELDS`; the module docstring)."""
    if old.kept or new.kept or old.problems != new.problems or len(old.good) != len(new.good):
        return False
    return all(
        a is b or _RESOLVED_FIELDS(a) == _RESOLVED_FIELDS(b)
        for a, b in zip(old.good, new.good, strict=True)
    )


def _names(article: Article) -> list[tuple[str, ...]]:
    return [c.names for c in article.categories]


def _published(
    articles: tuple[Article, ...], pairs: list[tuple[Article, Article]]
) -> list[tuple[Article, Article]] | None:
    """Each pair as published (site-wide resolution may have renamed the categories by
    making another article); None when one was not published (a draft, scheduled, left out
    by a clash or over the size limit): what it takes part in is not known here."""
    swapped = []
    for read_before, read_now in pairs:
        published = published_version(articles, read_before)
        if published is None:
            return None
        if published is not read_before:
            read_now = dataclasses.replace(read_now, categories=published.categories)
        swapped.append((published, read_now))
    return swapped


def _swapped_plan(plan: SitePlan, new_of: dict[int, Article]) -> SitePlan:
    def swapped(feed: FeedSpec) -> FeedSpec:
        if not any(id(entry) in new_of for entry in feed.entries):
            return feed
        entries = tuple(new_of.get(id(entry), entry) for entry in feed.entries)
        return dataclasses.replace(feed, entries=entries)

    return dataclasses.replace(
        plan,
        feeds=tuple(swapped(feed) for feed in plan.feeds),
        archives=tuple(swapped(feed) for feed in plan.archives),
    )


def _any_oversized(
    plan: SitePlan, swapped: list[tuple[Article, Article]], contents: ContentSource
) -> bool:
    """True when an article swapped into some feed now gives too much entry HTML (`prepare`
    then leaves it out, and says so)."""
    entries = {id(entry) for feed in (*plan.feeds, *plan.archives) for entry in feed.entries}
    return any(
        id(new) in entries and oversized(contents(new).html) is not None for _, new in swapped
    )


def _swapped_articles(
    articles: tuple[Article, ...], swapped: list[tuple[Article, Article]]
) -> tuple[Article, ...]:
    updated = list(articles)
    for old, new in swapped:
        updated[bisect_left(articles, old.source, key=_SOURCE)] = new
    return tuple(updated)
