"""What site-wide resolution knows of the published articles, so that a resident can take
articles in and out without resolving every article again (issue 14, `siteadd`).

`resolve_site` leaves out articles that share an id or a link, and `resolve_categories`
shows each category level with one spelling site-wide (a config name, else the spelling
most uses have: `categories.most_used`) and leaves out articles whose names share a slug
path under different collision keys. On a site where nothing was left out, the index keeps
the ids, the links and, for each level, how often each spelling is filed, its collision key
and the name it is shown with. `resolve_changes` takes articles out and in: when every id
and link is still unique, no level gains a name of another key, and every level that stays
is shown as before, no other article changes and the changed ones are resolved here; else
None, and the caller resolves the site in full.
"""

from __future__ import annotations

import dataclasses
import operator
from collections import Counter
from collections.abc import Iterable, Sequence

from feeds.categories import configured_name, displayed_categories, most_used, path_key
from feeds.config import Config
from feeds.model import Article

Node = tuple[str, ...]  # a category's slug path, or one of its ancestors'
# `resolve_categories` gives the published articles in this order
PUBLISHED_ORDER = operator.attrgetter("source", "id", "slug")


@dataclasses.dataclass(slots=True)
class SiteIndex:
    """The published articles' ids and links; for each category level filed under, the uses
    of each spelling (as the files have it), the collision key of its names, and the name it
    is shown with."""

    ids: set[str]
    links: set[str]
    spellings: dict[Node, Counter[str]]
    keys: dict[Node, str]
    shown: dict[Node, str]


def site_index(published: Iterable[tuple[Article, Article]]) -> SiteIndex:
    """The index of a site's published articles, each (as published, as its file gave it)."""
    index = SiteIndex(set(), set(), {}, {}, {})
    for article, filed in published:
        index.ids.add(article.id)
        index.links.add(article.link)
        for node, name in _levels(filed):
            index.spellings.setdefault(node, Counter())[name] += 1
            index.keys.setdefault(node, _key(name))
        for node, name in _levels(article):
            index.shown.setdefault(node, name)
    return index


@dataclasses.dataclass(frozen=True, slots=True)
class Changes:
    """What `resolve_changes` found: the articles to publish, resolved and sorted as
    `resolve_site` sorts, and what the index becomes with them."""

    resolved: list[Article]
    _spellings: dict[Node, Counter[str]]
    _shown: dict[Node, str]
    _keys: dict[Node, str]

    def apply(self, index: SiteIndex, removed: Iterable[Article]) -> None:
        """Make `index` describe the site with these changes (`removed`: as published)."""
        for article in removed:
            index.ids.discard(article.id)
            index.links.discard(article.link)
        index.ids.update(a.id for a in self.resolved)
        index.links.update(a.link for a in self.resolved)
        for node, counts in self._spellings.items():
            if counts:
                index.spellings[node] = counts
                index.shown[node] = self._shown[node]
                index.keys[node] = self._keys[node]
            else:  # no article files anything under it now
                for table in (index.spellings, index.shown, index.keys):
                    table.pop(node, None)


def resolve_changes(
    removed: Sequence[tuple[Article, Article]],
    added: Sequence[Article],
    index: SiteIndex,
    config: Config,
) -> Changes | None:
    """`added` (due articles, no drafts, as their files give them) resolved beside the
    articles of `index` less `removed` (each as published and as its file gave it); None
    when a site-wide resolution could differ (see the module docstring)."""
    if not _unique(removed, added, index):
        return None
    delta: dict[Node, Counter[str]] = {}
    keys: dict[Node, str] = {}
    for _, filed in removed:
        for node, name in _levels(filed):
            delta.setdefault(node, Counter())[name] -= 1
    for article in added:
        for node, name in _levels(article):
            delta.setdefault(node, Counter())[name] += 1
            key = keys.setdefault(node, index.keys.get(node) or _key(name))
            if _key(name) != key:
                return None  # another name under the same slug path: a collision
    spellings: dict[Node, Counter[str]] = {}
    shown: dict[Node, str] = {}
    for node, change in delta.items():
        counts = index.spellings.get(node, Counter()).copy()
        counts.update(change)
        counts = +counts  # the spellings still used
        spellings[node] = counts
        if not counts:
            continue
        shown[node] = configured_name(config, node) or most_used(counts)
        if node in index.shown and index.shown[node] != shown[node]:
            return None  # other articles filed under it would be shown otherwise
        if node not in keys:  # only taken out of: a level the site has
            keys[node] = index.keys[node]
    resolved = [_displayed(article, shown) for article in added]
    resolved.sort(key=PUBLISHED_ORDER)
    return Changes(resolved, spellings, shown, keys)


def _unique(
    removed: Sequence[tuple[Article, Article]], added: Sequence[Article], index: SiteIndex
) -> bool:
    """True when every id and every link stays unique with the changes."""
    gone_ids = {a.id for a, _ in removed}
    gone_links = {a.link for a, _ in removed}
    ids: set[str] = set()
    links: set[str] = set()
    for article in added:
        if article.id in ids or (article.id in index.ids and article.id not in gone_ids):
            return False
        if article.link in links or (
            article.link in index.links and article.link not in gone_links
        ):
            return False
        ids.add(article.id)
        links.add(article.link)
    return True


def _displayed(article: Article, shown: dict[Node, str]) -> Article:
    listed = tuple((c.slugs, c.names) for c in article.categories)
    categories = displayed_categories(listed, shown)
    return article if categories is None else dataclasses.replace(article, categories=categories)


def _levels(article: Article) -> Iterable[tuple[Node, str]]:
    """Each level of each category of `article` (a use per category naming it, as
    `resolve_categories` counts), with its name."""
    for category in article.categories:
        for depth in range(1, len(category.slugs) + 1):
            yield category.slugs[:depth], category.names[depth - 1]


def _key(name: str) -> str:
    return path_key((name,))[0]
