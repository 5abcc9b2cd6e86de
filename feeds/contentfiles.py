"""Content files: which files below `content_dir` are articles (`scan_content`), their bytes
(`read_content`, the one place a content file is opened) and the articles they give
(`read_file`: sources, then normalisation). Reading and the entry content both come here.
"""

from __future__ import annotations

import os
from pathlib import Path

from feeds.config import Config, ConfigError
from feeds.model import Article, ContentError, Problem
from feeds.normalise import normalise_record
from feeds.sources import EXTENSIONS, ReaderOptions, read_source


def scan_content(content_dir: Path) -> list[tuple[str, os.stat_result]]:
    """Every article file below `content_dir` (hidden names skipped), sorted by path."""
    if not content_dir.is_dir():
        raise ConfigError("content_dir", str(content_dir), "is not a folder")
    found: list[tuple[str, os.stat_result]] = []
    folders = [(str(content_dir), "")]
    while folders:
        folder, prefix = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue
                if entry.is_dir():
                    folders.append((entry.path, prefix + name + "/"))
                elif name[name.rfind(".") :].lower() in EXTENSIONS and entry.is_file():
                    found.append((prefix + name, entry.stat()))
    found.sort()  # by path: paths are unique, so the stats are never compared
    return found


def read_content(config: Config, relative: str) -> bytes:
    """The bytes of the content file at `relative` (a path `scan_content` gave). Raises
    `OSError` when it cannot be read."""
    return (config.content_dir / relative).read_bytes()


def read_file(
    config: Config, relative: str, data: bytes
) -> tuple[tuple[Article, ...], tuple[Problem, ...]]:
    """One content file's bytes -> its normalised articles and every problem found."""
    result = read_source(
        _source_prefix(config) + relative, data, ReaderOptions(drop_lines=config.drop_lines)
    )
    articles: list[Article] = []
    problems = list(result.problems)
    for raw in result.records:
        try:
            article, warnings = normalise_record(raw, config)
        except ContentError as error:
            problems.append(error.problem)
            continue
        articles.append(article)
        problems.extend(warnings)
    return tuple(articles), tuple(problems)


_SOURCE_PREFIXES: dict[tuple[Path, Path], str] = {}


def _source_prefix(config: Config) -> str:
    """What goes before a file's path relative to content_dir to name it as the user knows
    it (`config.display_path` of the file; the same for every file, so worked out once)."""
    key = (config.content_dir, config.base_dir)
    prefix = _SOURCE_PREFIXES.get(key)
    if prefix is None:
        shown = config.display_path(config.content_dir)
        prefix = _SOURCE_PREFIXES[key] = "" if shown == "." else shown.rstrip("/") + "/"
    return prefix
