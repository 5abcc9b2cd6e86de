"""New article files under a resident (issue 14): the last prepared site with their articles
resolved against it (`siteindex`) and put in feed order, then planned again, instead of
reading, resolving and sorting every article again (at 100,000 articles, most of a
watcher's build after an editor adds an article).

A new file qualifies when it reads without a problem and each of its articles is a draft or
is due now (nothing scheduled or expired: those move the time of the site's next change),
on a site where nothing was left out site-wide (a shared id or link, a category clash, an
entry over the size limit: adding an article can bring such an article back). Else `None`:
the caller prepares the site in full. tests/test_siteadd.py compares both with clean builds.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from datetime import datetime

from feeds.config import Config
from feeds.contents import ContentSource
from feeds.feedkinds import feed_order, in_feeds, name_clashes
from feeds.model import Article, FileStat
from feeds.parallel import Workers
from feeds.reading import Loaded
from feeds.site import Prepared, plan_without_oversized
from feeds.siteindex import PUBLISHED_ORDER, resolve_added, site_index

Stats = list[tuple[str, FileStat]]
Swapped = list[tuple[Article, Article]]
_FEED_ORDER = Article.sort_key


def grown_site(
    config: Config,
    previous: Prepared,
    published: tuple[Article, ...],
    swapped: Swapped,
    loaded: Loaded,
    came: Stats,
    contents: ContentSource,
    now: datetime,
) -> tuple[Prepared, tuple[Article, ...]] | None:
    """`previous` with the new files of `came` (read in `loaded`; `contents` holds every
    file's state, theirs in path order), `published` its articles with the reworded ones
    of `swapped` (as published before, now) in; and the articles the new files publish.
    None: prepare in full (module docstring)."""
    if previous.left_out or any(new.published > now for _, new in swapped):
        return None  # something was left out site-wide, or an article is now scheduled
    due, drafts = _new_articles(loaded, came, now)
    if due is None:
        return None
    index = previous.index or site_index(published)
    resolved = resolve_added(due, index, lambda source: contents.articles[source][2], config)
    if resolved is None:
        return None
    articles = list(published)
    for article in resolved:
        insort(articles, article, key=PUBLISHED_ORDER)
    found, latest = _latest(previous, swapped, resolved)
    if not found:
        return None
    ordered = _feed_order(previous, published, swapped, resolved, config)
    problems = previous.problems[: previous.read_problems]
    problems.extend(name_clashes(ordered, config))  # recounted: tags and authors may be new
    planned = len(problems)
    all_articles = tuple(articles)
    plan, kept = plan_without_oversized(
        config, all_articles, ordered, contents, Workers(1), problems
    )
    if kept is all_articles:
        index.take(resolved)
    site = Prepared(
        plan=plan,
        contents=contents,
        states=contents.states,
        problems=problems,
        kept=list(previous.kept),
        drafts=previous.drafts + drafts,
        published=len(kept),
        scheduled=previous.scheduled,
        files_total=previous.files_total + len(came),
        files_read=loaded.files_read,
        latest=latest,
        next_expiry=min(
            filter(None, [previous.next_expiry, *(a.expires for a in resolved)]), default=None
        ),
        articles=kept,
        ordered=ordered if kept is all_articles else None,
        read_problems=previous.read_problems,
        left_out=len(problems) - planned,
        index=index if kept is all_articles else None,
    )
    kept_sources = {a.source for a in kept}
    return site, tuple(a for a in resolved if a.source in kept_sources)


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


def _latest(
    previous: Prepared, swapped: Swapped, resolved: list[Article]
) -> tuple[bool, datetime | None]:
    """(True, `Prepared.latest` of the site with the swapped and new articles), or (False,
    None) when an article moved back from a date that may have been the latest: every
    article would have to be looked at."""
    latest = previous.latest
    for old, new in swapped:
        if new.published < old.published and (latest is None or old.published >= latest):
            return False, None
    moved = [new.published for old, new in swapped if new.published > old.published]
    return True, max(filter(None, [latest, *moved, *(a.published for a in resolved)]), default=None)


def _expired(article: Article, now: datetime) -> bool:
    return article.expires is not None and article.expires <= now


def _feed_order(
    previous: Prepared,
    published: tuple[Article, ...],
    swapped: Swapped,
    resolved: list[Article],
    config: Config,
) -> list[Article]:
    """`feed_order` of the `published` articles and the resolved new ones: the last build's
    order (when it kept one) with each swapped article in its old one's place when it sorts
    the same, else taken out and put in again (feed order is unique: ids are), and the new
    ones put in."""
    last = previous.ordered
    if last is None:
        return feed_order([*published, *resolved], config)
    new_of: dict[int, Article] = {}
    moved: list[Article] = []
    for old, new in swapped:
        if old.sort_key() == new.sort_key() and old.in_feeds == new.in_feeds:
            new_of[id(old)] = new
        else:
            moved.append(old)
            resolved = [*resolved, new]
    ordered = [new_of.get(id(a), a) for a in last] if new_of else list(last)
    for old in moved:
        position = bisect_left(ordered, old.sort_key(), key=_FEED_ORDER)
        if position < len(ordered) and ordered[position] is old:
            del ordered[position]
    for article in in_feeds(resolved, config):
        insort(ordered, article, key=_FEED_ORDER)
    return ordered
