"""Where a build may publish (issue 11): never into a system folder (`--output /etc`), and
outside the project folder only into a folder that exists and is empty or already the
build's (it holds the ownership manifest, or `--adopt` hands the whole folder over)."""

from __future__ import annotations

import os
from pathlib import Path

from feeds.config import Config, ConfigError
from feeds.ownership import OWNED_NAME

# Folders of the operating system: never an output folder, nor anything below them.
SYSTEM_TREES = tuple(
    Path(p)
    for p in (
        "/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc",
        "/run", "/sbin", "/sys", "/usr", "/var/lib", "/var/log", "/var/cache", "/var/spool",
        "/var/mail", "/System", "/Library",
    )
)  # fmt: skip
# Folders that hold other things: never the output folder itself (below them is fine,
# e.g. /var/www/html or /srv/www).
SYSTEM_ROOTS = tuple(
    Path(p)
    for p in ("/", "/home", "/media", "/mnt", "/opt", "/root", "/srv", "/tmp", "/var", "/Users")
)


def output_dir_problem(output: Path, base_dir: Path, home: Path | None) -> str | None:
    """Why the (resolved) `output` folder cannot be one, judged by its path alone; None
    when it can. `home` is the user's home folder, never an output folder either."""
    for tree in SYSTEM_TREES:
        if output == tree or tree in output.parents:
            return (
                f"is a system folder ({tree}): feeds never publishes there; "
                "choose a folder of its own"
            )
    if output in SYSTEM_ROOTS or output == home:
        return "holds other files of the system or of users: give a folder of its own below it"
    if output == base_dir or output in base_dir.parents:
        return "holds the project folder: give a folder of its own, e.g. public"
    return None


def check_output_dir(config: Config, adopt_all: bool) -> None:
    """Raise `ConfigError` (exit code 2) for an output folder the build must not publish
    into. Outside the project folder (the config file's) the folder must exist and be
    empty or the build's: `OWNED_NAME` in it, or `adopt_all` (`--adopt OUTPUT`)."""
    output = config.output_dir
    try:
        home: Path | None = Path.home().resolve()
    except RuntimeError:
        home = None
    problem = output_dir_problem(output, config.base_dir, home)
    if problem is not None:
        raise ConfigError("output_dir", str(output), problem)
    if config.base_dir in output.parents or adopt_all:
        return
    if not output.is_dir():
        raise ConfigError(
            "output_dir",
            str(output),
            "is outside the project folder and does not exist: create it (empty) first, so a "
            "typo never publishes somewhere unexpected",
        )
    if (output / OWNED_NAME).is_file():
        return
    with os.scandir(output) as entries:
        if next(entries, None) is None:
            return
    raise ConfigError(
        "output_dir",
        str(output),
        f"is outside the project folder and holds files feeds did not write (no {OWNED_NAME}): "
        f"give an empty folder, or hand this one over once with --adopt {output}",
    )
