"""Content files -> raw records. One reader per format, picked by file extension; all pure
(bytes in, `ReadResult` out) and none raises for bad content: every fault is a `Problem`.

A reader returns the records it could read whole. An ERROR problem means its record was
left out; a WARNING (a file read as Windows-1252) leaves the records in.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from feeds.droplines import compile_drop_lines
from feeds.model import Level, Problem, ReadResult
from feeds.oldsites import OldSite
from feeds.sources.decode import decode_bytes
from feeds.sources.markdown import read_markdown
from feeds.sources.records import read_json, read_jsonl, read_yaml
from feeds.sources.text import read_text
from feeds.sources.wxr import read_wxr

__all__ = ["EXTENSIONS", "ReaderOptions", "decode_bytes", "read_source"]


@dataclass(frozen=True, slots=True)
class ReaderOptions:
    """Reader settings from the config. `drop_lines` are regexes (config `text.drop_lines`)
    removing matching lines from plain-text bodies; a bad one raises ValueError here."""

    drop_lines: tuple[str, ...] = ()
    old: OldSite | None = None  # config `ids:`: the generator the site moved from (issue 18)

    def __post_init__(self) -> None:
        compile_drop_lines(self.drop_lines)  # cached: reading files compiles nothing again


EXTENSIONS: frozenset[str] = frozenset(
    {".md", ".markdown", ".txt", ".yaml", ".yml", ".json", ".jsonl", ".xml"}
)


def read_source(
    source: str, data: bytes, options: ReaderOptions, relative: str | None = None
) -> ReadResult:
    """Read one content file. `source` is its display path (`content/phones/a.md`), `relative`
    its path below content_dir (default `source`); its extension (any case) picks the reader
    and its stem is the default slug of a one-article file. Never raises for bad content."""
    stem, extension = posixpath.splitext(posixpath.basename(source))
    extension = extension.lower()
    if extension not in EXTENSIONS:
        known = ", ".join(sorted(EXTENSIONS))
        message = f"is not a content file; name it with one of {known}"
        return ReadResult(problems=(Problem(source, "file", extension or None, message),))
    if extension == ".xml":  # a WordPress export: XML declares its own encoding
        return read_wxr(source, data)
    text, warning = decode_bytes(data)
    if extension == ".txt":
        result = read_text(source, text, options.drop_lines, stem)
    elif extension in (".md", ".markdown"):
        result = read_markdown(source, text, stem, relative=relative, old=options.old)
    elif extension in (".yaml", ".yml"):
        result = read_yaml(source, text, stem)
    elif extension == ".json":
        result = read_json(source, text, stem)
    else:
        result = read_jsonl(source, text)
    if warning is None:
        return result
    decoded = Problem(source, "file", None, warning, Level.WARNING)
    return ReadResult(result.records, (decoded, *result.problems))
