"""Markdown articles (`.md`, `.markdown`): YAML front matter between a first line `---` and
a closing `---` (or `...`) line, then the CommonMark body. Also as Hugo and Pelican wrote
them (issue 18): TOML front matter between `+++` lines, or Pelican's `Key: value` lines up to
the first blank line; their keys are read as that generator's (`sources.oldsite`)."""

from __future__ import annotations

import re

from feeds.model import BodyFormat, Problem, RawRecord, ReadResult, kind, shorten
from feeds.oldsites import OldSite
from feeds.sources.oldsite import dialect_fields, old_site_record
from feeds.sources.pelicanmeta import is_pelican_header, split_pelican_header
from feeds.sources.records import describe_yaml_error, key_problem, parse_yaml
from feeds.sources.tomlfront import TomlError, parse_toml_front
from feeds.yamlload import YamlError

_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_CLOSE_TOML = re.compile(r"^\+\+\+[ \t]*$", re.MULTILINE)
_FIX = "fix the front matter between the --- lines"


def read_markdown(
    source: str,
    text: str,
    default_slug: str | None = None,
    *,
    relative: str | None = None,
    old: OldSite | None = None,
) -> ReadResult:
    """One Markdown article. fields = the front matter mapping as loaded (string keys), in
    our keys; body = everything after the front matter, body_format MARKDOWN. With `old`
    (config `ids:`), that generator's conventions apply (`relative`: the path below
    content_dir). Any front-matter problem is an error and no record comes back."""
    first, _, rest = text.partition("\n")
    opening = first.rstrip(" \t")
    if opening == "+++":
        return _toml(source, text, rest, default_slug, relative, old)
    if opening != "---" and is_pelican_header(first):
        header, repeated, text_body = split_pelican_header(text)
        if repeated:
            return _fail(source, repeated[0], "is given twice; keep one line of each key")
        return _made(source, dict(header), text_body, "pelican", default_slug, relative, old)
    if opening != "---":
        return _fail(
            source,
            shorten(first.strip()) or None,
            "there is no front matter; start the file with a line '---', then YAML lines "
            "such as 'title: ...', 'date: ...' and 'category: ...', then a line '---', "
            "then the Markdown text (or TOML between '+++' lines, or Pelican's "
            "'Title: ...' lines)",
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
    dialect = old.generator if old is not None else None
    return _made(source, loaded, body, dialect, default_slug, relative, old)


def _toml(
    source: str,
    text: str,
    rest: str,
    default_slug: str | None,
    relative: str | None,
    old: OldSite | None,
) -> ReadResult:
    """Hugo's TOML front matter, between a first line `+++` and the next `+++` line."""
    close = _CLOSE_TOML.search(rest)
    if close is None:
        return _fail(
            source,
            shorten(text),
            "the front matter is not closed; add a line '+++' after its last line",
        )
    front = rest[: close.start()]
    try:
        loaded = parse_toml_front(front, first_line=2)
    except TomlError as error:
        return _fail(source, error.text, str(error))
    body = rest[close.end() :].removeprefix("\n")
    return _made(source, loaded, body, "hugo", default_slug, relative, old)


def _made(
    source: str,
    front: dict[str, object],
    body: str,
    dialect: str | None,
    default_slug: str | None,
    relative: str | None,
    old: OldSite | None,
) -> ReadResult:
    """The record of front matter read in `dialect`'s keys (None: ours), with `old`'s
    conventions when the site moved from a generator."""
    fields = front if dialect is None else dialect_fields(dialect, front)
    record = RawRecord(source, fields, body, BodyFormat.MARKDOWN, default_slug)
    if old is None:
        return ReadResult(records=(record,))
    made = old_site_record(record, relative or source, front, old)
    if isinstance(made, Problem):
        return ReadResult(problems=(made,))
    return ReadResult(records=(made,))


def _fail(source: str, value: str | None, message: str) -> ReadResult:
    return ReadResult(problems=(Problem(source, "front matter", value, message),))
