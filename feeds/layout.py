"""The public layout of the output folder and the names every stage agrees on: file suffixes
and media types per format, the paths of the discovery files, the XML namespaces and the JSON
Feed version. A leaf: it imports nothing of feeds. The layout is a contract with readers,
who subscribe to these URLs.
"""

from __future__ import annotations

import os
from pathlib import Path

FORMATS = ("rss", "atom", "json")
# File name suffix per format.
SUFFIXES = {"rss": ".rss.xml", "atom": ".atom.xml", "json": ".json"}
FEED_SUFFIXES = tuple(SUFFIXES.values())
MEDIA_TYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",  # JSON Feed 1.1 "Suggestions for Publishers"
}
PAGE_SUFFIX = ".html"

FEEDS_DIR = "feeds"  # every feed file and feed page lives below it
ARCHIVE_DIR = "feeds/archive"  # RFC 5005 archive pages
INDEX_PATH = "index.html"
OPML_PATH = "feeds.opml"
# Files under FEEDS_DIR that the build manages (and may remove when stale).
MANAGED_SUFFIXES = (*FEED_SUFFIXES, PAGE_SUFFIX)

ATOM_NS = "http://www.w3.org/2005/Atom"  # RFC 4287
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
HISTORY_NS = "http://purl.org/syndication/history/1.0"  # RFC 5005
MEDIA_NS = "http://search.yahoo.com/mrss/"
SY_NS = "http://purl.org/rss/1.0/modules/syndication/"  # RSS 1.0 Syndication module
XHTML_NS = "http://www.w3.org/1999/xhtml"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def is_feed_path(relative: str) -> bool:
    """True for a feed file's path relative to the output folder (`feeds/all.rss.xml`)."""
    return relative.startswith(FEEDS_DIR + "/") and relative.endswith(FEED_SUFFIXES)


def feed_page_path(relative: str) -> str:
    """The HTML page beside a feed: `feeds/all.rss.xml` -> `feeds/all.html`."""
    for suffix in FEED_SUFFIXES:
        if relative.endswith(suffix):
            return relative[: -len(suffix)] + PAGE_SUFFIX
    raise ValueError(f"{relative!r} is not a feed path")


def managed_files(output_dir: Path, suffixes: tuple[str, ...] = MANAGED_SUFFIXES) -> list[str]:
    """The files below `output_dir/feeds/` with one of `suffixes`, as sorted paths relative to
    `output_dir`. Hidden files and folders are skipped and symbolic links to folders not
    followed. Reads only; nothing is removed."""
    found: list[str] = []
    for folder, dirs, names in os.walk(output_dir / FEEDS_DIR):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        here = Path(folder)
        for name in names:
            if name.startswith(".") or not name.endswith(suffixes):
                continue
            found.append((here / name).relative_to(output_dir).as_posix())
    return sorted(found)


def feed_files_in(folder: Path) -> list[Path]:
    """`feeds validate FOLDER`: the files below `folder` named like feeds (`FEED_SUFFIXES`)
    or OPML, sorted; hidden files and folders, pages and other files are left out."""
    found: list[Path] = []
    for here, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(
            Path(here) / name
            for name in names
            if not name.startswith(".") and name.endswith((*FEED_SUFFIXES, ".opml"))
        )
    return sorted(found)
