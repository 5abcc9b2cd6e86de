"""`--watch`: rebuild when content or config changes (watchfiles, debounced)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path


def watch_and_rebuild(
    paths: Sequence[Path],
    rebuild: Callable[[], int],
    *,
    echo: Callable[[str], None] = print,
    debounce_ms: int = 300,
) -> None:
    """Block, calling `rebuild` after each settled batch of changes under `paths`."""
    from watchfiles import watch

    targets = [p if p.is_dir() else p.parent for p in paths]
    files = {p for p in paths if not p.is_dir()}
    folders = [p for p in paths if p.is_dir()]
    ready = False
    # yield_on_timeout: the first (empty) batch arrives once the watcher is running, so
    # "watching" is printed only when a change made after it will be seen.
    for changes in watch(
        *targets,
        debounce=debounce_ms,
        raise_interrupt=False,
        yield_on_timeout=True,
        rust_timeout=500,
    ):
        if not ready:
            ready = True
            echo("feeds: watching " + ", ".join(str(p) for p in paths) + " (Ctrl-C stops)")
        changed = sorted(
            {
                Path(path)
                for _, path in changes
                if Path(path) in files or any(Path(path).is_relative_to(t) for t in folders)
            }
        )
        if not changed:
            continue
        echo(
            "feeds: changed: "
            + ", ".join(str(p) for p in changed[:10])
            + (f" and {len(changed) - 10} more" if len(changed) > 10 else "")
        )
        rebuild()
