"""What a build leaves for the next one, once it has published: the ownership manifest in
the output folder, the id registry and the build state in cache_dir (`record_owned`,
`record_ids`, `save_state`), and the summary a build with nothing to do reports again
(`summary_of`). Each file is written atomically; one that cannot be written is an error in
the report (the feeds are published; the message says what is at risk), never raised.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from itertools import chain
from operator import attrgetter
from pathlib import Path

from feeds.cache import BuildCache, FeedState, FileState, Memo, Summary
from feeds.config import Config
from feeds.feedfiles import Rendered
from feeds.idregistry import IDS_FILE, Published, save_ids
from feeds.keys import reading_key, render_key
from feeds.model import Problem
from feeds.ownership import OWNED_NAME, owned_after, write_owned
from feeds.publish import PublishReport, explain
from feeds.site import Prepared
from feeds.storewrite import read_back, save_cache


def record_owned(
    config: Config, planned: set[str], report: PublishReport, before: frozenset[str]
) -> list[Problem]:
    """Write the ownership manifest into the output folder; a failure is an error."""
    owned = owned_after(
        planned, report.written, report.unchanged, (p for p, _ in report.failed), before
    )
    return _saved(
        config, config.output_dir / OWNED_NAME, lambda: write_owned(config.output_dir, owned),
        "the next build may not know which files it wrote",
    )  # fmt: skip


def record_ids(
    config: Config,
    registry: Mapping[str, Published],
    previous: Mapping[str, Published] | None = None,
    touched: Iterable[str] | None = None,
) -> list[Problem]:
    """Remember the id of every article published; a failure is an error. `previous`: the
    registry on disk, `touched`: the only sources whose entries may differ (`save_ids`)."""
    return _saved(
        config, config.cache_dir / IDS_FILE,
        lambda: save_ids(config.cache_dir, registry, previous, touched),
        "the next build cannot check that published ids stay",
    )  # fmt: skip


def _saved(config: Config, path: Path, write: Callable[[], None], risk: str) -> list[Problem]:
    """Run `write` (one state file at `path`); when it fails, the error saying what is at risk."""
    try:
        write()
    except OSError as error:
        message = f"cannot be written: {explain(error)} (the feeds are published; {risk})"
        return [Problem(config.display_path(path), "file", None, message)]
    return []


def summary_of(
    site: Prepared, rendered: Rendered, pages: dict[str, str], problems: tuple[Problem, ...]
) -> Summary:
    return Summary(
        files_total=site.files_total,
        articles=site.published,
        drafts=site.drafts,
        scheduled=site.scheduled,
        problems=problems,
        kept=tuple(site.kept),
        cut=tuple(rendered.cut),
        feeds_total=len(site.plan.paths()),
        planned=(*site.plan.paths(), *pages),
        latest=site.latest,
        next_due=min(
            [*(a.published for a in site.scheduled), *filter(None, [site.next_expiry])],
            default=None,
        ),
    )


def _held(states: Mapping[str, FileState], keys: set[str]) -> set[str]:
    """Those of the content `keys` that some state holds: one pass in C over every state's
    keys (a set of all of them took most of a second at a million files, issue 14)."""
    return keys.intersection(chain.from_iterable(map(_CONTENT_KEYS, states.values())))


_CONTENT_KEYS = attrgetter("content_keys")


def save_state(
    config: Config,
    cache: BuildCache,
    site: Prepared,
    rendered: Rendered,
    feed_states: dict[str, FeedState],
    report: PublishReport,
    summary: Summary,
) -> tuple[Problem | None, BuildCache | None]:
    """Remember what this build read and wrote, and return the state saved as the next build
    would read it back (None when it could not be saved). A feed that failed to publish is
    forgotten so the next build tries it again. Content is kept for every article still in
    some file, so a feed that is not re-rendered does not lose it; memo entries for the
    entries still in some feed. What did not change is not written. A cache that cannot be
    written is an error in the report (the feeds are published; the next build does this
    one's work again)."""
    failed = {path for path, _ in report.failed}
    feeds: dict[str, FeedState] = {}
    for path, state in feed_states.items():
        if path in failed:
            continue
        try:
            stat = (config.output_dir / path).stat()
        except OSError:
            continue
        if (state.size, state.mtime_ns) != (stat.st_size, stat.st_mtime_ns):
            state = dataclasses.replace(state, mtime_ns=stat.st_mtime_ns, size=stat.st_size)
        before = cache.feeds.get(path)
        feeds[path] = before if before is not None and before == state else state
    wanted = _held(site.states, {*site.contents.previous, *site.contents.used})
    contents = {key: found for key, found in site.contents.previous.items() if key in wanted}
    for key, found in site.contents.used.items():  # in the order computed: stable shards
        if key in wanted:
            contents.setdefault(key, found)
    feed_memo = {
        path: rendered.feed_memo.get(path, ()) for path in feeds if path in rendered.feed_memo
    }
    new = BuildCache(
        reading_key=reading_key(config),
        render_key=render_key(config),
        files=site.states,
        contents=contents,
        feeds=feeds,
        memo=Memo(rendered.memo),  # what this build read or parsed; the rest is in `cache`
        feed_memo=feed_memo,
        lint_memo={path: e for path, e in rendered.lint_memo.items() if path in feeds},
        summary=summary,
    )
    try:
        base = site.patched_from  # the paths a patch may have changed, when from `cache`'s
        changed = base[1] if base is not None and base[0] is cache.files else None
        save_cache(config.cache_dir, new, cache, site.written, changed)
    except OSError as error:
        return Problem(
            config.display_path(config.cache_dir),
            "cache",
            None,
            f"cannot be saved: {explain(error)} (the feeds are published; the next build "
            "does this one's work again)",
        ), None
    return None, read_back(config.cache_dir, new, cache)
