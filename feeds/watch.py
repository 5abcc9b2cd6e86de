"""`--watch`: rebuild when content or config changes (watchfiles, debounced).

A build that fails, even one that cannot read its config (a half-saved `config.yaml`), is
reported and the watching goes on: the editor fixes the file, saves, and the next build
runs (issue 11). When the config names another content folder, that folder is watched.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from feeds.resident import Resident

Echo = Callable[[str], None]

# Seconds with no change after a build before a resident is given its idle work (an editor
# saving again within them does not wait for it); the watch looks every half second.
QUIET_SECONDS = 1.0
# A batch is handed over once this many milliseconds pass with no new event (watchfiles'
# `step`; its default, 50, took 56-80 ms from a save to the batch here, 20 takes 22-41): an
# editor's save (a write, or a temporary file renamed over the article) is one burst of
# events well inside it; a longer burst (a checkout) is grouped up to `debounce_ms`, and a
# pause inside one only splits it into two builds, each of the content as it then was.
STEP_MS = 20


def run_guarded(rebuild: Callable[[], int], echo: Echo) -> int | None:
    """Run one build; a build that exits (SystemExit, e.g. a config error already printed)
    or crashes is reported instead of ending the watcher. Its exit code, None on a crash."""
    try:
        code = rebuild()
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 2
    except Exception as error:  # a bug must not stop the watcher; it is reported whole
        echo(f"feeds: the build failed: {type(error).__name__}: {error}")
        code = None
    if code != 0:
        echo("feeds: still watching: fix the problem above and save again")
    return code


def watch_and_rebuild(
    paths: Callable[[], Sequence[Path]],
    rebuild: Callable[[], int],
    *,
    echo: Echo = print,
    debounce_ms: int = 300,
    resident: Resident | None = None,
) -> None:
    """Block, calling `rebuild` after each settled batch of changes under `paths()`, which is
    asked again after every build (a config change may move the content folder). A
    `resident` is told when the watching starts and every path each batch names."""
    watched = _existing(paths())
    while watched:
        now = _watch(watched, paths, rebuild, echo, debounce_ms, resident)
        if now is None:
            return  # Ctrl-C
        watched = now


def _existing(paths: Sequence[Path]) -> list[Path]:
    """The paths to watch that exist (a file is watched through its folder)."""
    return [p for p in paths if p.exists() or p.parent.is_dir()]


def _watch(
    paths: list[Path],
    ask: Callable[[], Sequence[Path]],
    rebuild: Callable[[], int],
    echo: Echo,
    debounce_ms: int,
    resident: Resident | None = None,
) -> list[Path] | None:
    """Watch `paths`, rebuilding after each batch of changes, until a build changes what
    `ask()` says to watch (the new paths) or Ctrl-C (None)."""
    from watchfiles import watch

    targets = sorted({p if p.is_dir() else p.parent for p in paths})
    files = {p for p in paths if not p.is_dir()}
    folders = [p for p in paths if p.is_dir()]
    ready = False
    built = time.monotonic()  # when the last build ended (the first ran before the watch)
    # yield_on_timeout: the first (empty) batch arrives once the watcher is running, so
    # "watching" is printed only when a change made after it will be seen.
    for changes in watch(
        *targets,
        debounce=debounce_ms,
        step=STEP_MS,
        raise_interrupt=False,
        yield_on_timeout=True,
        rust_timeout=500,
    ):
        if not ready:
            ready = True
            if resident is not None:
                resident.watching()
            echo("feeds: watching " + ", ".join(str(p) for p in paths) + " (Ctrl-C stops)")
        changed = sorted(
            {
                Path(path)
                for _, path in changes
                if Path(path) in files or any(Path(path).is_relative_to(t) for t in folders)
            }
        )
        if not changed:
            # nothing that matters for a while: an editor is writing
            if resident is not None and time.monotonic() - built >= QUIET_SECONDS:
                resident.idle()
            continue
        if resident is not None:
            resident.changed(changed)
        echo(
            "feeds: changed: "
            + ", ".join(str(p) for p in changed[:10])
            + (f" and {len(changed) - 10} more" if len(changed) > 10 else "")
        )
        run_guarded(rebuild, echo)
        built = time.monotonic()
        now = _existing(ask())
        if now != paths:
            echo("feeds: the watched folders changed")
            return now
    return None
