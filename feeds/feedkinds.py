"""Which articles go into feeds at all, and the kinds of feed a site has (issue 16): the site
feed, category feeds, tag feeds and author feeds, each kind one row of data that the plan
loops over (`KINDS`), never a branch of its own.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from feeds.categories import category_settings, make_category, path_key, slugify
from feeds.config import Config, ConfigError
from feeds.model import Article, Category, Level, Problem


class FeedKind(enum.Enum):
    """What a feed collects; its value is the folder under `feeds/` (the site feed has none)."""

    SITE = "all"
    CATEGORY = "category"
    TAG = "tag"
    AUTHOR = "author"


def excluded_categories(config: Config) -> frozenset[tuple[str, ...]]:
    """The slug paths of `feeds.exclude_categories` (aliases applied, as articles name them).

    Raises ConfigError naming the entry for a name that is not a category path."""
    found = set()
    for index, name in enumerate(config.feeds.exclude_categories):
        try:
            category, _ = make_category(name, config)
        except ValueError as error:
            raise ConfigError(f"feeds.exclude_categories[{index}]", name, str(error)) from None
        found.add(category.slugs)
    return frozenset(found)


def in_feeds(articles: Iterable[Article], config: Config) -> list[Article]:
    """The articles that feeds may hold: not `feed: false`, and in no excluded category (nor
    below one). They stay published records (ids kept), only out of every feed."""
    excluded = excluded_categories(config)
    if not excluded:
        return [article for article in articles if article.in_feeds]
    return [
        article
        for article in articles
        if article.in_feeds
        and not any(
            category.slugs[:depth] in excluded
            for category in article.categories
            for depth in range(1, len(category.slugs) + 1)
        )
    ]


@dataclass(frozen=True, slots=True)
class FeedGroup:
    """What one feed collects: its kind, its key (`all`, a category's slug path, `tag/<slug>`,
    `author/<slug>`), the name a reader sees, and for a category feed the category."""

    kind: FeedKind
    key: str
    name: str
    category: Category | None = None


@dataclass(frozen=True, slots=True)
class NamedKind:
    """A kind of feed made from names an article carries (tags, authors): whether the site
    has it, the names of one article, and how many articles a name needs for a feed."""

    kind: FeedKind
    enabled: Callable[[Config], bool]
    names: Callable[[Article], Iterable[str]]
    minimum: Callable[[Config], int]


# The feed kinds beyond the site feed and categories: one row each, one code path for all.
NAMED_KINDS = (
    NamedKind(
        FeedKind.TAG,
        lambda config: config.feeds.tag_feeds,
        lambda article: article.tags,
        lambda config: config.feeds.tag_min_articles,
    ),
    NamedKind(
        FeedKind.AUTHOR,
        lambda config: config.feeds.author_feeds,
        lambda article: (author.name for author in article.authors),
        lambda config: 1,
    ),
)


def named_groups(
    ordered: list[Article], config: Config
) -> tuple[list[tuple[FeedGroup, list[Article]]], list[Problem]]:
    """The tag and author feeds the site has (each kind only when turned on), with their
    members in the order given, and a warning for each slug two different names would share.

    A name's feed lives at `feeds/<kind>/<slug>` with the categories' slug rules
    (`categories.slugify`: one safe `[a-z0-9-]` segment). Names differing only in case or
    spacing are one feed, shown in the first spelling in sort order; two names that would
    share a slug (`Café`, `Cafe`) get no feed, like categories (whose articles are skipped;
    here only the feed is left out). A tag needs `feeds.tag_min_articles` articles."""
    groups: list[tuple[FeedGroup, list[Article]]] = []
    problems: list[Problem] = []
    for named in NAMED_KINDS:
        if not named.enabled(config):
            continue
        members: dict[str, list[Article]] = {}
        spellings: dict[str, dict[str, dict[str, str]]] = {}  # slug -> key -> name -> source
        for article in ordered:
            for name in named.names(article):
                slug = slugify(name)
                found = members.setdefault(slug, [])
                if not found or found[-1] is not article:
                    found.append(article)
                spelled = spellings.setdefault(slug, {}).setdefault(path_key((name,))[0], {})
                spelled.setdefault(name, article.source)
        for slug in sorted(members):
            keys = spellings[slug]
            if len(keys) > 1:
                problems.append(_shared_slug(named.kind, slug, keys))
            elif len(members[slug]) >= named.minimum(config):
                (names,) = keys.values()
                group = FeedGroup(named.kind, f"{named.kind.value}/{slug}", min(names))
                groups.append((group, members[slug]))
    return groups, problems


def _shared_slug(kind: FeedKind, slug: str, keys: dict[str, dict[str, str]]) -> Problem:
    (first, source), *others = sorted(min(names.items()) for names in keys.values())
    named = ", ".join(f"{name!r} ({where})" for name, where in others)
    return Problem(
        source,
        kind.value,
        first,
        f"and {named} would share the feed feeds/{kind.value}/{slug}; neither gets a "
        f"{kind.value} feed (their articles are published): spell them the same",
        Level.WARNING,
    )


def feed_order(articles: Iterable[Article], config: Config) -> list[Article]:
    """The articles feeds may hold (`in_feeds`), newest first (`Article.sort_key`)."""
    return sorted(in_feeds(articles, config), key=Article.sort_key)


def name_clashes(ordered: list[Article], config: Config) -> list[Problem]:
    """The warnings of `named_groups` for the articles feeds hold, `ordered` as `feed_order`
    gives them (so the same content gives the same warnings)."""
    return named_groups(ordered, config)[1]


def content_policy(config: Config, group: FeedGroup) -> str:
    """`full`, `summary` or `both` for a group's feed: `categories.NAME.content` for a
    category that sets it, else `feeds.content` for the kind (issue 16)."""
    if group.category is not None:
        settings = category_settings(config, group.category)
        if settings is not None and settings.content is not None:
            return settings.content
    return config.feeds.content[group.kind.name.lower()]


def languages_of(ordered: Iterable[Article], config: Config) -> list[str]:
    """The languages that get a feed set with `feeds.by_language` (issue 16): each language
    articles are written in (`lang`, else `site.language`), sorted; none when they are all
    in one language, so a site that writes in one language changes nothing."""
    if not config.feeds.by_language:
        return []
    found = {article.lang or config.site.language for article in ordered}
    return sorted(found) if len(found) > 1 else []
