"""What site-wide resolution knows of the published articles, so that a resident can take
new ones without resolving every article again (issue 14, `sitepatch`).

`resolve_site` leaves out articles that share an id or a link, and `resolve_categories`
shows each category level with one spelling site-wide (a config title, else the spelling
most articles use) and leaves out articles whose names share a slug path. On a site where
nothing was left out, an added article changes nothing for the others when its id and link
are new and each level it is filed under is either new or spelled as that level is shown
(its name then only gains a use, and cannot collide); `resolve_added` answers None for any
other article, and the caller resolves the site in full.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable, Iterable, Sequence

from feeds.categories import configured_name, displayed_categories, path_key
from feeds.config import Config
from feeds.model import Article

Node = tuple[str, ...]  # a category's slug path, or one of its ancestors'
# `resolve_categories` gives the published articles in this order
PUBLISHED_ORDER = operator.attrgetter("source", "id", "slug")


@dataclasses.dataclass(slots=True)
class SiteIndex:
    """The published articles' ids and links, and for each category level filed under, its
    name as shown and the source of an article filed under it."""

    ids: set[str]
    links: set[str]
    nodes: dict[Node, tuple[str, str]]

    def take(self, articles: Iterable[Article]) -> None:
        """Add articles `resolve_added` gave (the index then describes the site with them)."""
        for article in articles:
            self.ids.add(article.id)
            self.links.add(article.link)
            for category in article.categories:
                for depth in range(1, len(category.slugs) + 1):
                    shown = (category.names[depth - 1], article.source)
                    self.nodes.setdefault(category.slugs[:depth], shown)


def site_index(published: Iterable[Article]) -> SiteIndex:
    """The index of a site's published articles (as `resolve_site` gave them)."""
    index = SiteIndex(set(), set(), {})
    index.take(published)
    return index


def resolve_added(
    added: Sequence[Article],
    index: SiteIndex,
    as_filed: Callable[[str], Article],
    config: Config,
) -> list[Article] | None:
    """`added` (due articles that are no drafts) as `resolve_site` publishes them beside the
    articles `index` describes, sorted as it sorts; None when one shares an id or a link, or
    is filed under a level in a spelling that could change how the level is shown or clash
    with its name (see the module docstring). `as_filed(source)` is a published article as
    its file gave it (before resolution)."""
    display: dict[Node, str] = {}
    new_names: dict[Node, str] = {}
    ids: set[str] = set()
    links: set[str] = set()
    for article in added:
        if article.id in index.ids or article.id in ids or article.link in index.links:
            return None
        if article.link in links:
            return None
        ids.add(article.id)
        links.add(article.link)
        for category in article.categories:
            for depth in range(1, len(category.slugs) + 1):
                node, name = category.slugs[:depth], category.names[depth - 1]
                shown = _shown(node, name, index, as_filed, config, new_names)
                if shown is None:
                    return None
                display[node] = shown
    resolved = []
    for article in added:
        listed = tuple((c.slugs, c.names) for c in article.categories)
        categories = displayed_categories(listed, display)
        resolved.append(
            article if categories is None else dataclasses.replace(article, categories=categories)
        )
    return sorted(resolved, key=PUBLISHED_ORDER)


def _shown(
    node: Node,
    name: str,
    index: SiteIndex,
    as_filed: Callable[[str], Article],
    config: Config,
    new_names: dict[Node, str],
) -> str | None:
    """How the level `node`, which an added article names `name`, is shown with it; None
    when that cannot be told without counting every article's spelling."""
    configured = configured_name(config, node)
    known = index.nodes.get(node)
    if known is None:  # a new level: only added articles use it, each the same way
        if new_names.setdefault(node, name) != name:
            return None
        return configured or name
    shown, source = known
    if configured is None and name != shown:
        return None  # another spelling gains a use: which one wins is counted site-wide
    filed = _filed_name(as_filed(source), node)
    if filed is None or path_key((filed,)) != path_key((name,)):
        return None  # names that share a slug path: a collision
    return shown


def _filed_name(article: Article, node: Node) -> str | None:
    """The name `article` gives the level `node` as its file has it, or None."""
    depth = len(node)
    for category in article.categories:
        if category.slugs[:depth] == node:
            return category.names[depth - 1]
    return None
