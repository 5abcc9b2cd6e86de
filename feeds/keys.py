"""The keys that decide what a build may reuse: digests of content files and of what an
entry's content reads, fingerprints of the settings that change how files become articles
(`reading_key`) and feed bytes (`render_key`), and the fingerprint of everything one feed
file's bytes depend on. Pure functions of their inputs; equal keys, equal output.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable, Mapping

from feeds.config import Config
from feeds.layout import INDEX_PATH, OPML_PATH
from feeds.model import Article
from feeds.plan import FeedSpec, SitePlan
from feeds.version import __version__


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def content_key(article: Article, iframe_hosts: tuple[str, ...] = ()) -> str:
    """The key of an article's `EntryContent`: a digest of everything `entry_content` reads
    (body, body format, link, explicit summary, and `html.allow_iframes` when set), so an
    entry stays valid as long as those do, whatever the file, the record's position in it or
    the rest of the config."""
    fields: tuple[object, ...] = (article.body_format.value, article.link, article.summary)
    if iframe_hosts:  # issue 16; without it, keys are as before
        fields += (iframe_hosts,)
    head = repr((*fields, len(article.body)))
    digest = hashlib.sha256(head.encode())
    digest.update(article.body.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


# Raised when the same bytes give other records, so that every file is read again once (2: a
# JSON object that gives a name twice is refused; it was read last-wins).
READING_RULES = 2


def reading_key(config: Config) -> str:
    """Fingerprint of every setting that changes how files become articles: what normalisation
    reads (site url, permalink and time zone for links, ids and dates; dates.dayfirst; the
    categories' names and aliases), text.drop_lines, and the content folder as sources name
    it. A change here reads every file again; other settings only re-render (`render_key`)."""
    site = config.site
    relevant = (
        __version__,
        READING_RULES,
        (site.url, site.permalink, site.timezone, site.id_base),
        config.dayfirst,
        sorted(config.categories.items()),
        config.drop_lines,
        config.display_path(config.content_dir),
        *((config.allow_iframes,) if config.allow_iframes else ()),  # issue 16
        config.ids,  # the generator a site moved from: its keys, file names, links and ids
        config.sources,  # queries and how their columns become fields
    )
    return hashlib.sha256(repr(relevant).encode()).hexdigest()


def render_key(config: Config) -> str:
    """Fingerprint of every setting that changes feed bytes (the whole site section, feeds,
    the WebSub hub, and everything `reading_key` covers)."""
    relevant = (reading_key(config), config.site, config.feeds, config.websub_hub)
    return hashlib.sha256(repr(relevant).encode()).hexdigest()


def feed_fingerprint(
    feed: FeedSpec, fmt: str, config: Config, digest: Callable[[Article], str]
) -> str:
    """Everything the bytes of one feed file depend on, hashed."""
    return Fingerprints(config, digest)(feed, fmt)


class Fingerprints:
    """`feed_fingerprint` for many feeds: each article's part is computed once per build."""

    def __init__(
        self,
        config: Config,
        digest: Callable[[Article], str],
        stand_in: Callable[[Article], str | None] | None = None,
    ) -> None:
        self.render_key = render_key(config)
        self.digest = digest
        self.stand_in = (
            stand_in  # what may stand for an article's fields (`ContentSource.stand_in`)
        )
        self.entries: dict[int, tuple[Article, bytes]] = {}  # by id(article), kept alive

    def rebind(
        self,
        digest: Callable[[Article], str],
        stand_in: Callable[[Article], str | None] | None,
        gone: Iterable[Article],
    ) -> None:
        """The same for the next build of a resident (`sitepatch`): the same settings, every
        article kept the same for it but those `gone` (which are forgotten)."""
        self.digest, self.stand_in = digest, stand_in
        for article in gone:
            self.entries.pop(id(article), None)

    def __call__(self, feed: FeedSpec, fmt: str) -> str:
        h = hashlib.sha256()
        h.update(
            repr(
                (
                    self.render_key,
                    fmt,
                    feed.key,
                    feed.title,
                    feed.description,
                    feed.html_url,
                    feed.updated,
                    feed.total,
                    feed.page,
                    feed.archive_pages,
                    feed.content,  # issue 16: the content policy and the full-text copy
                    feed.full_copy,
                    feed.language,
                )
            ).encode()
        )
        for article in feed.entries:  # every field; the content key stands for the body
            h.update(self._entry(article))
        return h.hexdigest()

    def _entry(self, article: Article) -> bytes:
        cached = self.entries.get(id(article))
        if cached is not None and cached[0] is article:
            return cached[1]
        known = self.stand_in(article) if self.stand_in is not None else None
        if known is not None:
            data = repr((self.digest(article), known)).encode()
        else:
            fields = dataclasses.replace(article, body="") if article.body else article
            data = repr((self.digest(article), fields)).encode()
        self.entries[id(article)] = (article, data)
        return data


def page_fingerprints(plan: SitePlan, fingerprints: Mapping[str, str]) -> dict[str, str]:
    """Each discovery page's path and the fingerprint of its inputs: a feed's page shows that
    feed (its fingerprint in the first format covers all it shows, the settings included);
    the index and the OPML file show every feed."""
    first = plan.formats[0]
    every = hashlib.sha256()
    pages: dict[str, str] = {}
    for feed in plan.feeds:
        fingerprint = fingerprints[feed.path(first)]
        hidden = [fmt for fmt in plan.formats if feed.path(fmt) in plan.unpublished]
        if hidden:  # the page leaves those links out until the feed is published
            fingerprint += " without " + " ".join(hidden)
        translations = plan.translations(feed)  # hreflang links to the other sets (issue 16)
        if translations:
            fingerprint += " in " + repr(translations)
        every.update(fingerprint.encode())
        pages[feed.page_path()] = "page " + fingerprint
    whole = "pages " + every.hexdigest()
    return {INDEX_PATH: whole, OPML_PATH: whole, **pages}
