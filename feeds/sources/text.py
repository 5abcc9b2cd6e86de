"""Plain-text news articles (`.txt`, as scraped): a header line (date, time, category), the
title on the next non-blank line, then the body as plain text.

    Friday, Jan 8, 2021, 14:30 Phones: Accessories

    A Headline Written In Title Case

    First paragraph ...

The header is split here, by pattern; the date text is parsed later (`feeds.dates`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from feeds.droplines import LinePattern, compile_drop_lines
from feeds.model import BodyFormat, Problem, RawRecord, ReadResult, shorten

# --- the header line --------------------------------------------------------------------
# Every part is bounded, so a header of megabytes is scanned in linear time.
_NO_LETTER = r"(?![^\W\d_])"  # a name ends where no letter follows ("Mayday" is no month)
_WEEKDAY = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)\.?" + _NO_LETTER
)
_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?" + _NO_LETTER
)
_SEP = r"(?:\s*,\s*|\s+)"
_YEAR = r"\d{4}(?!\d)"
_DATE = (
    # Jan 8, 2021 / January 8th 2021 (a missing year is kept for `dates` to refuse by name)
    rf"{_MONTH}\s*\d{{1,2}}(?:st|nd|rd|th)?(?!\d)(?:{_SEP}{_YEAR})?"
    # 8 Jan 2021 / 8. January, 2021
    rf"|\d{{1,2}}(?:st|nd|rd|th|\.)?\s*{_MONTH}(?:{_SEP}{_YEAR})?"
    # 2021-01-08 / 2021/01/08
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?!\d)"
    # 01/08/2021 / 8.1.2021 (day or month first: `dates.dayfirst` decides)
    r"|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}(?!\d)"
)
_AMPM = r"[ap]\.?m\.?" + _NO_LETTER
_TIME = (
    rf"\d{{1,2}}:\d{{2}}(?::\d{{2}}(?:[.,]\d{{1,9}})?)?(?!\d)(?:\s*{_AMPM})?"  # 14:30, 11:59 PM
    rf"|\d{{1,2}}\s*{_AMPM}"  # 11 PM
)
# Zone names recognised after a time: the names `feeds.dates` knows (ZONES and
# AMBIGUOUS_ZONES there, which it resolves or refuses by name; a test keeps the two in step).
# Upper case only, and never followed by `:`; any other word after the time starts the
# category ("14:30 TV: Streaming").
# fmt: off
ZONE_NAMES: frozenset[str] = frozenset({
    "UTC", "UT", "GMT", "WET", "WEST", "BST", "CET", "CEST", "MET", "MEST", "EET", "EEST",
    "MSK", "WAT", "CAT", "SAST", "EAT", "PKT", "HKT", "SGT", "AWST", "JST", "KST", "ACST",
    "ACDT", "AEST", "AEDT", "NZST", "NZDT", "NST", "NDT", "ADT", "AST", "EST", "EDT", "CST",
    "CDT", "MST", "MDT", "PST", "PDT", "AKST", "AKDT", "HST", "IST",
})
# fmt: on
_ZONE = (
    r"Z(?![\w:])"  # attached, ISO 8601 style: 14:30Z
    r"|\s*(?:(?-i:UTC|GMT|UT)\s*)?[+\-\u2212]\d{1,2}(?::?\d{2})?(?!\d)"  # +01:00, UTC+1
    rf"|\s+(?-i:{'|'.join(sorted(ZONE_NAMES, key=lambda n: (-len(n), n)))})(?![\w:])"
)
_HEADER = re.compile(
    rf"(?:{_WEEKDAY}{_SEP})?"
    rf"(?:{_DATE})"
    rf"(?:(?:{_SEP}(?:at\s+)?|T)(?:{_TIME})(?:{_ZONE})?)?",
    re.IGNORECASE,
)
# Between the date part and the category: blanks, or one separator mark with blanks.
_CATEGORY_SEP = re.compile(r"\s*[,;|·–—]\s*|\s+-\s+|\s+")

_EXAMPLE = "'Friday, Jan 8, 2021, 14:30 Phones: Accessories'"


def split_header(line: str) -> tuple[str, str] | None:
    """A header line -> (date text, category text), or None when it does not start with a
    date. The category is "" when nothing follows the date; `:` levels are left as written."""
    line = line.strip()
    match = _HEADER.match(line)
    if match is None:
        return None
    end = match.end()
    if end == len(line):
        return line, ""
    sep = _CATEGORY_SEP.match(line, end)
    if sep is None:  # "2021-01-08x": the date runs into other text
        return None
    return line[:end], line[sep.end() :].strip()


# --- the body ---------------------------------------------------------------------------


def _dropped(line: str, stripped: str, patterns: Sequence[LinePattern]) -> bool:
    # Searched against the line as written (without its line end) AND against the line with
    # surrounding whitespace stripped: `^More ...` works on an indented line, and
    # `^\s{2,}•` can still see the indentation.
    return any(
        p.search(stripped) is not None or (line != stripped and p.search(line) is not None)
        for p in patterns
    )


def clean_body(lines: Sequence[str], patterns: Sequence[LinePattern] = ()) -> str:
    """Body lines -> body text: each line stripped, non-blank lines matching a drop pattern
    removed, runs of blank lines collapsed to one, no blank lines at either end."""
    kept: list[str] = []
    for line in lines:
        stripped = line.strip()
        if not stripped:
            if kept and kept[-1]:
                kept.append("")
            continue
        if patterns and _dropped(line, stripped, patterns):
            continue
        kept.append(stripped)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept)


# --- the reader -------------------------------------------------------------------------


def read_text(
    source: str, text: str, drop_lines: tuple[str, ...] = (), default_slug: str | None = None
) -> ReadResult:
    """One plain-text article. fields = {date, category, title} as text; body_format TEXT.
    Any problem with the header or title is an error and no record comes back."""
    lines = text.split("\n")
    index = _next_filled(lines, 0)
    if index is None:
        return _fail(
            Problem(
                source,
                "file",
                None,
                f"is empty; a plain-text article starts with a date line such as {_EXAMPLE}, "
                "then the title, then the text",
            )
        )
    header = lines[index].strip()
    parts = split_header(header)
    if parts is None:
        return _fail(
            Problem(
                source,
                "date",
                shorten(header),
                "the first line does not start with a date; start the file with a line such "
                f"as {_EXAMPLE} (date, time, then the category)",
            )
        )
    date, category = parts
    problems: list[Problem] = []
    if not category:
        problems.append(
            Problem(
                source,
                "category",
                shorten(header),
                f"the date line names no category; put it after the date, as in {_EXAMPLE}",
            )
        )
    title_index = _next_filled(lines, index + 1)
    if title_index is None:
        problems.append(
            Problem(
                source,
                "title",
                None,
                "there is no title; put the headline on the line after the date line",
            )
        )
    if problems or title_index is None:
        return ReadResult(problems=tuple(problems))
    fields = {"date": date, "category": category, "title": lines[title_index].strip()}
    body = clean_body(lines[title_index + 1 :], compile_drop_lines(drop_lines))
    record = RawRecord(source, fields, body, BodyFormat.TEXT, default_slug)
    return ReadResult(records=(record,))


def _next_filled(lines: Sequence[str], start: int) -> int | None:
    for index in range(start, len(lines)):
        if lines[index].strip():
            return index
    return None


def _fail(problem: Problem) -> ReadResult:
    return ReadResult(problems=(problem,))
