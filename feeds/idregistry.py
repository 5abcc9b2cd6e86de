"""Ids are forever (issue 11): the id of every article the build published, by article source,
so that a build in which published articles would get another id (site.url, permalink, slug
or `id:` changed) can stop before every subscriber sees them again as new.

RSS 2.0 `guid` and RFC 4287 §4.2.6 `atom:id` are what readers use to tell an entry they have
shown from a new one; an id that changes makes every reader show the article again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import operator
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import compress
from operator import is_not
from pathlib import Path
from typing import NamedTuple

from feeds.idjournal import append_changes, base_generation, clear_journal, journal_of, read_changes
from feeds.model import Article
from feeds.publish import write_file_atomically

IDS_FILE = "ids.json"  # in cache_dir
_VERSION = 1


class Published(NamedTuple):
    """What the registry keeps of one published article (a tuple: made from ids.json in half
    the time of a frozen dataclass, compared in a fifth, written out as a JSON array)."""

    id: str
    title: str
    published: str  # RFC 3339, as the article's publication time
    digest: str = ""  # of every field readers get (`reader_digest`); "" in older registries


@dataclass(frozen=True, slots=True)
class NewId:
    """A published article that would get another id."""

    source: str
    old: str
    new: str


def reader_digest(article: Article, body_key: str, texts: Callable[[object], str] = repr) -> str:
    """A digest of everything a reader gets of `article` (its file's name aside), given its
    body's content key (`ContentSource.digest`: a cached article carries no body): two
    builds give the same digest exactly when the article did not change for readers.

    The text digested is the dataclass repr of the article with source and body empty and
    draft false, as registries since issue 11 hold it, written out field by field (without
    a `dataclasses.replace` copy of every article: a third of the time at 100,000).
    `texts(value)` is `repr(value)` for its categories and authors, which a caller whose
    articles share those remembers (issue 14: their dataclass reprs were a tenth of it)."""
    values = list(_ARTICLE_FIELDS(article))
    for index in _SHARED_AT:
        values[index] = texts(values[index])
    text = _ARTICLE_TEXT.format(*values)  # one C call for all fields
    return hashlib.blake2b(f"{body_key} {text}".encode(), digest_size=12).hexdigest()


_REPR_FIELDS = tuple(field.name for field in dataclasses.fields(Article) if field.repr)
_BLANK = {"source": "source=''", "body": "body=''", "draft": "draft=False"}
_SHARED = ("categories", "authors")  # their repr given by `texts`
# "Article(source='', slug={!r}, ..., categories={}, ...)": the dataclass repr, its blanked
# fields written in
_ARTICLE_TEXT = (
    "Article("
    + ", ".join(
        _BLANK.get(name, f"{name}={{}}" if name in _SHARED else f"{name}={{!r}}")
        for name in _REPR_FIELDS
    )
    + ")"
)
_DIGESTED = tuple(name for name in _REPR_FIELDS if name not in _BLANK)
_ARTICLE_FIELDS = operator.attrgetter(*_DIGESTED)
_SHARED_AT = tuple(_DIGESTED.index(name) for name in _SHARED)


BodyKey = Callable[[Article], str]
MadeDigest = Callable[[Article], str | None]  # `reader_digest` made already, or None


@dataclass(slots=True)
class RegistryMemo:
    """What a long-running process keeps of the registry between builds (`feeds.resident`):
    `entries` by id(article): the article (kept alive, so the id stays its own), its body key
    and what the registry kept of it. An article that is the very object seen before with the
    same body key is not digested again."""

    entries: dict[int, tuple[Article, str, Published]] = dataclasses.field(default_factory=dict)


def registry_of(
    articles: Iterable[Article],
    body_key: BodyKey,
    memo: RegistryMemo | None = None,
    made: MadeDigest | None = None,
) -> dict[str, Published]:
    """What the registry keeps of each article, by source (through `memo` when given; it
    then holds these articles only). `made(article)` is its `reader_digest` when made
    already (`ContentSource.reader_digest`: when its file was read), else None. A fresh
    process with the registry the last build saved uses `registry_again` instead."""
    registry: dict[str, Published] = {}
    memo = RegistryMemo() if memo is None else memo
    known, memo.entries = memo.entries, {}
    for a in sorted(articles, key=_SOURCE):
        key = body_key(a)
        hit = known.get(id(a))
        if hit is None or hit[0] is not a or hit[1] != key:
            hit = (a, key, _published(a, key, made))
        memo.entries[id(a)] = hit
        registry[a.source] = hit[2]
    return registry


def registry_again(
    articles: Iterable[Article],
    body_key: BodyKey,
    made: MadeDigest,
    previous: Mapping[str, Published],
) -> tuple[dict[str, Published], set[str]]:
    """`registry_of` for a fresh process (no memo) given the registry the last build saved:
    an article's entry is `previous`'s again when its digest made as its file was read is
    the one saved there (it covers every field the entry holds). Also the sources whose
    entries may differ from `previous`'s: those made again, and those gone; every other
    entry is `previous`'s very object, so `article_changes` need look at these only."""
    registry: dict[str, Published] = {}
    touched: set[str] = set()
    new = 0  # made again for a source `previous` does not hold
    for a in sorted(articles, key=_SOURCE):
        source = a.source
        digest, last = made(a), previous.get(source)
        if digest and last is not None and last.digest == digest:
            registry[source] = last
        else:
            registry[source] = _published(a, body_key(a), made)
            touched.add(source)
            new += last is None
    if len(registry) - new != len(previous):  # some of `previous`'s sources are gone
        touched.update(previous.keys() - registry.keys())
    return registry, touched


_SOURCE = operator.attrgetter("source")
_ID = operator.attrgetter("id")
_ENTRY_ID = operator.itemgetter(0)  # of a `Published`: its id
_entry = Published._make
_STR = (str,) * 4


def _published(article: Article, key: str, made: MadeDigest | None) -> Published:
    digest = (made and made(article)) or reader_digest(article, key)
    return Published(article.id, article.title, article.published.isoformat(), digest)


def registry_swapped(
    previous: Mapping[str, Published],
    swapped: Iterable[tuple[Article, Article]],
    body_key: BodyKey,
    memo: RegistryMemo,
    made: MadeDigest | None = None,
    added: Iterable[Article] = (),
    removed: Iterable[str] = (),
) -> dict[str, Published]:
    """`registry_of` the articles `previous` was made of (through `memo`) with each pair's
    first article replaced by its second, of the same source, and the `added` ones of new
    sources (`sitepatch`, `siteadd`; these last, where `registry_of` sorts by source: no
    reader of a registry depends on its order, `save_ids` sorts), without the `removed`
    sources."""
    registry = dict(previous)
    for source in removed:
        registry.pop(source, None)
    for old, _ in swapped:
        memo.entries.pop(id(old), None)
    for new in (*(new for _, new in swapped), *added):
        key = body_key(new)
        entry = _published(new, key, made)
        memo.entries[id(new)] = (new, key, entry)
        registry[new.source] = entry
    return registry


def load_ids(cache_dir: Path) -> dict[str, Published] | None:
    """The registry the last build saved (ids.json with its journal applied, `idjournal`);
    None when there is none (a first build, a deleted cache) or it cannot be read: nothing
    to compare with, the build records afresh."""
    try:
        data = json.loads((cache_dir / IDS_FILE).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != _VERSION:
        return None
    entries = data.get("articles")
    if not isinstance(entries, dict):
        return None
    registry: dict[str, Published] = {}
    _take(registry, entries)
    generation = data.get("generation")
    if type(generation) is int and generation > 0:
        for changes in read_changes(cache_dir, generation):
            for source in [s for s, e in changes.items() if e is None]:
                registry.pop(source, None)
            _take(registry, changes)
    return registry


def _take(registry: dict[str, Published], entries: Mapping[str, object]) -> None:
    """Each entry of the right shape into `registry` (one of another shape is dropped)."""
    for source, entry in entries.items():  # a step in C per field, not a generator
        if isinstance(entry, list) and len(entry) in (3, 4) and all(map(isinstance, entry, _STR)):
            registry[source] = _entry(entry) if len(entry) == 4 else Published(*entry)


def new_ids(previous: Mapping[str, Published], articles: Iterable[Article]) -> list[NewId]:
    """The articles already published under another id that now has no article: matched by
    source, else (a renamed file) by title and publication time. An id still published by
    some article (records that moved within a file) is no change."""
    current = list(articles)
    known = set(map(_ENTRY_ID, previous.values()))  # in C, not a step per entry
    if known.issuperset(map(_ID, current)):
        return []  # every id published before: none is new
    now_used = {a.id for a in current}
    gone = {source: e for source, e in previous.items() if e.id not in now_used}
    by_title = {(e.title, e.published): (s, e) for s, e in gone.items()}
    changes: list[NewId] = []
    for article in sorted((a for a in current if a.id not in known), key=_SOURCE):
        entry = gone.get(article.source)
        if entry is None:
            match = by_title.get((article.title, article.published.isoformat()))
            entry = None if match is None else match[1]
        if entry is not None:
            changes.append(NewId(article.source, entry.id, article.id))
    return changes


def describe(changes: list[NewId], shown: int = 5) -> str:
    """The message of a build stopped by `changes` (how many, a few named, what to do)."""
    count = len(changes)
    noun = "article" if count == 1 else "articles"
    names = "; ".join(f"{c.source}: {c.old} -> {c.new}" for c in changes[:shown])
    more = f"; and {count - shown} more" if count > shown else ""
    return (
        f"{count} published {noun} would get a new id, so every subscriber would see "
        f"{'it' if count == 1 else 'them'} again as new ({names}{more}). Nothing was "
        "published. If site.url or site.permalink moved, set site.id_base to the old "
        "site.url to keep the old ids; to keep a renamed file's id, give it id: <old id>; "
        "if the new ids are intended, build once with --accept-new-ids"
    )


def save_ids(
    cache_dir: Path,
    registry: Mapping[str, Published],
    previous: Mapping[str, Published] | None = None,
    touched: Iterable[str] | None = None,
) -> None:
    """Save the registry; an unchanged one is not touched. Raises `OSError`. Given the
    registry on disk (`previous`, as `load_ids` read it) only the entries that differ go,
    as the next journal file (`idjournal`; `touched`: the only sources that may differ);
    else, or when the journal is full, ids.json is written whole and atomically, in chunks
    (at a million articles the text is a quarter of a GiB)."""
    generation = base_generation(cache_dir, IDS_FILE)  # None: no base, or an older feeds'
    if previous is not None:
        changes = _changes(previous, registry, touched)
        if not changes:
            return
        if generation is not None:
            base_size = (cache_dir / IDS_FILE).stat().st_size
            if append_changes(cache_dir, generation, changes, base_size):
                return
    last = max(generation or 0, journal_of(cache_dir).newest_generation())
    chunks = _ids_chunks(_ids_parts(registry), last + 1)
    temp = cache_dir / f".cache-{IDS_FILE}.{secrets.token_hex(6)}.tmp"  # see cache.TEMP_PREFIX
    write_file_atomically(cache_dir / IDS_FILE, chunks, temp)
    clear_journal(cache_dir)  # stale now: another generation


def _changes(
    previous: Mapping[str, Published],
    registry: Mapping[str, Published],
    touched: Iterable[str] | None,
) -> dict[str, Published | None]:
    """The entries of `registry` that differ from `previous`'s, by source; None: gone."""
    if touched is None:  # entries that are `previous`'s very objects are the same (in C)
        touched = [*compress(registry, map(is_not, registry.values(), map(previous.get, registry)))]
        touched.extend(previous.keys() - registry.keys())
    return {s: e for s in touched if (e := registry.get(s)) != previous.get(s)}


_BATCH = 2_000  # entries encoded at a time


def _ids_chunks(parts: Iterator[bytes], generation: int) -> Iterator[bytes]:
    """The bytes `json.dumps` gives for `{"version": 1, "generation": G, "articles": {...}}`
    (its default separators), from the parts of the articles mapping (`"source": [...]`,
    several each)."""
    yield f'{{"version": {_VERSION}, "generation": {generation}, "articles": {{'.encode()
    first = next(parts, None)
    if first is not None:
        yield first
        for part in parts:
            yield b", " + part
    yield b"}}"


def _ids_parts(registry: Mapping[str, Published]) -> Iterator[bytes]:
    """The articles mapping's text, UTF-8, `_BATCH` entries at a time (one C call each)."""
    ordered = sorted(registry)
    for start in range(0, len(ordered), _BATCH):
        batch = ordered[start : start + _BATCH]
        part = dict(zip(batch, map(registry.__getitem__, batch), strict=True))  # tuples: arrays
        yield json.dumps(part, ensure_ascii=False)[1:-1].encode()  # [1:-1]: without the braces


def article_changes(
    previous: Mapping[str, Published] | None,
    current: Mapping[str, Published],
    touched: Iterable[str] | None = None,
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(added, changed, removed) between two registries (`registry_of`), each as sorted
    `source: title`: by id; changed means any field readers get changed (the title or
    publication time only, against a registry saved before digests). Nothing without a
    previous registry (a first build, a deleted cache). `touched`: the only sources whose
    entries may differ (a patched build's, `registry_swapped`); the others are not looked at."""
    if previous is None:
        return (), (), ()
    if touched is not None:
        sources = set(touched)
        previous = {s: previous[s] for s in sources if s in previous}
        current = {s: current[s] for s in sources if s in current}
    ids_before, ids_now = {e.id for e in previous.values()}, {e.id for e in current.values()}
    if len(ids_before) == len(previous) and len(ids_now) == len(current):
        # ids unique in both (as a build's always are): an entry the same in both under the
        # same source is in none of the three (a patched build's are the very objects)
        same = {s for s, e in current.items() if (p := previous.get(s)) is e or p == e}
        if same:
            previous = {s: e for s, e in previous.items() if s not in same}
            current = {s: e for s, e in current.items() if s not in same}
    before = {entry.id: (source, entry) for source, entry in previous.items()}
    now = {entry.id: (source, entry) for source, entry in current.items()}
    added = sorted(f"{s}: {e.title}" for i, (s, e) in now.items() if i not in before)
    removed = sorted(f"{s}: {e.title}" for i, (s, e) in before.items() if i not in now)
    changed = sorted(
        f"{s}: {e.title}" for i, (s, e) in now.items() if i in before and _changed(before[i][1], e)
    )
    return tuple(added), tuple(changed), tuple(removed)


def _changed(old: Published, new: Published) -> bool:
    if old.digest:
        return old.digest != new.digest
    return (old.title, old.published) != (new.title, new.published)
