"""Pelican's Markdown metadata: `Key: value` lines at the top of the file, up to the first
blank line (Python-Markdown's meta extension, which Pelican's MarkdownReader uses: keys are
case-insensitive, a line indented by four spaces continues the value above it)."""

from __future__ import annotations

import re

# Python-Markdown extensions/meta.py: META_RE and META_MORE_RE.
_META = re.compile(r"^[ ]{0,3}([A-Za-z0-9_-]+):\s*(.*)$")
_MORE = re.compile(r"^[ ]{4,}(.*)$")


def is_pelican_header(first_line: str) -> bool:
    """Whether a file's first line is a metadata line (`Title: ...`)."""
    return _META.match(first_line) is not None


def split_pelican_header(text: str) -> tuple[dict[str, str], list[str], str]:
    """(metadata by lower-case key, the keys given more than once, the Markdown body).
    Continuation lines join their value with a space; the body starts after the blank line
    that ends the metadata (or at the first line that is not metadata)."""
    fields: dict[str, str] = {}
    repeated: list[str] = []
    lines = text.split("\n")
    key: str | None = None
    number = 0
    for number, line in enumerate(lines):
        if not line.strip():
            number += 1  # the blank line ends the metadata and is not part of the body
            break
        meta = _META.match(line)
        more = _MORE.match(line)
        if meta is not None:
            key = meta.group(1).lower()
            if key in fields:
                repeated.append(key)
            fields[key] = meta.group(2).strip()
        elif more is not None and key is not None:
            fields[key] = f"{fields[key]} {more.group(1).strip()}".strip()
        else:
            break
    else:
        number = len(lines)
    return fields, repeated, "\n".join(lines[number:])
