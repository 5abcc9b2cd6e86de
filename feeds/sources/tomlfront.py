"""TOML front matter, as Hugo writes it between `+++` lines (TOML 1.0 through the standard
library's tomllib). Errors name the line in the file and the key written on it."""

from __future__ import annotations

import re
import tomllib

from feeds.model import shorten

_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_KEY = re.compile(r"^\s*\[*\s*([^=\[\]]+?)\s*\]*\s*(?:=|$)")


class TomlError(ValueError):
    """Front matter that is not TOML. `text` is the line at fault (quoted in messages); the
    message names its line number in the file and the key written on it, and what to do."""

    def __init__(self, message: str, text: str | None) -> None:
        super().__init__(message)
        self.text = text


def parse_toml_front(front: str, first_line: int) -> dict[str, object]:
    """The mapping of TOML front matter whose first line is line `first_line` of the file.
    Raises `TomlError` (a duplicate key is one: TOML 1.0 forbids defining a key twice)."""
    try:
        return tomllib.loads(front)
    except tomllib.TOMLDecodeError as error:
        raise _described(str(error), front, first_line) from None
    except RecursionError:  # nesting deeper than the interpreter's stack
        raise TomlError("is nested too deeply; fix the front matter", None) from None


def _described(text: str, front: str, first_line: int) -> TomlError:
    where = _AT.search(text)
    reason = _AT.sub("", text) if where else text
    if where is None:
        return TomlError(f"is not valid TOML ({reason}); fix the front matter", None)
    number = int(where.group(1))
    lines = front.split("\n")
    written = lines[number - 1] if 0 < number <= len(lines) else ""
    key = _KEY.match(written)
    named = f", key {key.group(1)!r}" if key and key.group(1).strip() else ""
    if reason.startswith("Cannot overwrite a value") or reason.startswith("Cannot declare"):
        reason += ": the key is given twice"
    line = first_line + number - 1
    return TomlError(
        f"is not valid TOML (line {line}{named}: {reason}); fix the front matter between "
        "the +++ lines (text in double quotes, dates like 2026-01-02T10:18:00+01:00, each "
        "key once)",
        shorten(written.strip()) or None,
    )
