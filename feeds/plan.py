"""Which feeds the site has, which entries each holds, and where each file goes.

A pure function of the published articles and the config: the same input gives the same
plan, whatever order the files were read in, so incremental and clean builds agree.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from feeds.categories import category_settings
from feeds.config import Config
from feeds.feedkinds import (
    FeedGroup,
    FeedKind,
    content_policy,
    feed_order,
    languages_of,
    named_groups,
)
from feeds.feedmembers import FeedMembers, members_of
from feeds.layout import SUFFIXES
from feeds.model import Article, Category


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """One subscription feed (in every configured format).

    `key` is `all` for the site feed or the category's slug path (`phones/accessories`).
    `entries` are newest first (published descending, then id), at most `feeds.max_items`.
    `updated` is the newest entry's update time, never the build time (None only when empty).
    """

    key: str
    category: Category | None
    title: str
    description: str
    html_url: str
    entries: tuple[Article, ...]
    updated: datetime | None
    total: int  # how many published articles belong to the feed (before max_items)
    page: int | None = None  # RFC 5005 archive page number (1 = oldest); None: subscription feed
    archive_pages: int = 0  # how many archive pages the feed has (RFC 5005), 0 when off
    kind: FeedKind = FeedKind.SITE  # issue 16: site, category, tag or author feed
    name: str = ""  # the group's name as readers see it (category label, tag, author)
    content: str = "full"  # full: the article HTML and summary; summary: no HTML (issue 16)
    full_copy: bool = False  # the full-text copy of a `both` feed, under feeds/full/
    image: str | None = None  # `categories.NAME.image`; None: the site's logo and icon
    language: str | None = None  # the language set (`feeds.by_language`); None: the site's

    def __post_init__(self) -> None:
        if (self.category is not None) != (self.kind is FeedKind.CATEGORY):
            raise ValueError(f"feed {self.key!r}: a category feed has kind CATEGORY, no other")

    @property
    def base(self) -> str:
        """The feed's path below `feeds/` (and `feeds/archive/`): `all`, `category/<slug
        path>`, `tag/<slug>`, `author/<slug>` (a tag or author key holds its folder)."""
        if self.kind is FeedKind.SITE:
            return "all"
        return f"category/{self.key}" if self.kind is FeedKind.CATEGORY else self.key

    @property
    def root(self) -> str:
        """`feeds`, or a language set's folder `feeds/<tag in lower case>` (issue 16)."""
        return "feeds" if self.language is None else f"feeds/{self.language.lower()}"

    @property
    def stem(self) -> str:
        """Output path without suffix, relative to the output folder."""
        if self.full_copy:
            return f"{self.root}/full/{self.base}"
        if self.page is None:
            return f"{self.root}/{self.base}"
        return f"{self.root}/archive/{self.base}/{self.page}"

    @property
    def subscription_stem(self) -> str:
        """The stem of the subscription feed this feed (or archive page) belongs to."""
        return self.stem if self.full_copy else f"{self.root}/{self.base}"

    def path(self, fmt: str) -> str:
        return self.stem + SUFFIXES[fmt]

    def page_path(self) -> str:
        return self.stem + ".html"

    def archive_path(self, page: int, fmt: str) -> str:
        return f"{self.root}/archive/{self.base}/{page}{SUFFIXES[fmt]}"


def extra_links(feed: FeedSpec, fmt: str, config: Config) -> tuple[tuple[str, str], ...]:
    """The (rel, href) links a feed carries beyond alternate and self: WebSub `hub`, and the
    RFC 5005 §4 archive links (`current`, `prev-archive`). Archive pages never carry
    `next-archive` (optional in RFC 5005), so a full page is never rewritten by a newer one."""
    links: list[tuple[str, str]] = []
    if config.websub_hub and feed.page is None:
        links.append(("hub", config.websub_hub))
    if feed.page is None:
        if feed.archive_pages:
            links.append(
                ("prev-archive", feed_url(config, feed.archive_path(feed.archive_pages, fmt)))
            )
    else:
        links.append(("current", feed_url(config, feed.subscription_stem + SUFFIXES[fmt])))
        if feed.page > 1:
            links.append(("prev-archive", feed_url(config, feed.archive_path(feed.page - 1, fmt))))
    return tuple(links)


@dataclass(frozen=True, slots=True)
class SitePlan:
    feeds: tuple[FeedSpec, ...]
    formats: tuple[str, ...]

    archives: tuple[FeedSpec, ...] = ()  # RFC 5005 archive pages (rss and atom only)
    # Feed files the discovery pages must not link: refused and never published.
    unpublished: frozenset[str] = frozenset()
    languages: tuple[str, ...] = ()  # the language sets (`feeds.by_language`, issue 16)
    language_pages: frozenset[str] = frozenset()  # the feed pages of the language sets

    def translations(self, feed: FeedSpec) -> tuple[tuple[str, str], ...]:
        """The same feed in the other sets, as (hreflang, page path): `x-default` for the
        whole site's set, each language for its own (issue 16)."""
        if not self.languages or feed.page is not None:
            return ()
        tail = feed.page_path()[len(feed.root) :]
        found = [] if feed.language is None else [("x-default", "feeds" + tail)]
        for language in self.languages:
            path = f"feeds/{language.lower()}{tail}"
            if language != feed.language and path in self.language_pages:
                found.append((language, path))
        return tuple(found)

    def formats_of(self, feed: FeedSpec) -> tuple[str, ...]:
        """The formats in which `feed` is there to link."""
        if not self.unpublished:
            return self.formats
        return tuple(fmt for fmt in self.formats if feed.path(fmt) not in self.unpublished)

    def paths(self) -> tuple[str, ...]:
        feeds = tuple(feed.path(fmt) for feed in self.feeds for fmt in self.formats)
        return feeds + tuple(page.path(fmt) for page, fmt in self.archive_jobs())

    def archive_jobs(self) -> tuple[tuple[FeedSpec, str], ...]:
        return tuple((page, fmt) for page in self.archives for fmt in self.formats if fmt != "json")


def feed_url(config: Config, relative_path: str) -> str:
    """The public URL of a file in the output folder."""
    return config.feeds_url + relative_path


def plan_site(articles: Iterable[Article], config: Config) -> SitePlan:
    """The site feed plus one feed per category at every level that has an article.

    `articles` must already be the published set (no drafts, nothing scheduled later); those
    with `feed: false` or in `feeds.exclude_categories` are left out of every feed.
    A parent category's feed holds its children's articles too.
    """
    return plan_ordered(feed_order(articles, config), config)  # issue 16


def plan_ordered(
    ordered: list[Article], config: Config, members: FeedMembers | None = None
) -> SitePlan:
    """`plan_site` of the articles `feed_order` gave (a caller that has them sorts once);
    `members`: `feedmembers.members_of(ordered)`, when the caller keeps it."""
    feeds, archives = _feed_set(ordered, config, None, members)
    # feeds.by_language (issue 16): a set of the same feeds per language, beside the whole
    languages = languages_of(ordered, config)
    pages: list[str] = []
    for language in languages:
        subset = [a for a in ordered if (a.lang or config.site.language) == language]
        more, more_archives = _feed_set(subset, config, language, None)
        feeds.extend(more)
        archives.extend(more_archives)
        pages.extend(feed.page_path() for feed in more)
    return SitePlan(
        feeds=tuple(feeds),
        formats=config.feeds.formats,
        archives=tuple(archives),
        languages=tuple(languages),
        language_pages=frozenset(pages),
    )


def _feed_set(
    ordered: list[Article], config: Config, language: str | None, members: FeedMembers | None
) -> tuple[list[FeedSpec], list[FeedSpec]]:
    """The subscription feeds and archive pages of `ordered` (a language set's, or all);
    `members`: `members_of(ordered)` when the caller has it."""
    known = members_of(ordered) if members is None else members

    # One list of groups, one way to make a feed of each (issue 16): the site, every category
    # level, then the tag and author feeds that are turned on.
    groups = [(FeedGroup(FeedKind.SITE, "all", ""), ordered)]
    for slugs in sorted(known.lists):
        category = known.categories[slugs]
        group = FeedGroup(FeedKind.CATEGORY, category.term, category.label, category)
        groups.append((group, known.lists[slugs]))
    groups.extend(named_groups(ordered, config)[0])
    feeds = [_feed(config, group, group_members, language) for group, group_members in groups]
    archives: list[FeedSpec] = []
    if config.feeds.archive:
        for index, (feed, (_, group_members)) in enumerate(zip(feeds, groups, strict=True)):
            pages = _archive_pages(config, feed, group_members)
            feeds[index] = dataclasses.replace(feed, archive_pages=len(pages))
            archives.extend(pages)
    # `both` (issue 16): the summary feed where readers subscribe, a full-text copy beside it
    feeds.extend(
        dataclasses.replace(
            feed, title=f"{feed.title} (full text)", content="full", full_copy=True, archive_pages=0
        )
        for feed, (group, _) in zip(list(feeds), groups, strict=True)
        if content_policy(config, group) == "both"
    )
    return feeds, archives


def _archive_pages(config: Config, feed: FeedSpec, members: list[Article]) -> list[FeedSpec]:
    """RFC 5005 archive pages for what falls outside the subscription feed: fixed-size pages
    counted from the oldest entry, so a new article only ever changes the newest, partial page
    (and deleting an old article shifts the pages after it)."""
    # Under a size budget the subscription feed may hold fewer than max_items entries (it is
    # cut per format when rendered), so the archive pages hold every entry: RFC 5005 §4 lets a
    # subscription feed overlap its archives, and nothing cut by the budget is lost (issue 19).
    start = 0 if config.feeds.max_bytes is not None else config.feeds.max_items
    older = members[start:]
    oldest_first = older[::-1]
    size = config.feeds.archive_page_size
    pages = []
    for number, start in enumerate(range(0, len(oldest_first), size), 1):
        chunk = tuple(oldest_first[start : start + size][::-1])  # newest first within a page
        pages.append(
            dataclasses.replace(
                feed,
                title=f"{feed.title} (archive {number})",
                entries=chunk,
                updated=max(a.updated for a in chunk),
                page=number,
                total=len(chunk),
            )
        )
    return pages


def _web_page(config: Config, category: Category | None, feed_page: str) -> str:
    """The web page a feed stands for (RSS channel `link`, Atom alternate, JSON Feed
    `home_page_url`, OPML `htmlUrl`): the site's home for the site feed; for a category,
    `site.category_url` with its slug path, else the feed's own page, else the home; for a
    tag or author feed its own page, else the home."""
    site = config.site
    if category is not None and site.category_url:
        return site.category_url.format(url=site.url, path=category.term)
    if feed_page and config.feeds.pages:
        return feed_page
    return site.url


def _feed(
    config: Config, group: FeedGroup, members: list[Article], language: str | None = None
) -> FeedSpec:
    entries = tuple(members[: config.feeds.max_items])
    category = group.category
    settings = None if category is None else category_settings(config, category)
    title, description = _words(config, group)
    if language is not None:
        title = f"{title} ({language})"
    spec = FeedSpec(
        key=group.key,
        category=category,
        title=title,
        description=description,
        html_url="",
        entries=entries,
        updated=max((a.updated for a in entries), default=None),
        total=len(members),
        kind=group.kind,
        name=group.name,
        content="full" if content_policy(config, group) == "full" else "summary",
        image=settings.image if settings is not None else None,
        language=language,
    )
    own_page = "" if group.kind is FeedKind.SITE else feed_url(config, spec.page_path())
    return dataclasses.replace(spec, html_url=_web_page(config, category, own_page))


def _words(config: Config, group: FeedGroup) -> tuple[str, str]:
    """A feed's title and description."""
    site = config.site
    if group.kind is FeedKind.SITE:
        return site.title, site.description
    if group.kind is FeedKind.TAG:
        return f"{site.title}: {group.name} (tag)", f"Tagged {group.name}: {site.description}"
    if group.kind is FeedKind.AUTHOR:
        return f"{site.title}: {group.name}", f"Articles by {group.name}: {site.description}"
    assert group.category is not None
    settings = category_settings(config, group.category)
    description = (
        settings.description
        if settings is not None and settings.description
        else f"{group.name}: {site.description}"
    )
    if settings is not None and settings.title:  # issue 16: the title as written
        return settings.title, description
    return f"{site.title}: {group.name}", description
