"""Markdown articles (`.md`, `.markdown`): YAML front matter between a first line `---` and
a closing `---` (or `...`) line, then the CommonMark body."""

from __future__ import annotations

import re

from feeds.model import BodyFormat, Problem, RawRecord, ReadResult, kind, shorten
from feeds.sources.records import describe_yaml_error, key_problem, parse_yaml
from feeds.yamlload import YamlError

_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_FIX = "fix the front matter between the --- lines"


def read_markdown(source: str, text: str, default_slug: str | None = None) -> ReadResult:
    """One Markdown article. fields = the front matter mapping as loaded (string keys);
    body = everything after the closing line, body_format MARKDOWN. Any front-matter
    problem is an error and no record comes back."""
    first, _, rest = text.partition("\n")
    if first.rstrip(" \t") != "---":
        return _fail(
            source,
            shorten(first.strip()) or None,
            "there is no front matter; start the file with a line '---', then YAML lines "
            "such as 'title: ...', 'date: ...' and 'category: ...', then a line '---', "
            "then the Markdown text",
        )
    close = _CLOSE.search(rest)
    if close is None:
        return _fail(
            source,
            shorten(text),
            "the front matter is not closed; add a line '---' after its last line",
        )
    front = rest[: close.start()]
    body = rest[close.end() :].removeprefix("\n")
    quoted = shorten(("---\n" + front).rstrip())
    try:
        # The blank first line stands for the opening `---`, so error lines count in the file.
        loaded = parse_yaml("\n" + front)
    except YamlError as error:
        return _fail(source, quoted, describe_yaml_error(error, _FIX))
    if loaded is None:  # empty, or only comments: no keys (normalise names the missing ones)
        loaded = {}
    if not isinstance(loaded, dict):
        return _fail(
            source,
            quoted,
            f"is {kind(loaded)}, not a mapping of keys; write one 'key: value' per line, "
            "such as 'title: ...'",
        )
    bad_keys = [key for key in loaded if not isinstance(key, str)]
    if bad_keys:
        return ReadResult(
            problems=tuple(key_problem(source, "front matter", key) for key in bad_keys)
        )
    record = RawRecord(source, loaded, body, BodyFormat.MARKDOWN, default_slug)
    return ReadResult(records=(record,))


def _fail(source: str, value: str | None, message: str) -> ReadResult:
    return ReadResult(problems=(Problem(source, "front matter", value, message),))
