"""Edits that move articles between feeds, new article files and deleted ones, under a
resident (issue 14): the last prepared site with the articles taken out and in, resolved
against it (`siteindex`), put in feed order and planned again, instead of reading,
resolving and sorting every article again (at 100,000 articles, most of a watcher's build).

A change qualifies on a site where nothing was left out site-wide (a shared id or link, a
category clash, an entry over the size limit: a change could bring such an article back)
when each file read reads without a problem, nothing kept at a last good version is
involved, each article that comes is a draft or is due now and each that goes was published
or a draft (nothing scheduled or expired: those move the time of the site's next change),
no article moves back from what may have been the latest date, and `resolve_changes` can
resolve the articles that come. Else `None`: the caller prepares the site in full.
tests/test_siteadd.py compares both with clean builds.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left, insort
from datetime import datetime

from feeds.cache import FileState
from feeds.config import Config
from feeds.contents import ContentSource
from feeds.feedkinds import feed_order, in_feeds, name_clashes
from feeds.feedmembers import FEED_ORDER, FeedMembers, changed_members, feed_position
from feeds.model import Article, FileStat
from feeds.parallel import Workers
from feeds.reading import Loaded
from feeds.site import Prepared, plan_without_oversized
from feeds.siteindex import PUBLISHED_ORDER, SiteIndex, resolve_changes, site_index

Stats = list[tuple[str, FileStat]]
Swapped = list[tuple[Article, Article]]  # (as published before, as published now)


@dataclasses.dataclass(frozen=True, slots=True)
class SiteChange:
    """What a patch changes: articles swapped with the same category names, articles whose
    category names changed (as published before, as filed before, as filed now), the new
    files (read in `loaded`) and the deleted ones (their last states)."""

    swapped: Swapped
    renamed: list[tuple[Article, Article, Article]]
    came: Stats
    gone: dict[str, FileState]
    loaded: Loaded


@dataclasses.dataclass(frozen=True, slots=True)
class Grown:
    """The site after a `SiteChange`, the articles swapped (the renamed ones too, as
    published now), those published from new files, and the sources no longer published."""

    site: Prepared
    swapped: Swapped
    added: tuple[Article, ...]
    removed: tuple[str, ...]


def grown_site(
    config: Config,
    previous: Prepared,
    published: tuple[Article, ...],
    change: SiteChange,
    contents: ContentSource,
    now: datetime,
) -> Grown | None:
    """`previous` after `change` (`published`: its articles with `change.swapped` in;
    `contents` holds every file's state, new ones in path order). None: prepare in full."""
    if previous.left_out or any(new.published > now for _, new in change.swapped):
        return None
    due, drafts = _new_articles(change.loaded, change.came, now)
    removed, gone_drafts = _gone_articles(previous, change.gone)
    if due is None or removed is None or any(new.published > now for *_, new in change.renamed):
        return None
    removed += [(old, filed) for old, filed, _ in change.renamed]
    index = previous.index or index_of(previous)
    changes = resolve_changes(removed, [*due, *(new for *_, new in change.renamed)], index, config)
    if changes is None:
        return None
    resolved = {a.source: a for a in changes.resolved}
    renamed = [(old, resolved[new.source]) for old, _, new in change.renamed]
    moved = [*change.swapped, *renamed]
    gone = [old for old, _ in removed if old.source not in resolved]
    renamed_sources = {new.source for _, new in renamed}
    added = [a for a in changes.resolved if a.source not in renamed_sources]
    found, latest = _latest(previous, moved, gone, added)
    if not found:
        return None
    articles = _articles(published, removed, changes.resolved)
    ordered, members = changed_feed_order(previous, articles, moved, gone, added, config)
    problems = previous.problems[: previous.read_problems]
    problems.extend(name_clashes(ordered, config))  # recounted: tags and authors may change
    planned = len(problems)
    plan, kept, members = plan_without_oversized(
        config, articles, ordered, contents, Workers(1), problems, members
    )
    if kept is articles:
        changes.apply(index, (old for old, _ in removed))
    site = dataclasses.replace(
        previous,
        plan=plan,
        contents=contents,
        states=contents.states,
        problems=problems,
        kept=list(previous.kept),
        drafts=previous.drafts + drafts - gone_drafts,
        published=len(kept),
        files_total=previous.files_total + len(change.came) - len(change.gone),
        files_read=change.loaded.files_read,
        latest=latest,
        articles=kept,
        ordered=ordered if kept is articles else None,
        members=members if kept is articles else None,
        left_out=len(problems) - planned,
        index=index if kept is articles else None,
    )
    if kept is not articles:  # some left out as oversized: not added
        sources = {a.source for a in kept}
        added = [a for a in added if a.source in sources]
    return Grown(site, moved, tuple(added), tuple(a.source for a in gone))


def index_of(previous: Prepared) -> SiteIndex:
    """The index of the last site: each published article with its version as filed."""
    filed = previous.contents.articles
    return site_index((a, filed[a.source][2]) for a in previous.articles)


def _new_articles(loaded: Loaded, came: Stats, now: datetime) -> tuple[list[Article] | None, int]:
    """The due articles of the new files and how many drafts they hold; None when a file
    has a problem or an article that is not a draft and not due."""
    due: list[Article] = []
    drafts = 0
    for relative, _ in came:
        state = loaded.states.get(relative)
        if state is None or state.kept or state.problems:
            return None, 0
        for article in state.good:
            if article.draft:
                drafts += 1
            elif article.published > now or _expired(article, now):
                return None, 0  # scheduled, or expired
            else:
                due.append(article)
    return due, drafts


def _gone_articles(
    previous: Prepared, gone: dict[str, FileState]
) -> tuple[list[tuple[Article, Article]] | None, int]:
    """The articles of the deleted files, each (as published, as filed), and how many drafts
    they held; None when one was neither published nor a draft, or a file had problems."""
    removed: list[tuple[Article, Article]] = []
    drafts = 0
    for state in gone.values():
        if state.kept or state.problems:
            return None, 0
        for article in state.good:
            if article.draft:
                drafts += 1
                continue
            published = published_version(previous.articles, article)
            if published is None:
                return None, 0
            removed.append((published, article))
    return removed, drafts


def published_version(articles: tuple[Article, ...], filed: Article) -> Article | None:
    """The published version of an article as its file gave it (site-wide resolution may
    have renamed its categories), or None when it was not published (a draft, scheduled,
    left out by a clash or over the size limit)."""
    position = bisect_left(articles, filed.source, key=_source)
    if position == len(articles) or articles[position].source != filed.source:
        return None
    published = articles[position]
    if published is filed or published == dataclasses.replace(
        filed, categories=published.categories
    ):
        return published
    return None


def _source(article: Article) -> str:
    return article.source


def _articles(
    published: tuple[Article, ...],
    removed: list[tuple[Article, Article]],
    resolved: list[Article],
) -> tuple[Article, ...]:
    """`published` without the `removed` articles and with the `resolved` ones, in order."""
    gone = {old.source for old, _ in removed}
    articles = [a for a in published if a.source not in gone] if gone else list(published)
    for article in resolved:
        insort(articles, article, key=PUBLISHED_ORDER)
    return tuple(articles)


def _latest(
    previous: Prepared, moved: Swapped, gone: list[Article], added: list[Article]
) -> tuple[bool, datetime | None]:
    """(True, `Prepared.latest` of the changed site), or (False, None) when an article
    moved back from, or left, a date that may have been the latest: every article would
    have to be looked at."""
    latest = previous.latest
    back = [old for old, new in moved if new.published < old.published]
    if any(latest is None or old.published >= latest for old in (*back, *gone)):
        return False, None
    later = [new.published for old, new in moved if new.published > old.published]
    dates = [latest, *later, *(a.published for a in added)]
    return True, max(filter(None, dates), default=None)


def _expired(article: Article, now: datetime) -> bool:
    return article.expires is not None and article.expires <= now


def changed_feed_order(
    previous: Prepared,
    articles: tuple[Article, ...],
    moved: Swapped,
    gone: list[Article],
    added: list[Article],
    config: Config,
) -> tuple[list[Article], FeedMembers | None]:
    """`feed_order` of the changed site's `articles`: the last build's order (when it kept one) with
    each moved article in its old one's place when it sorts the same and is filed the same
    (so `in_feeds` holds it or not as before), else taken out and put in again (feed order
    is unique: ids are); gone ones taken out and added ones put in. With the last build's
    `FeedMembers` changed the same way, when it kept them. `last` is left as it was."""
    last = previous.ordered
    if last is None:
        return feed_order(articles, config), None
    ordered = list(last)
    out, coming = list(gone), list(added)
    stayed: Swapped = []  # moved in place: the members take them out and put them in
    for old, new in moved:
        if not _same_place(old, new):
            out.append(old)
            coming.append(new)
        elif (position := feed_position(ordered, old)) is not None:
            ordered[position] = new
            stayed.append((old, new))
    for old in out:
        if (position := feed_position(ordered, old)) is not None:
            del ordered[position]
    entering = in_feeds(coming, config)
    for article in entering:
        insort(ordered, article, key=FEED_ORDER)
    if previous.members is None:
        return ordered, None
    taken_out = [*out, *(old for old, _ in stayed)]
    put_in = [*entering, *(new for _, new in stayed)]
    return ordered, changed_members(previous.members, taken_out, put_in)


def _same_place(old: Article, new: Article) -> bool:
    return (
        old.sort_key() == new.sort_key()
        and old.in_feeds == new.in_feeds
        and [c.slugs for c in old.categories] == [c.slugs for c in new.categories]
    )
