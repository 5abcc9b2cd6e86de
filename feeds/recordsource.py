"""Records handed to a build directly (`RecordSource`: a CMS hook's records, the rows of a
`sources:` query) into states, incrementally like content files (issue 18): a record whose
digest is the one the last build read is not normalised again; one that stops reading keeps
its last good version; a record is named by its source and key (`cms:42`) in every message.

Each record is one state, keyed `.records/{source}/{key}`: a hidden path, which no content
file can have (the scan skips hidden names), so records and files never share a state.
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
from collections.abc import Mapping

from feeds.cache import BuildCache, FileState
from feeds.config import Config
from feeds.keys import content_key, reading_key
from feeds.model import Article, ContentError, Problem, RawRecord, RecordSource, kind, shorten
from feeds.normalise import normalise_record
from feeds.reading import Loaded
from feeds.recordbodies import STATE_PREFIX, RecordBodies
from feeds.sources.records import record_from


def load_records(
    config: Config,
    cache: BuildCache,
    sources: tuple[RecordSource, ...],
    loaded: Loaded,
    bodies: RecordBodies,
) -> None:
    """Add every record of `sources` to `loaded`: states, problems and the records kept at
    their last good version; into `bodies`, the body of each record whose entry content is
    not cached (a row cannot be read again when it enters a feed later)."""
    same_reading = cache.reading_key == reading_key(config)
    names: set[str] = set()
    for source in sources:
        if source.name in names:
            loaded.problems.append(
                Problem(
                    source.name, "source", None, "is given twice; give each source its own name"
                )
            )
            continue
        names.add(source.name)
        _load_source(config, cache, source, loaded, bodies, same_reading)
    # the bodies of records gone or changed go; so do those whose content is now cached
    bodies.keep_only(
        key
        for relative, state in loaded.states.items()
        if relative.startswith(STATE_PREFIX)
        for key in state.content_keys
        if key not in cache.contents
    )


def _load_source(
    config: Config,
    cache: BuildCache,
    source: RecordSource,
    loaded: Loaded,
    bodies: RecordBodies,
    same_reading: bool,
) -> None:
    seen: set[str] = set()
    for number, record in enumerate(source.records, start=1):
        named = _key_of(source, number, record)
        if isinstance(named, Problem):
            loaded.problems.append(named)
            continue
        if named in seen:
            loaded.problems.append(
                Problem(
                    f"{source.name}:{named}",
                    source.key,
                    shorten(named),
                    f"is the {source.key} of two records of this source; the second is left "
                    f"out: give every record its own {source.key}",
                )
            )
            continue
        seen.add(named)
        loaded.files_total += 1
        relative = f"{STATE_PREFIX}{source.name}/{named}"
        digest = record_digest(record)
        last = cache.files.get(relative)
        if (
            same_reading
            and last is not None
            and last.digest == digest
            and all(key in cache.contents or key in bodies for key in last.content_keys)
        ):
            loaded.add(relative, last)
            continue  # else read again: its body is neither cached nor stored (a lost store)
        loaded.files_read += 1
        name = f"{source.name}:{named}"
        _read(config, cache, name, relative, record, digest, last, loaded, bodies)


def _key_of(source: RecordSource, number: int, record: object) -> str | Problem:
    """The record's key as text, or the problem that keeps it out."""
    where = f"{source.name}#{number}"
    if not isinstance(record, Mapping):
        return Problem(
            where, "record", None, f"is {kind(record)}, not a record (a mapping of keys)"
        )
    value = record.get(source.key)
    if value is None and source.key == "id":
        value = record.get("slug")
    if value is None:
        return Problem(
            where,
            source.key,
            None,
            f"is missing; every record of a source needs a unique {source.key}"
            + (" (or slug)" if source.key == "id" else ""),
        )
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).strip():
        return Problem(
            where,
            source.key,
            shorten(repr(value)),
            f"is {kind(value)}; a record's {source.key} is text or a whole number",
        )
    return str(value).strip()


def _read(
    config: Config,
    cache: BuildCache,
    name: str,
    relative: str,
    record: Mapping[str, object],
    digest: str,
    last: FileState | None,
    loaded: Loaded,
    bodies: RecordBodies,
) -> None:
    made = record_from(name, dict(record), None)
    try:
        if not isinstance(made, RawRecord):
            raise ContentError(made[0])
        article, warnings = normalise_record(made, config)
    except ContentError as error:
        if last is not None and last.good:  # nothing published is lost: the last good one stays
            loaded.add(relative, dataclasses.replace(
                last, digest="", problems=(error.problem,), kept=tuple(a.source for a in last.good)
            ))  # fmt: skip
        else:
            loaded.problems.append(error.problem)
        return
    key = content_key(article, config.allow_iframes)  # as `reading` keys a file's articles
    if key not in cache.contents:  # its entry content is made from it when a feed needs it
        bodies.put(key, article.body)
    stored = _without_body(article)
    loaded.add(relative, FileState(0, 0, 0, 0, digest, warnings, (stored,), (key,)))


def _without_body(article: Article) -> Article:
    return dataclasses.replace(article, body="")


def record_digest(record: Mapping[str, object]) -> str:
    """A digest of every key and value of a record: equal digests, equal records. Pickled
    (three times faster than JSON for rows of text: a string is copied, not escaped); a value
    pickle cannot take, or keys that do not sort, go through repr instead."""
    try:
        data = pickle.dumps(sorted(record.items()), protocol=5)
    except Exception:  # any value a caller hands over: a lazy string, a cycle
        data = repr(sorted(record.items(), key=repr)).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()
