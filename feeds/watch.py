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

    echo("feeds: watching " + ", ".join(str(p) for p in paths) + " (Ctrl-C stops)")
    targets = [p if p.is_dir() else p.parent for p in paths]
    files = {p for p in paths if not p.is_dir()}
    for changes in watch(*targets, debounce=debounce_ms, raise_interrupt=False):
        changed = sorted(
            {
                Path(path)
                for _, path in changes
                if any(Path(path).is_relative_to(t) for t in paths if t.is_dir())
                or Path(path) in files
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
