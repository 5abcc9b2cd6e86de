"""The bodies of records (issue 18) whose entry content no build has made yet, kept on disk in
`cache_dir` instead of in memory until a feed needs them.

A file can be read again when one of its articles enters a feed; a row cannot. Holding the
body of every row read until planning decides which are in feeds made a cold build from a
100,000-row table hold every body at once (2.3 GiB). Each body is stored once under its
article's content key (`keys.content_key`: a digest of the body and everything else the
entry content reads), so a body read back is checked against its key before it is used.

The store heals itself: every build streams every row, and a row whose content is neither in
the build cache nor in this store is read again from the row in hand (`recordsource`). So a
deleted store, or one that is no database, costs one slower build. A body that does not
match its key (damage inside a readable file) is never published: its article goes out
without a body that once, with a warning (`ContentSource.lost_problems`), and is read again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

STORE_FILE = "record-bodies.sqlite"  # in cache_dir
# a record's state key starts with this, which no content file's path can (`recordsource`)
STATE_PREFIX = ".records/"


class RecordBodies:
    """Bodies by content key: in an SQLite file for a build (created with the first body,
    so a site without records gets none), in memory for a run that must write nothing
    (`feeds validate`, `--dry-run`), which reads the file when there is one."""

    def __init__(self, path: Path | None = None, *, writable: bool = False) -> None:
        self._memory: dict[str, str] = {}
        self._path = path
        self._writable = writable and path is not None
        self._db: sqlite3.Connection | None = None
        self.keys: set[str] = set()
        if path is not None and path.is_file():
            self._db = _open(path, self._writable)
            if self._db is not None:
                self.keys = {key for (key,) in self._db.execute("SELECT key FROM bodies")}

    def __contains__(self, key: str) -> bool:
        return key in self.keys or key in self._memory

    def put(self, key: str, body: str) -> None:
        """Keep `body` under `key` (once: a key names its body)."""
        if key in self:
            return
        if self._writable and self._db is None and self._path is not None:
            self._db = _open(self._path, writable=True)
            self._writable = self._db is not None  # unwritable cache_dir: in memory, once
        if self._writable and self._db is not None:
            self._db.execute("INSERT INTO bodies (key, body) VALUES (?, ?)", (key, body))
            self.keys.add(key)
        else:
            self._memory[key] = body

    def get(self, key: str) -> str | None:
        """The body stored under `key`, or None."""
        found = self._memory.get(key)
        if found is not None or self._db is None or key not in self.keys:
            return found
        try:
            row = self._db.execute("SELECT body FROM bodies WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row is not None and isinstance(row[0], str) else None

    def forget(self, key: str) -> None:
        """Drop `key` (its body did not match it): the next build stores the row's again."""
        self._memory.pop(key, None)
        if key in self.keys and self._writable and self._db is not None:
            self._db.execute("DELETE FROM bodies WHERE key = ?", (key,))
        self.keys.discard(key)

    def keep_only(self, wanted: Iterable[str]) -> None:
        """Drop the bodies of records no longer in any source (or changed since)."""
        unwanted = self.keys - set(wanted)
        if unwanted and self._writable and self._db is not None:
            self._db.executemany("DELETE FROM bodies WHERE key = ?", ((k,) for k in unwanted))
            self.keys -= unwanted

    def close(self) -> None:
        """Commit what was stored and close. A store that cannot be committed is left as it
        was: the next build finds the bodies it lacks missing and reads those rows again."""
        if self._db is None:
            return
        try:
            if self._writable:
                self._db.commit()
        except sqlite3.Error:
            pass
        finally:
            self._db.close()
            self._db = None


@contextmanager
def record_store(cache_dir: Path, *, writable: bool = False) -> Iterator[RecordBodies]:
    """The record bodies of `cache_dir` for one run, committed and closed after it."""
    store = RecordBodies(cache_dir / STORE_FILE, writable=writable)
    try:
        yield store
    finally:
        store.close()


def _open(path: Path, writable: bool) -> sqlite3.Connection | None:
    """The store at `path` (created when writable); a damaged one is replaced (writable) or
    ignored (read-only)."""
    uri = f"{path.resolve().as_uri()}?mode={'rwc' if writable else 'ro'}"
    for attempt in (1, 2):
        db: sqlite3.Connection | None = None
        try:
            db = sqlite3.connect(uri, uri=True)
            if writable:
                db.execute("CREATE TABLE IF NOT EXISTS bodies (key TEXT PRIMARY KEY, body TEXT)")
            db.execute("SELECT count(*) FROM bodies").fetchone()
            return db
        except sqlite3.Error:
            if db is not None:
                db.close()
            if not writable or attempt == 2:
                return None
            path.unlink(missing_ok=True)  # damaged: the rows in hand fill a new one
    return None
