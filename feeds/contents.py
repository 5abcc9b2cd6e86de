"""Entry content for the renderer (`EntryContent`: sanitised HTML and summary), computed at
most once per article version: from the build cache when its content key is known, else from
its body, read again from its file (`contentbytes.read_content`, as reading does) when the
body was not kept in this build. With several processes the missing contents are computed on
the build's workers (`prefetch`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

from feeds.body import EntryContent, entry_content
from feeds.cache import BuildCache, FileState
from feeds.config import Config
from feeds.contentbytes import read_content
from feeds.contentfiles import read_file
from feeds.keys import content_key
from feeds.model import Article, Level, Problem
from feeds.parallel import Workers
from feeds.recordbodies import STATE_PREFIX, STORE_FILE, RecordBodies


class ContentSource:
    """Entry content for the renderer, computed at most once per article version: from the
    cache when its `content_key` is known, else from its body (read again from its file when
    the body was not kept in this build)."""

    def __init__(
        self,
        config: Config,
        cache: BuildCache,
        bodies: dict[str, str],
        states: dict[str, FileState],
        record_bodies: RecordBodies | None = None,
        index: dict[str, Indexed] | None = None,
    ) -> None:
        """`index` is `content_index(states)` when the caller has it (`sitepatch`)."""
        self.config = config
        self.record_bodies = RecordBodies() if record_bodies is None else record_bodies
        self.damaged: set[str] = set()
        self.previous = cache.contents  # valid under any config: the key covers every input
        self.bodies = bodies
        self.articles = content_index(states) if index is None else index
        self.states = states
        self.used: dict[str, EntryContent] = {}
        self.by_source: dict[str, EntryContent] = {}
        self.reread: dict[str, Article] = {}
        self.lost: set[str] = set()

    def digest(self, article: Article) -> str:
        """The article's content key: equal keys, equal `EntryContent`."""
        found = self.articles.get(article.source)
        return found[1] if found is not None else ""

    def stand_in(self, article: Article) -> str | None:
        """A text that stands for all fields of `article` in a feed fingerprint: its file's
        digest and its source, when it is the very article its file gave (site-wide
        resolution renames categories by making another); else None."""
        found = self.articles.get(article.source)
        if found is None or found[2] is not article or not found[3]:
            return None
        return f"file {found[3]} {article.source}"

    def reader_digest(self, article: Article) -> str | None:
        """`idregistry.reader_digest(article, self.digest(article))` as made when its file was
        read, when `article` is the very one its file gave; else None."""
        found = self.articles.get(article.source)
        if found is None or found[2] is not article or not found[4]:
            return None
        return found[4]

    def __call__(self, article: Article) -> EntryContent:
        found = self.by_source.get(article.source)
        if found is None:
            found = self._content(article)
            self.by_source[article.source] = found
        return found

    def _cached(self, key: str) -> EntryContent | None:
        """The content of content key `key` when this build or the last one computed it."""
        found = self.used.get(key) or self.previous.get(key)
        if found is not None:
            self.used[key] = found
        return found

    def _content(self, article: Article) -> EntryContent:
        found = self._cached(self.digest(article))
        if found is not None:
            return found
        full = self._with_body(article)
        if full is None:  # a kept version whose content was never cached: no body to show
            self.lost.add(article.source)
            return entry_content(article, self.config.allow_iframes)
        found = entry_content(full, self.config.allow_iframes)
        # its own key: the file may have changed since
        self.used[content_key(full, self.config.allow_iframes)] = found
        return found

    def _with_body(self, article: Article) -> Article | None:
        body = self._body(article.source)
        if body is not None:
            return dataclasses.replace(article, body=body)
        relative = self.articles[article.source][0]
        if relative.startswith(STATE_PREFIX):  # a row is not read again (`recordbodies`)
            return None
        if article.source not in self.reread:
            self.reread.update(_read_again(self.config, relative))
        return self.reread.get(article.source)

    def prefetch(self, articles: Iterable[Article], pool: Workers) -> None:
        """Compute the content of all `articles` now: on the pool's workers when it has some
        and there are several to compute, else here."""
        missing: dict[str, Article] = {}
        for article in articles:
            source = article.source
            if source in self.by_source or source in missing:
                continue
            found = self._cached(self.digest(article))
            if found is not None:
                self.by_source[source] = found
            else:
                missing[source] = article
        if pool.count < 2 or len(missing) < 2:
            for article in missing.values():
                self(article)
            return
        items = [
            (article, self._body(source), self.articles[source][0])
            for source, article in missing.items()
        ]
        results = pool.map(_entry_contents, (self.config,), items)
        for (source, article), result in zip(missing.items(), results, strict=True):
            if result is None:
                self.lost.add(source)
                found = entry_content(article, self.config.allow_iframes)
            else:
                key, found = result
                self.used[key] = found
            self.by_source[source] = found

    def _body(self, source: str) -> str | None:
        """The body kept in this build, or a record's stored one when it matches its key."""
        body = self.bodies.get(source)
        if body is not None:
            return body
        relative, key, article, _, _ = self.articles[source]
        if not relative.startswith(STATE_PREFIX):
            return None
        body = self.record_bodies.get(key)
        if body is None:
            return None
        if content_key(dataclasses.replace(article, body=body), self.config.allow_iframes) != key:
            # damaged: not published; the record is read again next build (no digest), and
            # no feed fingerprint stands on its unread file (`stand_in`)
            self.record_bodies.forget(key)
            self.damaged.add(source)
            self.states[relative] = dataclasses.replace(self.states[relative], digest="")
            self.articles[source] = (relative, key, article, "", "")
            return None
        return body

    def lost_problems(self) -> list[Problem]:
        """A warning for each article published without its body: a kept version never in a
        feed (see `__call__`), or a record whose stored body was damaged."""
        damaged = [
            Problem(
                source,
                "body",
                None,
                f"its stored body ({STORE_FILE} in cache_dir) was damaged, so it is published "
                "without a body this once; the next build reads the record again",
                Level.WARNING,
            )
            for source in sorted(self.damaged)
        ]
        return damaged + [
            Problem(
                source,
                "body",
                None,
                "its last good version was never in a feed, so its text is not in the build "
                "cache: it is published without a body until the file is fixed",
                Level.WARNING,
            )
            for source in sorted(self.lost - self.damaged)
        ]


