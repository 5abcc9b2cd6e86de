"""Structured records, as a CMS exports them: `.yaml`/`.yml`/`.json` (one record, or a list
of records) and `.jsonl` (one JSON object per line). A record has the front-matter keys
plus `body` (text) and `body_format` (`markdown`, `html` or `text`; default markdown).

A bad record is a problem for that record only; the others in the file still come back.
"""

from __future__ import annotations

import datetime
import json
import re
import reprlib

from feeds.model import BodyFormat, Problem, RawRecord, ReadResult, kind, shorten
from feeds.yamlload import YamlError, load_yaml

# --- YAML, shared with the Markdown reader ---------------------------------------------

_LINE = re.compile(r"line (\d+): ")
_TAG = re.compile(r"could not determine a constructor for the tag '([^']*)'")


def parse_yaml(text: str) -> object:
    """`load_yaml`, with every failure as `YamlError`: the safe constructors also raise
    ValueError/KeyError/TypeError for values like `2021-02-30` or `!!bool maybe`."""
    try:
        return load_yaml(text)
    except YamlError:
        raise
    except (ValueError, KeyError, TypeError, OverflowError) as error:
        detail = str(error) if isinstance(error, ValueError) else f"bad value {error}"
        raise YamlError(f"a value cannot be read: {detail}") from None


def yaml_error_line(error: YamlError) -> int | None:
    """The line number a YAML error names, if any (1-based, in the text given to it)."""
    match = _LINE.match(str(error))
    return int(match.group(1)) if match else None


def describe_yaml_error(error: YamlError, fix: str) -> str:
    """What is wrong and what to do, as a message: `is not valid YAML (line 3: ...); {fix}`,
    or for a tag that asks for an object, which tag, that it is refused, and to remove it."""
    text = str(error)
    tag = _TAG.search(text)
    if tag is None:
        return f"is not valid YAML ({text}); {fix}"
    name = tag.group(1).replace("tag:yaml.org,2002:", "!!")
    line = yaml_error_line(error)
    where = "" if line is None else f" (line {line})"
    return (
        f"uses the YAML tag {name!r}{where}, which asks to construct an object; "
        "only plain values (text, numbers, dates, lists, mappings) are read, so remove the tag"
    )


# --- records ----------------------------------------------------------------------------

_FORMATS = {fmt.value: fmt for fmt in BodyFormat}
_FORMAT_NAMES = ", ".join(fmt.value for fmt in BodyFormat)


_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxlist, _REPR.maxdict, _REPR.maxstring = 2, 3, 3, 40


def quote(value: object) -> str:
    """A loaded value as it may appear in a message: text as is, anything else through a
    bounded repr (a YAML alias bomb or a self-containing list costs nothing), shortened."""
    if isinstance(value, str):
        return shorten(value)
    if value is None or isinstance(value, bool):  # as YAML and JSON write them
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return shorten(_REPR.repr(value))


def record_from(
    source: str, item: object, default_slug: str | None
) -> RawRecord | tuple[Problem, ...]:
    """One loaded item -> a record, or the problems that keep it out. `body` and
    `body_format` become the record's body; every other key goes into `fields` as loaded."""
    if (twice := _twice_problem(source, item)) is not None:
        return (twice,)
    if not isinstance(item, dict):
        return (
            Problem(
                source,
                "record",
                quote(item),
                f"is {kind(item)}, not a record; write a mapping of keys such as "
                "'title', 'date', 'category' and 'body'",
            ),
        )
    problems: list[Problem] = []
    fields: dict[str, object] = {}
    for key, value in item.items():
        if not isinstance(key, str):
            problems.append(key_problem(source, "record", key))
        elif key not in ("body", "body_format"):
            fields[key] = value
    written_body = item.get("body")
    body = written_body if isinstance(written_body, str) else ""
    if written_body is not None and not isinstance(written_body, str):  # null: no body
        problems.append(
            Problem(
                source,
                "body",
                quote(written_body),
                f"is {kind(written_body)}, not text; write the body as one string",
            )
        )
    body_format = BodyFormat.MARKDOWN
    written = item.get("body_format")
    if written is not None:
        known = _FORMATS.get(written.strip().lower()) if isinstance(written, str) else None
        if known is None:
            problems.append(
                Problem(
                    source,
                    "body_format",
                    quote(written),
                    f"is not a body format; use one of {_FORMAT_NAMES} (default markdown)",
                )
            )
        else:
            body_format = known
    if problems:
        return tuple(problems)
    return RawRecord(source, fields, body, body_format, default_slug)


def key_problem(source: str, field: str, key: object) -> Problem:
    """A mapping key that YAML loaded as something other than text (`1:`, `2021-01-08:`)."""
    return Problem(
        source,
        field,
        quote(key),
        f"has a key that is {kind(key)}, not text; write every key as text "
        "(in quotes if it looks like a number, date or true/false)",
    )


