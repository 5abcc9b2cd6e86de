"""Pending WebSub pings as build state (issue 19): the topic URLs whose change the hub did
not acknowledge with a 2xx (W3C WebSub §7) are kept in `cache_dir` and pinged again by the
next build, even one with no content change, until the hub accepts them.

The file is its own (`websub-pending.json`), not part of the build cache, so a cache that is
rebuilt (new version, corrupt shards) keeps it. A lost or unreadable file means nothing is
pending: the worst case is one missed re-ping, never a build that fails.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from feeds.publish import write_file_atomically

PENDING_FILE = "websub-pending.json"


def topics_to_ping(changed: Sequence[str], pending: Iterable[str]) -> list[str]:
    """The changed feeds, then the pending ones not among them: a feed that is pending and
    changed again is pinged once."""
    order = dict.fromkeys(changed)
    order.update(dict.fromkeys(pending))
    return list(order)


def read_pending(cache_dir: Path) -> tuple[list[str], str | None]:
    """The topic URLs still to announce, and what was wrong with the file when it could not
    be read ([] then: nothing is taken as pending; no file is no problem)."""
    path = cache_dir / PENDING_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [], None
    except (OSError, ValueError) as error:
        return [], f"{path}: unreadable ({error}); pings it held are not sent again"
    topics = data.get("pending") if isinstance(data, dict) else None
    if not isinstance(topics, list):
        return [], f"{path}: no 'pending' list; pings it held are not sent again"
    return [topic for topic in topics if isinstance(topic, str)], None


def write_pending(cache_dir: Path, topics: Sequence[str]) -> None:
    """Record `topics` as pending (atomically: a temporary file, then a rename); no file
    when nothing is pending."""
    path = cache_dir / PENDING_FILE
    if not topics:
        path.unlink(missing_ok=True)
        return
    data = json.dumps({"pending": list(topics)}, indent=1).encode("utf-8")
    # A temporary name the cache's clean-up of killed builds recognises (cache.TEMP_PREFIX).
    write_file_atomically(path, data, path.with_name(f".cache-{PENDING_FILE}.{os.getpid()}.tmp"))


def still_pending(
    recorded: Iterable[str], sent: Iterable[tuple[str, bool]], keep: Iterable[str]
) -> list[str]:
    """What is pending after a round of pings: the topics `recorded` in the file now (another
    build may have added some meanwhile) that were not accepted, then those that failed
    (`sent`: (topic, accepted)); only topics in `keep` (feeds still published)."""
    kept = set(keep)
    accepted = {topic for topic, ok in sent if ok}
    failed = [topic for topic, ok in sent if not ok]
    order = dict.fromkeys(t for t in recorded if t in kept and t not in accepted)
    order.update(dict.fromkeys(failed))
    return list(order)


@contextmanager
def pending_lock(cache_dir: Path) -> Iterator[None]:
    """An exclusive `flock` on `cache_dir/websub-pending.lock` while the pending file is read
    and written again, so two builds pinging at once lose none of each other's pings (the
    build lock is not held: a build waiting on a hub must not make another exit 3)."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    fd = os.open(cache_dir / "websub-pending.lock", flags, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