# (file, content key, article, file digest or "", reader digest made reading it or "")
Indexed = tuple[str, str, Article, str, str]


def content_index(states: Mapping[str, FileState]) -> dict[str, Indexed]:
    """By source: (its file, its content key, the article as its file gave it, the file's
    digest, its reader digest). An article as its file gave it is a function of the file's
    bytes, its path and the reading settings (`reading_key`, part of every feed fingerprint),
    so the digest and the source stand for its fields; not for a kept version (an older
    file's), which gets empty digests."""
    articles: dict[str, Indexed] = {}
    for relative, state in states.items():
        digest, readers = state.digest, state.reader_digests
        if len(readers) != len(state.good):  # a record's state, or a kept version's
            readers = ("",) * len(state.good)
        for article, key, reader in zip(state.good, state.content_keys, readers, strict=True):
            articles[article.source] = (relative, key, article, digest, reader)
        for source in state.kept:
            file, key, article, _, _ = articles[source]
            articles[source] = (file, key, article, "", "")
    return articles


def _read_again(config: Config, relative: str) -> dict[str, Article]:
    """The articles of one content file, bodies included (none when it cannot be read: it
    was removed since the scan, and the next build drops it)."""
    try:
        data = read_content(config, relative)
    except OSError:
        return {}
    return {article.source: article for article in read_file(config, relative, data)[0]}


def _entry_contents(
    config: Config, items: list[tuple[Article, str | None, str]]
) -> list[tuple[str, EntryContent] | None]:
    """A worker's share of `ContentSource.prefetch`: for each (article, its body when kept,
    its file) the content key and content, or None when the body is lost."""
    reread: dict[str, Article] = {}
    results: list[tuple[str, EntryContent] | None] = []
    for article, body, relative in items:
        if body is not None:
            full: Article | None = dataclasses.replace(article, body=body)
        else:
            if article.source not in reread:
                reread.update(_read_again(config, relative))
            full = reread.get(article.source)
        hosts = config.allow_iframes
        results.append(
            None if full is None else (content_key(full, hosts), entry_content(full, hosts))
        )
    return results
