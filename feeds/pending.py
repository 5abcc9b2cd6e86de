"""Pending WebSub pings as build state (issue 19): the topic URLs whose change the hub did
not acknowledge with a 2xx (W3C WebSub §7) are kept in `cache_dir` and pinged again by the
next build, even one with no content change, until the hub accepts them.

The file is its own (`websub-pending.json`), not part of the build cache, so a cache that is
rebuilt (new version, corrupt shards) keeps it. A lost or unreadable file means nothing is
pending: the worst case is one missed re-ping, never a build that fails.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

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
    cache_dir.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{PENDING_FILE}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps({"pending": list(topics)}, indent=1), encoding="utf-8")
    os.replace(temporary, path)