def _collect(source: str, loaded: object, default_slug: str) -> ReadResult:
    """A loaded `.yaml`/`.json` document: one record, or a list of them."""
    if isinstance(loaded, list):
        records: list[RawRecord] = []
        problems: list[Problem] = []
        for number, item in enumerate(loaded, start=1):
            made = record_from(f"{source}#{number}", item, None)
            if isinstance(made, RawRecord):
                records.append(made)
            else:
                problems.extend(made)
        return ReadResult(tuple(records), tuple(problems))
    if isinstance(loaded, dict):
        made = record_from(source, loaded, default_slug)
        if isinstance(made, RawRecord):
            return ReadResult(records=(made,))
        return ReadResult(problems=made)
    what = "is empty" if loaded is None else f"holds {kind(loaded)}"
    return _fail(
        source,
        None if loaded is None else quote(loaded),
        f"{what}, not a record; write one record (a mapping of keys) or a list of records",
    )


def read_yaml(source: str, text: str, default_slug: str) -> ReadResult:
    """A `.yaml`/`.yml` file: one record or a list of records."""
    try:
        loaded = parse_yaml(text)
    except YamlError as error:
        line = yaml_error_line(error)
        quoted = _line_at(text, line)
        return _fail(source, quoted, describe_yaml_error(error, "fix the file"))
    return _collect(source, loaded, default_slug)


def _no_constant(name: str) -> object:
    # RFC 8259 §6: NaN and Infinity are not JSON numbers (Python's json reads them).
    raise ValueError(f"{name} is not a JSON value")


class _Twice(dict[str, object]):
    """A JSON object that gives a name twice, or holds one that does (`twice`: the name)."""

    twice = ""


def _unique(pairs: list[tuple[str, object]]) -> dict[str, object]:
    # RFC 8259 §4: names SHOULD be unique; readers of one with a name twice disagree on its
    # value (Python's json keeps the last), so its record is refused, as YAML's duplicate keys
    # are. Marked here, refused by `record_from`: one record of an export, not the whole file.
    made = dict(pairs)
    twice = None
    if len(made) != len(pairs):
        seen: set[str] = set()
        for name, _ in pairs:
            if name in seen:
                twice = name
                break
            seen.add(name)
    else:
        for _, value in pairs:
            if type(value) is _Twice or type(value) is list:
                twice = _twice_in(value)
                if twice is not None:
                    break
    if twice is None:
        return made
    marked = _Twice(made)
    marked.twice = twice
    return marked


def _twice_in(value: object) -> str | None:
    if type(value) is _Twice:
        return value.twice
    if type(value) is list:
        return next((found for item in value if (found := _twice_in(item)) is not None), None)
    return None


def _twice_problem(source: str, item: object) -> Problem | None:
    """The problem of a record whose JSON object gives a name twice (at any depth)."""
    if type(item) is not _Twice:
        return None
    return Problem(
        source,
        "record",
        quote(dict(item)),  # a plain dict: the bounded repr
        f"gives the key {shorten(item.twice, 60)!r} twice in one object, and JSON readers "
        "differ on which value counts (RFC 8259 §4): keep one",
    )


def _parse_json(text: str) -> object:
    """json.loads, failing with ValueError only (also for deep nesting); an object that
    gives a name twice is a `_Twice`."""
    try:
        return json.loads(text, parse_constant=_no_constant, object_pairs_hook=_unique)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def read_json(source: str, text: str, default_slug: str) -> ReadResult:
    """A `.json` file: one record (an object) or a list of records."""
    try:
        loaded = _parse_json(text)
    except json.JSONDecodeError as error:
        return _fail(
            source,
            _line_at(text, error.lineno),
            f"is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg}); "
            "fix the file",
        )
    except ValueError as error:
        return _fail(source, None, f"is not valid JSON ({error}); fix the file")
    return _collect(source, loaded, default_slug)


def read_jsonl(source: str, text: str) -> ReadResult:
    """A `.jsonl` file: one JSON object per line, blank lines skipped. Record L is
    `{source}:L`; a bad line is one problem and the other lines still read."""
    records: list[RawRecord] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line or line.isspace():
            continue
        where = f"{source}:{number}"
        try:
            loaded = _parse_json(line)
        except json.JSONDecodeError as error:
            problems.append(
                Problem(
                    where,
                    "record",
                    shorten(line.strip(), 60),
                    f"is not valid JSON ({error.msg} at column {error.colno}); "
                    "fix or remove this line (each line holds one JSON object)",
                )
            )
            continue
        except ValueError as error:
            message = f"is not valid JSON ({error}); fix or remove this line"
            problems.append(Problem(where, "record", shorten(line.strip(), 60), message))
            continue
        made = record_from(where, loaded, None)
        if isinstance(made, RawRecord):
            records.append(made)
        else:
            problems.extend(made)
    return ReadResult(tuple(records), tuple(problems))


def _line_at(text: str, line: int | None) -> str | None:
    """Line `line` (1-based) of `text`, stripped and shortened; None when unknown or blank."""
    if line is None or line < 1:
        return None
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return None
    end = text.find("\n", start)
    found = (text[start:] if end < 0 else text[start:end]).strip()
    return shorten(found) if found else None


def _fail(source: str, value: str | None, message: str) -> ReadResult:
    return ReadResult(problems=(Problem(source, "file", value, message),))
